namespace Ferry.Sources;

/// <summary>What follows a source's prefix.</summary>
internal enum SourceLocation
{
    /// <summary>A file that must exist (<c>sqlite:PATH</c>), relative to the working directory.</summary>
    File,

    /// <summary>Files matching a glob, relative to the working directory, loaded into the one table <c>--table</c> names.</summary>
    Glob,
}

/// <summary>What an engine opens: the location resolved, the source as the user wrote it, the options and <c>--table</c>.</summary>
internal sealed record SourceRequest(string Location, string Description, SourceOptions Options, string? TableName);

/// <summary>
/// One kind of source as its folder registers it with <see cref="SourceRegistry"/>: the prefixes the user writes
/// (<c>sqlite</c>, <c>sqlite3</c>), its form in messages (<c>sqlite:PATH</c>), what follows the prefix, and its
/// factory, which takes its own options from <see cref="SourceOptions.EngineOptions"/>.
/// </summary>
internal sealed record SourceEngine(string Form, IReadOnlyList<string> Prefixes, SourceLocation Location, Func<SourceRequest, ISource> Open);
