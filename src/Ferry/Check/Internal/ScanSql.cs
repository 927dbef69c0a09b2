namespace Ferry.Check.Internal;

/// <summary>
/// The SQL every dialect writes alike (PostgreSQL, SQLite and DuckDB all have aggregate FILTER and windows): the table's
/// one scan, its FROM (the table, or its checked columns with the unique windows beside them) and the uuid pattern.
/// Each dialect passes names and the relation quoted its own way.
/// </summary>
internal static class ScanSql
{
    public const string Uuid = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    public static string CountWhere(string predicate) => $"count(*) FILTER (WHERE {predicate})";

    /// <summary><c>count(*) OVER (PARTITION BY …) AS name</c>: how many rows share the columns' values.</summary>
    public static string UniqueWindow(IEnumerable<string> quotedColumns, string quotedName) =>
        $"count(*) OVER (PARTITION BY {string.Join(", ", quotedColumns)}) AS {quotedName}";

    /// <summary>The relation as <c>t</c>: the table itself, or, when unique windows are needed, the columns they and the checks read with the windows beside them.</summary>
    public static string From(string table, IEnumerable<string> quotedColumns, IReadOnlyList<string> windows) =>
        windows.Count == 0
            ? $"{table} AS t"
            : $"(SELECT {string.Join(", ", quotedColumns.Concat(windows))} FROM {table}) AS t";

    /// <summary>The one scan: <c>count(*)</c> and the aggregates; with <paramref name="noRows"/>, over no row (to find the one the server refuses).</summary>
    public static string Scan(string from, IReadOnlyList<string> aggregates, bool noRows) =>
        $"SELECT {string.Join(", ", aggregates.Prepend("count(*)"))} FROM {from}{(noRows ? " WHERE false" : "")}";
}
