namespace Ferry.Sources;

/// <summary>The kinds of source <c>ferry copy</c> understands, by the prefix the user writes.</summary>
public enum SourceKind
{
    Sqlite,
    DuckDb,
    Parquet,
    Csv,
    Postgres,
}

/// <summary>A parsed source argument: its kind and its path, glob or URL.</summary>
public sealed record SourceSpec(SourceKind Kind, string Location, string Description)
{
    public override string ToString() => Description;
}

/// <summary>Turns <c>sqlite:PATH</c>, <c>duckdb:PATH</c>, <c>parquet:GLOB</c> or <c>csv:GLOB</c> into an <see cref="ISource"/> (<c>postgres://…</c> is recognized and refused: not built yet).</summary>
public static class SourceFactory
{
    const string Forms = "sqlite:PATH, duckdb:PATH, parquet:GLOB or csv:GLOB";

    public static SourceSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (Connections.PostgresUrl.IsUrl(text))
            return new SourceSpec(SourceKind.Postgres, text, Connections.PostgresUrl.ToDisplayUrl(Connections.PostgresUrl.Parse(text, label: "Invalid source")));
        // Text that may be a connection with its password is not shown, only what kind of text it is.
        var connection = text.Contains('@', StringComparison.Ordinal) || Connections.Redaction.MayHoldPassword(text);
        var shown = connection ? "" : $" '{text}'";
        var postgresHint = connection ? " A PostgreSQL source is a URL that starts with postgres://." : "";
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
            throw new FerryException($"Source{shown} has no kind: write {Forms}.{postgresHint}");
        var prefix = text[..colon].ToLowerInvariant();
        var location = text[(colon + 1)..];
        SourceKind kind = prefix switch
        {
            "sqlite" or "sqlite3" => SourceKind.Sqlite,
            "duckdb" => SourceKind.DuckDb,
            "parquet" => SourceKind.Parquet,
            "csv" => SourceKind.Csv,
            "postgres" or "postgresql" => throw new FerryException($"Invalid source: a PostgreSQL URL starts with {prefix}:// (two slashes)."),
            _ when prefix.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '+' or '.') =>
                throw new FerryException($"Source{shown}: unknown kind '{prefix}'. Write {Forms}.{postgresHint}"),
            _ => throw new FerryException($"Source{shown}: the text before its first ':' is not a kind. Write {Forms}.{postgresHint}"),
        };
        if (location.Length == 0)
            throw new FerryException($"Source '{text}' names no {(kind is SourceKind.Parquet or SourceKind.Csv ? "files" : "file")}.");
        return new SourceSpec(kind, location, text);
    }

    /// <summary>Opens a source; a missing file is a configuration error naming it.</summary>
    public static ISource Open(string text, SourceOptions options, string? tableName = null, string? workingDirectory = null)
    {
        var spec = Parse(text);
        // Files and globs are relative to the working directory (DuckDB would resolve them against the process's).
        var location = spec.Kind is SourceKind.Sqlite or SourceKind.DuckDb or SourceKind.Parquet or SourceKind.Csv
            ? Path.GetFullPath(spec.Location, workingDirectory ?? Directory.GetCurrentDirectory())
            : spec.Location;
        if (spec.Kind is SourceKind.Sqlite or SourceKind.DuckDb && !File.Exists(location))
        {
            throw new FerryException(Directory.Exists(location)
                ? $"Source {spec.Description}: {location} is a directory, not a database file."
                : $"Source {spec.Description}: file {location} does not exist.");
        }
        if (spec.Kind is SourceKind.Parquet or SourceKind.Csv && tableName is null)
            throw new FerryException($"Source {spec.Description}: a glob is one table; name it with --table NAME.");
        ISource source = spec.Kind switch
        {
            SourceKind.Sqlite => new Sqlite.SqliteSource(location, options),
            SourceKind.DuckDb => DuckDb.DuckDbSource.Database(location, options),
            SourceKind.Parquet => DuckDb.DuckDbSource.Parquet(location, tableName!, options),
            SourceKind.Csv => DuckDb.DuckDbSource.Csv(location, tableName!, options.Csv, options),
            _ => throw new FerryException($"Source {spec.Description}: PostgreSQL as a copy source is not in this build of Ferry yet."),
        };
        return source.Description == spec.Description ? source : new DescribedSource(source, spec.Description);
    }

    /// <summary>
    /// The source as <c>ferry.copy_state</c> knows it: with its path resolved (<c>sqlite:/home/me/app.db</c>), so a
    /// <c>--resume</c> finds the interrupted copy however the path is written or wherever it is run from.
    /// </summary>
    internal static string StateKey(ISource source) => source is DescribedSource described ? described.Resolved : source.Description;

    /// <summary>Keeps the source's name as the user wrote it (reports) when its path was resolved.</summary>
    sealed class DescribedSource(ISource inner, string description) : ISource, IReopenableSource, ITypeCheckedSource
    {
        public string Resolved => inner.Description;

        public ISource? Reopen(Func<SourceOptions, SourceOptions> change) =>
            (inner as IReopenableSource)?.Reopen(change) is { } reopened ? new DescribedSource(reopened, description) : null;

        public string Description => description;

        public async Task<Schema.SourceModel> DiscoverAsync(CancellationToken cancellationToken)
        {
            var model = await inner.DiscoverAsync(cancellationToken);
            return new Schema.SourceModel { Source = description, Tables = model.Tables, Views = model.Views, Enums = model.Enums, Notes = model.Notes };
        }

        public IReadOnlyList<ReadRange> PlanRanges(Schema.TableModel table, int parts) => inner.PlanRanges(table, parts);

        public ITableReader OpenReader(Schema.TableModel table, ReadRange range) => inner.OpenReader(table, range);

        public IEnumerable<string> Unreadable(Schema.TableModel table) => (inner as ITypeCheckedSource)?.Unreadable(table) ?? [];

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
