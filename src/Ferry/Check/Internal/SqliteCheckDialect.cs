namespace Ferry.Check.Internal;

/// <summary>
/// Expectations in SQLite's SQL. SQLite has no regular expressions of its own: <c>REGEXP</c> calls the function
/// <see cref="SqliteCheckDatabase"/> registers (.NET's). Times are compared as Julian days: text as SQLite's date
/// functions read it, numbers as Unix seconds. A user's query's rows come back whole (SQLite cannot make a row JSON);
/// the database writes each as one JSON object.
/// </summary>
internal sealed class SqliteCheckDialect : FileCheckDialect
{
    protected override string Text(string expression) => $"CAST({expression} AS TEXT)";

    protected override string NoMatch(string text, string pattern) => $"NOT ({text} REGEXP {Literal(pattern)})";

    public override string Stale(Verify.Internal.TargetColumn column, TimeSpan within) =>
        $"CASE WHEN max(CASE WHEN typeof({Q(column.Name)}) IN ('integer', 'real') THEN julianday({Q(column.Name)}, 'unixepoch') ELSE julianday({Q(column.Name)}) END) " +
        $">= julianday('now', '-{Seconds(within)} seconds') THEN 0 ELSE 1 END";

    public override string? RegexProbe(string pattern) => $"SELECT '' REGEXP {Literal(pattern)}";

    public override string UserQuery(string query, int limit) => $"SELECT *, count(*) OVER () FROM ({query}\n) LIMIT {limit}";
}
