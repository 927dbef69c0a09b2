namespace Ferry.Sources;

/// <summary>A parsed source argument: its engine and its path, glob or connection.</summary>
internal sealed record SourceSpec(SourceEngine Engine, string Location, string Description)
{
    public override string ToString() => Description;
}

/// <summary>
/// Turns <c>sqlite:PATH</c>, <c>duckdb:PATH</c>, <c>parquet:GLOB</c>, <c>csv:GLOB</c> or a PostgreSQL connection
/// (<c>postgres://…</c>, a libpq keyword string) into an <see cref="ISource"/>, by the engine <see cref="SourceRegistry"/>
/// has for it.
/// </summary>
public static class SourceFactory
{
    internal static SourceSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (SourceRegistry.FindConnection(text) is { } server)
            return new SourceSpec(server, text, server.Describe!(text));
        // Text that may be a connection with its password is not shown, only what kind of text it is.
        var connection = text.Contains('@', StringComparison.Ordinal) || Connections.Redaction.MayHoldPassword(text);
        var shown = connection ? "" : $" '{text}'";
        var postgresHint = connection ? " A PostgreSQL source is a URL that starts with postgres://." : "";
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
            throw new FerryException($"Source{shown} has no kind: write {SourceRegistry.Forms}.{postgresHint}");
        var prefix = text[..colon].ToLowerInvariant();
        var location = text[(colon + 1)..];
        var engine = SourceRegistry.Find(prefix) ?? throw new FerryException(prefix switch
        {
            "postgres" or "postgresql" => $"Invalid source: a PostgreSQL URL starts with {prefix}:// (two slashes).",
            _ when prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '+' or '.') =>
                $"Source{shown}: unknown kind '{prefix}'. Write {SourceRegistry.Forms}.{postgresHint}",
            _ => $"Source{shown}: the text before its first ':' is not a kind. Write {SourceRegistry.Forms}.{postgresHint}",
        });
        if (location.Length == 0)
            throw new FerryException($"Source '{text}' names no {(engine.Location == SourceLocation.Glob ? "files" : "file")}.");
        return new SourceSpec(engine, location, text);
    }

    /// <summary>Opens a source; a missing file is a configuration error naming it.</summary>
    public static ISource Open(string text, SourceOptions options, string? tableName = null, string? workingDirectory = null)
    {
        var spec = Parse(text);
        var engine = spec.Engine;
        if (engine != Postgres.PostgresEngine.Postgres && options.Engine<Postgres.PostgresOptions>()?.Given() is { } given)
            throw new FerryException($"{given}: only a PostgreSQL source (postgres://…) takes {(given.Contains(',', StringComparison.Ordinal) ? "them" : "it")}, and {spec.Description} is not one. Nothing was read or written.");
        if (engine.Location == SourceLocation.Connection)
            return engine.Open(new SourceRequest(spec.Location, spec.Description, options, tableName));
        // Files and globs are relative to the working directory (DuckDB would resolve them against the process's).
        var location = Path.GetFullPath(spec.Location, workingDirectory ?? Directory.GetCurrentDirectory());
        if (engine.Location == SourceLocation.File && !File.Exists(location))
        {
            throw new FerryException(Directory.Exists(location)
                ? $"Source {spec.Description}: {location} is a directory, not a database file."
                : $"Source {spec.Description}: file {location} does not exist.");
        }
        if (engine.Location == SourceLocation.Glob && tableName is null)
            throw new FerryException($"Source {spec.Description}: a glob is one table; name it with --table NAME.");
        var source = engine.Open(new SourceRequest(location, spec.Description, options, tableName));
        return source.Description == spec.Description ? source : new DescribedSource(source, spec.Description);
    }

    /// <summary>
    /// The source as <c>ferry.copy_state</c> knows it: with its path resolved (<c>sqlite:/home/me/app.db</c>), so a
    /// <c>--resume</c> finds the interrupted copy however the path is written or wherever it is run from.
    /// </summary>
    /// <summary>Whether a server source's text (<c>postgres://u:pw@…</c>) holds its password, which others see in <c>ps</c>.</summary>
    public static bool HoldsPassword(string text) =>
        Parse(text).Engine.Location == SourceLocation.Connection &&
        Connections.TargetResolver.FromSourceText(text, ProcessEnvironment.Reader).PasswordInText;

    /// <summary>The <c>--names</c> rule a source's names get when none is given (a PostgreSQL source keeps its names).</summary>
    public static Schema.NamingRule DefaultNames(string text) => Parse(text).Engine.DefaultNames;

    internal static string StateKey(ISource source) => source is DescribedSource described ? described.Resolved : source.Description;

    /// <summary>Keeps the source's name as the user wrote it (reports) when its path was resolved.</summary>
    sealed class DescribedSource(ISource inner, string description) : ISource, IProfileDeferringSource, ITypeCheckedSource, IRowCountingSource
    {
        public string Resolved => inner.Description;

        public ISource? DeferringProfile(IReadOnlySet<string> profiled) =>
            (inner as IProfileDeferringSource)?.DeferringProfile(profiled) is { } deferring ? new DescribedSource(deferring, description) : null;

        public string Description => description;

        public async Task<Schema.SourceModel> DiscoverAsync(CancellationToken cancellationToken)
        {
            var model = await inner.DiscoverAsync(cancellationToken);
            return new Schema.SourceModel { Source = description, Tables = model.Tables, Views = model.Views, Enums = model.Enums, Notes = model.Notes };
        }

        public IReadOnlyList<ReadRange> PlanRanges(Schema.TableModel table, int parts) => inner.PlanRanges(table, parts);

        public ITableReader OpenReader(Schema.PlannedTable table, ReadRange range) => inner.OpenReader(table, range);

        public IEnumerable<string> Unreadable(Schema.PlannedTable table) => (inner as ITypeCheckedSource)?.Unreadable(table) ?? [];

        public Task<long> CountFilteredAsync(Schema.TableModel table, CancellationToken cancellationToken) =>
            inner is IRowCountingSource counting ? counting.CountFilteredAsync(table, cancellationToken) : throw new InvalidOperationException($"{description} cannot count filtered rows.");

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
