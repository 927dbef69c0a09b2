namespace Ferry.Check.Internal;

/// <summary>
/// Expectations in DuckDB's SQL: regular expressions are <c>regexp_matches</c> (RE2's syntax, matched anywhere in
/// the value unless anchored), a user's rows are made JSON by <c>to_json</c>.
/// </summary>
internal sealed class DuckDbCheckDialect : FileCheckDialect
{
    protected override string Text(string expression) => $"CAST({expression} AS VARCHAR)";

    protected override string NoMatch(string text, string pattern) => $"NOT regexp_matches({text}, {Literal(pattern)})";

    public override string Stale(Verify.Internal.TargetColumn column, TimeSpan within) =>
        $"CAST(CASE WHEN max(CAST({Q(column.Name)} AS TIMESTAMPTZ)) >= now() - to_seconds({Seconds(within)}) THEN 0 ELSE 1 END AS BIGINT)";

    public override string? RegexProbe(string pattern) => $"SELECT regexp_matches('', {Literal(pattern)})";

    public override string UserQuery(string query, int limit) =>
        $"SELECT CAST(to_json(q) AS VARCHAR), count(*) OVER () FROM ({query}\n) AS q LIMIT {limit}";
}
