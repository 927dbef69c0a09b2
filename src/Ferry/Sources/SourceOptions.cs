using Ferry.Schema;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Ferry.Sources;

/// <summary>What to do with TEXT that is not valid UTF-8 (<c>--invalid-utf8</c>).</summary>
public enum InvalidUtf8Handling
{
    /// <summary>Decode the bytes as Windows-1252 (every byte maps to a character: nothing is lost), and log it.</summary>
    Repair,

    /// <summary>Reject the row.</summary>
    Reject,
}

/// <summary>Options every source understands, and each engine's own (<see cref="EngineOptions"/>).</summary>
public sealed record SourceOptions
{
    /// <summary>Tables to read, named as <c>--tables</c> names them (<see cref="TableSelection"/>); null or empty means all.</summary>
    public IReadOnlyList<string>? Tables { get; init; }

    /// <summary>How names become PostgreSQL names; sources need it to translate view and index SQL.</summary>
    public NamingRule Names { get; init; } = NamingRule.Lower;

    public InvalidUtf8Handling InvalidUtf8 { get; init; } = InvalidUtf8Handling.Repair;

    /// <summary>
    /// <c>--where 'table: condition'</c>: a source table (name, or schema.name) → the SQL condition, in the source engine's
    /// own dialect, its rows are read with. The engine runs it (reads and counts); it is checked at discovery.
    /// </summary>
    public IReadOnlyDictionary<string, string> Filters { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Where a transform file gives the filters it gave (<see cref="Transforms.TransformOrigins.Filter"/>), so a refusal names its line.</summary>
    public Transforms.TransformOrigins Origins { get; init; } = Transforms.TransformOrigins.None;

    /// <summary>Tables defined by a query the source engine runs (<see cref="DerivedTable"/>), copied after the source's own.</summary>
    public IReadOnlyList<DerivedTable> DerivedTables { get; init; } = [];

    /// <summary>
    /// Scan the stored values so the data decides column types (SQLite's dynamic typing). Off when the types are
    /// known already: <c>ferry verify</c> takes them from the tables the copy created.
    /// </summary>
    public bool ProfileData { get; init; } = true;

    /// <summary>What PostgreSQL stores in one value: the readers reject a longer one before they make it (tests give smaller limits).</summary>
    internal ValueLimits Limits { get; init; } = ValueLimits.PostgreSql;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>Options only one engine reads, each taken by the engine that knows its type (<see cref="DuckDb.CsvOptions"/> for <c>csv:</c>).</summary>
    public IReadOnlyList<IEngineOptions> EngineOptions { get; init; } = [];

    /// <summary>Parses <c>--where</c> values (<c>table: condition</c>) into <see cref="Filters"/>.</summary>
    public static IReadOnlyDictionary<string, string> ParseFilters(IEnumerable<string> values)
    {
        var where = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var colon = value.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || value[(colon + 1)..].Trim().Length == 0)
                throw new FerryException($"--where '{value}': write it as 'table: SQL condition', e.g. --where 'events: created_at >= ''2024-01-01'''.");
            var table = value[..colon].Trim();
            if (!where.TryAdd(table, value[(colon + 1)..].Trim()))
                throw new FerryException($"--where: table '{table}' has two conditions; join them with AND in one --where.");
        }

        return where;
    }

    /// <summary>The engine's own options of type <typeparamref name="T"/>, if given.</summary>
    internal T? Engine<T>()
        where T : class, IEngineOptions => EngineOptions.OfType<T>().FirstOrDefault();
}
