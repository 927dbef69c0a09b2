using Ferry.Connections;
using Ferry.Schema;
using Ferry.Sources;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Copy;

/// <summary>What <c>ferry copy</c> does: from where, to where, which tables, and how.</summary>
public sealed record CopyOptions
{
    /// <summary>As the user wrote it: <c>sqlite:app.db</c>, <c>duckdb:wh.duckdb</c>, <c>parquet:data/*.parquet</c>, <c>csv:GLOB</c>, <c>postgres://…</c>.</summary>
    public required string Source { get; init; }

    /// <summary>The target; not needed for a dry run.</summary>
    public PostgresTarget? Target { get; init; }

    /// <summary>Tables to copy, named as <c>--tables</c> names them (docs/copy.md); null or empty means all.</summary>
    public IReadOnlyList<string>? Tables { get; init; }

    /// <summary>The target table's name for a file source (<c>parquet:</c>, <c>csv:</c>): a glob is one table.</summary>
    public string? TableName { get; init; }

    /// <summary>Creates every table in this schema instead of the source's (or public).</summary>
    public string? TargetSchema { get; init; }

    /// <summary>Tables (or key ranges of large tables) loaded at once, each on its own connection.</summary>
    public int Jobs { get; init; } = DefaultJobs;

    public static int DefaultJobs => Math.Min(4, Environment.ProcessorCount);

    public NamingRule Names { get; init; } = NamingRule.Lower;

    /// <summary>Where <c>&lt;table&gt;.jsonl</c> reject files go (created only when a row is rejected).</summary>
    public string RejectsDirectory { get; init; } = "ferry-rejects";

    /// <summary>Plan only: the mapping and the DDL, nothing written anywhere.</summary>
    public bool DryRun { get; init; }

    /// <summary>Continue an interrupted copy: finished tables are kept, unfinished ones reloaded.</summary>
    public bool Resume { get; init; }

    /// <summary>Drop target tables and views that already exist under the planned names, then copy.</summary>
    public bool Replace { get; init; }

    /// <summary>
    /// After the copy, a view under each renamed table's source schema, name and column names, over the copied table
    /// (<c>--compat-views</c>; a PostgreSQL source), so that queries written for the old names keep working.
    /// </summary>
    public bool CompatViews { get; init; }

    /// <summary>Type overrides: <c>table.column</c> → PostgreSQL type (<c>--cast invoice.total=numeric(12,2)</c>).</summary>
    public IReadOnlyDictionary<string, string> Casts { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Steps each value of a column goes through on its way to the target: <c>table.column</c> (source names) → the
    /// steps, in order. The plan shows them (<c>--dry-run</c>), the copy applies them, and verify applies them to the
    /// source's values before comparing.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<Transforms.ColumnStep>> ColumnSteps { get; init; } = new Dictionary<string, IReadOnlyList<Transforms.ColumnStep>>();

    /// <summary>
    /// Tables a transform renames, moves to another schema, or copies without some columns: source table name
    /// (<c>users</c>, <c>app.users</c>) → what changes. The names are taken verbatim; the plan notes each change.
    /// </summary>
    public IReadOnlyDictionary<string, TableRename> TableRenames { get; init; } = new Dictionary<string, TableRename>();

    public InvalidUtf8Handling InvalidUtf8 { get; init; } = InvalidUtf8Handling.Repair;

    /// <summary><c>--where 'table: condition'</c>: source table → the condition its rows are read with (<see cref="Sources.SourceOptions.Filters"/>).</summary>
    public IReadOnlyDictionary<string, string> Filters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Where a transform file names the tables, columns and filters it put into these options: refusals name its lines.</summary>
    public Transforms.TransformOrigins Origins { get; init; } = Transforms.TransformOrigins.None;

    /// <summary>
    /// The transform's effective content as a digest (<see cref="Transforms.TransformFingerprint"/>), set with its steps;
    /// <c>--resume</c> keeps a loaded table only when the transform (and the filters) it was loaded under are the same.
    /// </summary>
    public string? TransformDigest { get; init; }

    /// <summary>Tables defined by a query the source runs (<see cref="Sources.SourceOptions.DerivedTables"/>).</summary>
    public IReadOnlyList<DerivedTable> DerivedTables { get; init; } = [];

    /// <summary>
    /// Rows per COPY batch (fewer for wide tables; a batch is also bounded to a few MB). Each batch is one COPY
    /// and one commit: fewer, larger batches load a large table faster, for a little more memory.
    /// </summary>
    public int BatchRows { get; init; } = 50_000;

    /// <summary>Tables estimated at more rows than this are split into key ranges across the jobs.</summary>
    public long SplitAboveRows { get; init; } = DefaultSplitAboveRows;

    /// <summary>A table above this many rows is read in ranges (see <see cref="SplitAboveRows"/>); verify splits as rarely.</summary>
    public const long DefaultSplitAboveRows = 200_000;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>
    /// Called once every check has passed, just before the copy's first write to the target; a copy refused by its
    /// checks never calls it (the command line starts the run's journal here, so a refused run writes nothing).
    /// </summary>
    public Func<CancellationToken, Task>? BeforeFirstWrite { get; init; }

    /// <summary>
    /// With <see cref="Replace"/>: called with the tables about to be dropped and copied again (qualified names), before
    /// anything is dropped (the command line snapshots them here under <c>--backup</c>). Not called when none exists.
    /// </summary>
    public Func<IReadOnlyList<string>, CancellationToken, Task>? BeforeReplace { get; init; }

    /// <summary>How work that lost its connection to the target is retried (each retry is logged as a warning).</summary>
    public RetryPolicy Retry { get; init; } = RetryPolicy.Default;

    /// <summary>Options only one kind of source reads: <see cref="Sources.DuckDb.CsvOptions"/> for a <c>csv:</c> source (<c>--csv-header</c>, <c>--csv-delimiter</c>, …).</summary>
    public IReadOnlyList<IEngineOptions> EngineOptions { get; init; } = [];

    /// <summary>The options this copy opens its source with (<see cref="SourceFactory.Open"/>): its table selection, naming rule, UTF-8 handling, filters, derived tables, logger and engine options.</summary>
    public SourceOptions SourceOptions => new()
    {
        Tables = Tables,
        Names = Names,
        InvalidUtf8 = InvalidUtf8,
        Filters = Filters,
        Origins = Origins,
        DerivedTables = DerivedTables,
        Logger = Logger,
        EngineOptions = EngineOptions,
    };

    /// <summary>Parses <c>--cast t.c=type</c> values.</summary>
    public static IReadOnlyDictionary<string, string> ParseCasts(IEnumerable<string> casts)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var cast in casts)
        {
            var eq = cast.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0 || eq == cast.Length - 1)
                throw new FerryException($"--cast '{cast}': write it as table.column=type, e.g. invoice.total=numeric(12,2).");
            var type = cast[(eq + 1)..].Trim();
            _ = PgType.Parse(type);
            result[cast[..eq].Trim()] = type;
        }

        return result;
    }
}
