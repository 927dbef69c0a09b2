using System.Globalization;
using Ferry.Check.Spec;
using Ferry.Transforms.Steps;
using Ferry.Verify.Internal;

namespace Ferry.Check.Internal;

/// <summary>
/// Expectations in the SQL SQLite and DuckDB share (aggregate FILTER, windows, double-quoted names): each subclass
/// says how a value becomes text, how a regular expression is matched, and how time and a user's rows are read.
/// Bounds and allowed values are string literals the database compares as the column's type, as PostgreSQL does.
/// </summary>
internal abstract class FileCheckDialect : ICheckDialect
{
    /// <summary>Every name quoted: these databases fold nothing, and a quoted name cannot collide with a keyword.</summary>
    protected static string Q(string identifier) => Schema.Identifiers.QuoteAlways(identifier);

    internal static string Literal(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    protected static string Seconds(TimeSpan span) => span.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    protected static string Table(CheckedTable table) => Q(table.Schema) + "." + Q(table.Name);

    /// <summary>The value of <paramref name="expression"/> as text.</summary>
    protected abstract string Text(string expression);

    /// <summary>True when <paramref name="text"/> (never NULL) does not match <paramref name="pattern"/> anywhere.</summary>
    protected abstract string NoMatch(string text, string pattern);

    public abstract string Stale(TargetColumn column, TimeSpan within);

    public abstract string? RegexProbe(string pattern);

    public abstract string UserQuery(string query, int limit);

    string Text(TargetColumn column) => Text(Q(column.Name));

    public string? RowFails(Expectation expectation, IReadOnlyList<TargetColumn> columns, string window) => expectation switch
    {
        NotNullExpectation => $"{Q(columns[0].Name)} IS NULL",
        UniqueExpectation => $"{Q(window)} > 1 AND " + string.Join(" AND ", columns.Select(c => $"{Q(c.Name)} IS NOT NULL")),
        ValuesExpectation v => $"{Q(columns[0].Name)} NOT IN ({string.Join(", ", v.Allowed.Select(Literal))})",
        RangeExpectation r => string.Join(" OR ", new[] { r.Min is null ? null : $"{Q(columns[0].Name)} < {Literal(r.Min)}", r.Max is null ? null : $"{Q(columns[0].Name)} > {Literal(r.Max)}" }.OfType<string>()),
        MatchExpectation { Format: MatchFormat.Regex } m => Fails(columns[0], m.Pattern!),
        MatchExpectation { Format: MatchFormat.Email } => Fails(columns[0], ValidateEmailStep.Pattern),
        MatchExpectation { Format: MatchFormat.Uuid } => Fails(columns[0], ScanSql.Uuid),
        MatchExpectation { Format: MatchFormat.Ip } => Fails(columns[0], PostgresCheckDialect.IpPattern),
        _ => null,
    };

    /// <summary>A NULL is not checked: the predicate is false for it, as PostgreSQL's <c>!~</c> is NULL for it.</summary>
    string Fails(TargetColumn column, string pattern) => $"({Q(column.Name)} IS NOT NULL AND {NoMatch(Text(column), pattern)})";

    public string UniqueWindow(IReadOnlyList<TargetColumn> columns, string name) => ScanSql.UniqueWindow(columns.Select(c => Q(c.Name)), Q(name));

    public string Newest(TargetColumn column) => Text($"max({Q(column.Name)})");

    public string CountWhere(string predicate) => ScanSql.CountWhere(predicate);

    public string Scan(CheckedTable table, IReadOnlyList<TargetColumn> projected, IReadOnlyList<string> windows, IReadOnlyList<string> aggregates, bool noRows = false) =>
        ScanSql.Scan(From(table, projected, windows), aggregates, noRows);

    public string Sample(CheckedTable table, IReadOnlyList<TargetColumn> projected, IReadOnlyList<string> windows, string predicate, IReadOnlyList<TargetColumn> shown, int limit) =>
        $"SELECT {string.Join(", ", table.Key.Concat(shown).Select(c => Text("t." + Q(c.Name))))} FROM {From(table, projected, windows)} WHERE {predicate} ORDER BY {KeyOrder(table)} LIMIT {limit}";

    static string From(CheckedTable table, IReadOnlyList<TargetColumn> projected, IReadOnlyList<string> windows) =>
        ScanSql.From(Table(table), projected.Select(c => Q(c.Name)), windows);

    /// <summary>By the primary key's own order; a table without one by its values' text.</summary>
    string KeyOrder(CheckedTable table) =>
        string.Join(", ", table.Key.Select(c => table.HasPrimaryKey ? "t." + Q(c.Name) : Text("t." + Q(c.Name))));

    public string Orphans(CheckedTable table, TargetColumn column, CheckedTable referenced, TargetColumn referencedColumn, int limit) =>
        $"SELECT {string.Join(", ", table.Key.Append(column).Select(c => Text("t." + Q(c.Name))))}, count(*) OVER () FROM {Table(table)} AS t " +
        $"WHERE t.{Q(column.Name)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {Table(referenced)} AS r WHERE r.{Q(referencedColumn.Name)} = t.{Q(column.Name)}) " +
        $"ORDER BY {KeyOrder(table)} LIMIT {limit}";

    public string Values(CheckedTable table, IReadOnlyList<TargetColumn> columns) =>
        $"SELECT {string.Join(", ", table.Key.Concat(columns).Select(c => Text("t." + Q(c.Name))))} FROM {Table(table)} AS t " +
        $"WHERE {string.Join(" OR ", columns.Select(c => $"{Q(c.Name)} IS NOT NULL"))} ORDER BY {KeyOrder(table)}";
}
