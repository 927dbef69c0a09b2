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

/// <summary>Options every source understands.</summary>
public sealed record SourceOptions
{
    /// <summary>Tables to read, named as <c>--tables</c> names them (<see cref="TableSelection"/>); null or empty means all.</summary>
    public IReadOnlyList<string>? Tables { get; init; }

    /// <summary>How names become PostgreSQL names; sources need it to translate view and index SQL.</summary>
    public NamingRule Names { get; init; } = NamingRule.Lower;

    public InvalidUtf8Handling InvalidUtf8 { get; init; } = InvalidUtf8Handling.Repair;

    /// <summary>
    /// Scan the stored values so the data decides column types (SQLite's dynamic typing). Off when the types are
    /// known already: <c>ferry verify</c> takes them from the tables the copy created.
    /// </summary>
    public bool ProfileData { get; init; } = true;

    /// <summary>
    /// For a copy that loads: a SQLite table whose declared types leave nothing for the data to decide is not
    /// profiled before the load; its readers check each value as the profile's quick pass would, and throw
    /// <see cref="ProfileNeededException"/> at the first that may not fit, for the copy to profile the table and
    /// load it again. A plan that is only printed (<c>--dry-run</c>) profiles every table.
    /// </summary>
    internal bool DeferProfile { get; init; }

    /// <summary>With <see cref="DeferProfile"/>: source tables profiled all the same (their optimistic load found a value).</summary>
    internal IReadOnlySet<string>? ProfiledTables { get; init; }

    /// <summary>What PostgreSQL stores in one value: the readers reject a longer one before they make it (tests give smaller limits).</summary>
    internal ValueLimits Limits { get; init; } = ValueLimits.PostgreSql;

    public ILogger Logger { get; init; } = NullLogger.Instance;

    /// <summary>CSV overrides for <c>csv:GLOB</c> (header, delimiter, quote, null string); null: DuckDB's sniffer decides.</summary>
    public DuckDb.CsvOptions? Csv { get; init; }
}
