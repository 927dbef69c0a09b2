namespace Ferry.Sources;

/// <summary>What follows a source's prefix.</summary>
internal enum SourceLocation
{
    /// <summary>A file that must exist (<c>sqlite:PATH</c>), relative to the working directory.</summary>
    File,

    /// <summary>Files matching a glob, relative to the working directory, loaded into the one table <c>--table</c> names.</summary>
    Glob,

    /// <summary>A server's connection: a <c>postgres://</c> URL or a libpq keyword string, the whole text (no prefix).</summary>
    Connection,
}

/// <summary>What an engine opens: the location resolved, the source as the user wrote it, the options and <c>--table</c>.</summary>
internal sealed record SourceRequest(string Location, string Description, SourceOptions Options, string? TableName);

/// <summary>
/// One kind of source as its folder registers it with <see cref="SourceRegistry"/>: the prefixes the user writes
/// (<c>sqlite</c>, <c>sqlite3</c>), its form in messages (<c>sqlite:PATH</c>), what follows the prefix, and its
/// factory, which takes its own options from <see cref="SourceOptions.EngineOptions"/>. A server's engine
/// (<see cref="SourceLocation.Connection"/>) recognizes its connection texts instead, and says how they are shown.
/// </summary>
internal sealed record SourceEngine(string Form, IReadOnlyList<string> Prefixes, SourceLocation Location, Func<SourceRequest, ISource> Open)
{
    /// <summary>For a server: whether a source text is this engine's connection.</summary>
    public Func<string, bool>? Recognizes { get; init; }

    /// <summary>For a server: the text shown for a connection (without its password).</summary>
    public Func<string, string>? Describe { get; init; }

    /// <summary>The <c>--names</c> rule when none is given: a server's names are PostgreSQL's already, kept as they are.</summary>
    public Schema.NamingRule DefaultNames { get; init; } = Schema.NamingRule.Lower;
}
