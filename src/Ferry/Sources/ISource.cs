using Ferry.Copy;
using Ferry.Schema;

namespace Ferry.Sources;

/// <summary>
/// A place rows come from: a SQLite file, a DuckDB database, Parquet/CSV files, a PostgreSQL database.
/// Discovery describes it; readers stream its rows, one table (or one key range of a table) each, and may
/// run in parallel (each reader opens its own connection).
/// </summary>
public interface ISource : IAsyncDisposable
{
    /// <summary>As the user wrote it: <c>sqlite:app.db</c>.</summary>
    string Description { get; }

    /// <summary>Tables (with target types chosen by this engine's mapping rules), keys, indexes, views.</summary>
    Task<SourceModel> DiscoverAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Splits a table into about <paramref name="parts"/> ranges that can be read in parallel; a single
    /// <see cref="ReadRange.All"/> when the engine or the table cannot be split.
    /// </summary>
    IReadOnlyList<ReadRange> PlanRanges(TableModel table, int parts);

    /// <summary>A forward-only reader of one range of a table.</summary>
    ITableReader OpenReader(PlannedTable table, ReadRange range);
}

/// <summary>
/// A source whose discovery looks at the data to decide types (SQLite's profile), and which can leave that to its readers
/// for a copy that loads: a table whose declared types leave nothing for the data to decide is not profiled; its readers
/// check each value as the profile would, and throw <see cref="ProfileNeededException"/> at the first that may not fit,
/// for the copy to profile the table and load it again. A plan that is only printed (<c>--dry-run</c>) profiles every table.
/// </summary>
internal interface IProfileDeferringSource
{
    /// <summary>This source again, deferring the profile of every table but <paramref name="profiled"/> (source names); null when it cannot.</summary>
    ISource? DeferringProfile(IReadOnlySet<string> profiled);
}

/// <summary>
/// A source whose readers produce only some target types: a column given another (by <c>--cast</c>) is refused while
/// planning, before anything is written, not when its reader opens after the table was created.
/// </summary>
internal interface ITypeCheckedSource
{
    /// <summary>Why the readers cannot produce some copied columns of <paramref name="table"/> as their types; empty when they can.</summary>
    IEnumerable<string> Unreadable(PlannedTable table);
}

/// <summary>
/// A source that counts, in its engine, the rows a table's <see cref="TableModel.SourceFilter"/> leaves out (its condition
/// false or NULL): the copy's accounting adds them to the rows read.
/// </summary>
internal interface IRowCountingSource
{
    /// <summary>The rows of <paramref name="table"/> its filter leaves out; 0 when it has none.</summary>
    Task<long> CountFilteredAsync(TableModel table, CancellationToken cancellationToken);
}

/// <summary>The SQL every engine counts filtered rows with.</summary>
internal static class FilteredRows
{
    /// <summary><c>SELECT count(*) FROM relation WHERE NOT coalesce((condition), false)</c>: the rows a reader with the condition skips.</summary>
    public static string CountSql(string relation, string condition) => $"SELECT count(*) FROM {relation} WHERE NOT coalesce(({condition}), false)";
}

/// <summary>A part of a table: by the engine's row key (SQLite rowid), inclusive bounds; or all of it.</summary>
public sealed record ReadRange(long? From, long? To)
{
    public static readonly ReadRange All = new(null, null);

    public bool IsAll => From is null && To is null;

    /// <summary>"all rows", "rows 1..500", or with an open end (no bound, or the type's extreme) "rows ..500", "rows 501..".</summary>
    public override string ToString() => IsAll ? "all rows" : $"rows {End(From, long.MinValue)}..{End(To, long.MaxValue)}";

    static string End(long? value, long open) =>
        value is { } v && v != open ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : "";
}

/// <summary>
/// Reads rows of one table into a sink, converting each value to its column's target type
/// (<see cref="PlannedColumn.Type"/>) with the sink's typed setters: no boxing per value.
/// </summary>
public interface ITableReader : IDisposable
{
    /// <summary>
    /// Reads the next row: for each copied column <c>i</c> (in <see cref="PlannedTable.Copied"/> order: the table's columns,
    /// generated ones skipped) calls one <c>sink.Set…(i, …)</c>, or <see cref="IRowSink.Reject"/> when a value cannot be
    /// converted. Returns false at the end of the range.
    /// </summary>
    bool ReadRow(IRowSink sink);

    /// <summary>Rows read so far (rejected ones included).</summary>
    long RowsRead { get; }
}
