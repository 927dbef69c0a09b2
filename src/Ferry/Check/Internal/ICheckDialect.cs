using Ferry.Check.Spec;
using Ferry.Verify.Internal;

namespace Ferry.Check.Internal;

/// <summary>
/// Expectations compiled to one database's SQL. A table's row checks become predicates that one scan counts
/// (<see cref="Scan"/>); a failed one's predicate picks its first rows by key (<see cref="Sample"/>). Every value a
/// query returns is text or a whole number. One implementation per database: PostgreSQL, SQLite, DuckDB.
/// </summary>
internal interface ICheckDialect
{
    /// <summary>
    /// The predicate true for a row that fails <paramref name="expectation"/> (its columns resolved in
    /// <paramref name="columns"/>; <paramref name="window"/> names its unique window); null for a kind not checked row by row in SQL.
    /// </summary>
    string? RowFails(Expectation expectation, IReadOnlyList<TargetColumn> columns, string window);

    /// <summary>The window counting the rows that share <paramref name="columns"/>' values, named <paramref name="name"/>.</summary>
    string UniqueWindow(IReadOnlyList<TargetColumn> columns, string name);

    /// <summary>An aggregate: 1 when the newest value of <paramref name="column"/> is older than <paramref name="within"/> (or there is none), else 0.</summary>
    string Stale(TargetColumn column, TimeSpan within);

    /// <summary>An aggregate: the newest value of <paramref name="column"/>, as text.</summary>
    string Newest(TargetColumn column);

    /// <summary>An aggregate: the rows for which <paramref name="predicate"/> is true.</summary>
    string CountWhere(string predicate);

    /// <summary>
    /// The one query over the table: <c>count(*)</c> then <paramref name="aggregates"/>, reading <paramref name="projected"/>
    /// and the unique <paramref name="windows"/>; with <paramref name="noRows"/>, the same query reading nothing (to see whether the database takes it).
    /// </summary>
    string Scan(CheckedTable table, IReadOnlyList<TargetColumn> projected, IReadOnlyList<string> windows, IReadOnlyList<string> aggregates, bool noRows = false);

    /// <summary>The key (then <paramref name="shown"/>) of the first <paramref name="limit"/> rows by key for which <paramref name="predicate"/> is true.</summary>
    string Sample(CheckedTable table, IReadOnlyList<TargetColumn> projected, IReadOnlyList<string> windows, string predicate, IReadOnlyList<TargetColumn> shown, int limit);

    /// <summary>A query that fails when <paramref name="pattern"/> is not a regular expression the database reads; null when it needs none.</summary>
    string? RegexProbe(string pattern);

    /// <summary>
    /// The rows whose <paramref name="column"/> has a value <paramref name="referenced"/>'s <paramref name="referencedColumn"/>
    /// does not: the first <paramref name="limit"/> by key (key, then the value), each with the count of them all last.
    /// </summary>
    string Orphans(CheckedTable table, TargetColumn column, CheckedTable referenced, TargetColumn referencedColumn, int limit);

    /// <summary>A user's query's first <paramref name="limit"/> rows, each as one JSON object, with the count of them all last.</summary>
    string UserQuery(string query, int limit);

    /// <summary>Every row's key and <paramref name="columns"/>' values, by key, for rows with a value in one of them.</summary>
    string Values(CheckedTable table, IReadOnlyList<TargetColumn> columns);
}
