using System.Globalization;
using Ferry.Check.Spec;
using Ferry.Schema;
using Ferry.Transforms.Steps;
using Ferry.Verify.Internal;

namespace Ferry.Check.Internal;

/// <summary>
/// Expectations in PostgreSQL's SQL. Bounds and allowed values are untyped literals, so the server reads them as the
/// column's type (a number, a date, an enum label) and refuses one that is not. Formats are regular expressions on the
/// value's text (<c>~</c>, PostgreSQL's ARE syntax); an IP address is <c>pg_input_is_valid(…, 'inet')</c> on
/// PostgreSQL 16 and later, a regular expression before.
/// </summary>
internal sealed class PostgresCheckDialect(int serverMajor) : ICheckDialect
{
    const string Ipv4 = @"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])([.](25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}";

    const string Hex = "[0-9a-fA-F]{1,4}";

    /// <summary>IPv4, or IPv6 in each of its abbreviated forms (and with an IPv4 tail), as inet reads them without a prefix.</summary>
    internal static readonly string IpPattern =
        $"^({Ipv4}|({Hex}:){{7}}{Hex}|({Hex}:){{1,7}}:|({Hex}:){{1,6}}:{Hex}|({Hex}:){{1,5}}(:{Hex}){{1,2}}|({Hex}:){{1,4}}(:{Hex}){{1,3}}" +
        $"|({Hex}:){{1,3}}(:{Hex}){{1,4}}|({Hex}:){{1,2}}(:{Hex}){{1,5}}|{Hex}:(:{Hex}){{1,6}}|:((:{Hex}){{1,7}}|:)" +
        $"|({Hex}:){{6}}{Ipv4}|::([fF]{{4}}(:0{{1,4}})?:)?{Ipv4}|({Hex}:){{1,5}}:{Ipv4})$";

    static string Q(string identifier) => Identifiers.Quote(identifier);

    static string Text(TargetColumn column) => $"{Q(column.Name)}::text";

    static string Table(CheckedTable table) => Identifiers.Qualify(table.Schema, table.Name);

    public string? RowFails(Expectation expectation, IReadOnlyList<TargetColumn> columns, string window) => expectation switch
    {
        NotNullExpectation => $"{Q(columns[0].Name)} IS NULL",
        UniqueExpectation => $"{Q(window)} > 1 AND " + string.Join(" AND ", columns.Select(c => $"{Q(c.Name)} IS NOT NULL")),
        ValuesExpectation v => $"{Q(columns[0].Name)} NOT IN ({string.Join(", ", v.Allowed.Select(Identifiers.Literal))})",
        RangeExpectation r => string.Join(" OR ", new[] { r.Min is null ? null : $"{Q(columns[0].Name)} < {Identifiers.Literal(r.Min)}", r.Max is null ? null : $"{Q(columns[0].Name)} > {Identifiers.Literal(r.Max)}" }.OfType<string>()),
        MatchExpectation { Format: MatchFormat.Regex } m => $"{Text(columns[0])} !~ {Identifiers.Literal(m.Pattern!)}",
        MatchExpectation { Format: MatchFormat.Email } => $"{Text(columns[0])} !~ {Identifiers.Literal(ValidateEmailStep.Pattern)}",
        MatchExpectation { Format: MatchFormat.Uuid } => $"{Text(columns[0])} !~ {Identifiers.Literal(ScanSql.Uuid)}",
        MatchExpectation { Format: MatchFormat.Ip } => IpFails(columns[0]),
        _ => null,
    };

    /// <summary>A host address: no prefix (an inet column's value has its full mask), as <c>validate: ip</c> takes it.</summary>
    string IpFails(TargetColumn column) =>
        column.TypeName is "inet" or "cidr" ? $"masklen({Q(column.Name)}) <> CASE family({Q(column.Name)}) WHEN 4 THEN 32 ELSE 128 END"
        : serverMajor >= 16 ? $"NOT (strpos({Text(column)}, '/') = 0 AND pg_input_is_valid({Text(column)}, 'inet'))"
        : $"{Text(column)} !~ {Identifiers.Literal(IpPattern)}";

    public string UniqueWindow(IReadOnlyList<TargetColumn> columns, string name) => ScanSql.UniqueWindow(columns.Select(c => Q(c.Name)), Q(name));

    public string Stale(TargetColumn column, TimeSpan within) =>
        $"CASE WHEN max({Q(column.Name)}) >= now() - interval '{within.TotalSeconds.ToString(CultureInfo.InvariantCulture)} seconds' THEN 0 ELSE 1 END::bigint";

    public string Newest(TargetColumn column) => $"max({Q(column.Name)})::text";

    public string CountWhere(string predicate) => ScanSql.CountWhere(predicate);

    public string Scan(CheckedTable table, IReadOnlyList<TargetColumn> projected, IReadOnlyList<string> windows, IReadOnlyList<string> aggregates, bool noRows = false) =>
        ScanSql.Scan(From(table, projected, windows), aggregates, noRows);

    public string Sample(CheckedTable table, IReadOnlyList<TargetColumn> projected, IReadOnlyList<string> windows, string predicate, IReadOnlyList<TargetColumn> shown, int limit) =>
        $"SELECT {string.Join(", ", table.Key.Concat(shown).Select(Text))} FROM {From(table, projected, windows)} WHERE {predicate} ORDER BY {KeyOrder(table, "t.")} LIMIT {limit}";

    /// <summary>The table, or, when unique windows are needed, the columns they and the checks read with the windows beside them.</summary>
    static string From(CheckedTable table, IReadOnlyList<TargetColumn> projected, IReadOnlyList<string> windows) =>
        ScanSql.From(Table(table), projected.Select(c => Q(c.Name)), windows);

    /// <summary>By the primary key's own order (qualified: the select list's ::text columns have the same names); a table without one by its values' text.</summary>
    static string KeyOrder(CheckedTable table, string alias) =>
        string.Join(", ", table.Key.Select(c => table.HasPrimaryKey ? alias + Q(c.Name) : $"{alias}{Q(c.Name)}::text"));

    public string? RegexProbe(string pattern) => $"SELECT ''::text ~ {Identifiers.Literal(pattern)}";

    public string Orphans(CheckedTable table, TargetColumn column, CheckedTable referenced, TargetColumn referencedColumn, int limit) =>
        $"SELECT {string.Join(", ", table.Key.Append(column).Select(c => "t." + Text(c)))}, count(*) OVER () FROM {Table(table)} AS t " +
        $"WHERE t.{Q(column.Name)} IS NOT NULL AND NOT EXISTS (SELECT 1 FROM {Table(referenced)} AS r WHERE r.{Q(referencedColumn.Name)} = t.{Q(column.Name)}) " +
        $"ORDER BY {KeyOrder(table, "t.")} LIMIT {limit}";

    public string UserQuery(string query, int limit) =>
        $"SELECT to_jsonb(q)::text, count(*) OVER () FROM ({query}\n) AS q LIMIT {limit}";

    public string Values(CheckedTable table, IReadOnlyList<TargetColumn> columns) =>
        $"SELECT {string.Join(", ", table.Key.Concat(columns).Select(Text))} FROM {Table(table)} AS t " +
        $"WHERE {string.Join(" OR ", columns.Select(c => $"{Q(c.Name)} IS NOT NULL"))} ORDER BY {KeyOrder(table, "t.")}";
}
