using System.Globalization;
using System.Text;
using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>How one column's values are actually stored: counts per SQLite storage class, and a few extremes.</summary>
internal sealed class SqliteColumnProfile
{
    public long Integers { get; init; }

    public long Reals { get; init; }

    public long Texts { get; init; }

    public long Blobs { get; init; }

    /// <summary>Longest TEXT value, in characters.</summary>
    public long? MaxTextLength { get; init; }

    /// <summary>One of the TEXT values (the smallest), for notes.</summary>
    public string? SampleText { get; init; }

    public long? MinInteger { get; init; }

    public long? MaxInteger { get; init; }

    /// <summary>Booleans: TEXT values spelled as booleans. Timestamps: TEXT values with a zone ('Z', '+02:00').</summary>
    public long SpecialTexts { get; init; }

    public long NonNull => Integers + Reals + Texts + Blobs;
}

/// <summary>
/// One pass over a table (<c>SELECT count(*), sum(typeof(c)='integer'), … FROM t</c> for all columns at once)
/// and the decisions the stored values force on the declared types. Every decision is noted on the table.
/// </summary>
internal static class SqliteDataProfile
{
    const int PerColumn = 9;

    /// <summary>The scan's SQL; <paramref name="rowid"/> adds min/max rowid for range planning.</summary>
    public static string Sql(string table, IReadOnlyList<(string Name, PgType Type)> columns, string? rowid)
    {
        var sb = new StringBuilder("SELECT count(*)");
        sb.Append(rowid is null ? ", NULL, NULL" : $", min({rowid}), max({rowid})");
        foreach (var (name, type) in columns)
        {
            var c = SqliteNative.Quote(name);
            sb.Append(CultureInfo.InvariantCulture,
                $", sum(typeof({c}) = 'integer'), sum(typeof({c}) = 'real'), sum(typeof({c}) = 'text'), sum(typeof({c}) = 'blob')");
            sb.Append(CultureInfo.InvariantCulture,
                $", max(CASE WHEN typeof({c}) = 'text' THEN length({c}) END), min(CASE WHEN typeof({c}) = 'text' THEN {c} END)");
            sb.Append(CultureInfo.InvariantCulture,
                $", min(CASE WHEN typeof({c}) = 'integer' THEN {c} END), max(CASE WHEN typeof({c}) = 'integer' THEN {c} END)");
            sb.Append(type.Kind switch
            {
                PgTypeKind.Boolean =>
                    $", sum(typeof({c}) = 'text' AND lower(trim({c})) IN ('t', 'f', 'true', 'false', 'y', 'n', 'yes', 'no', 'on', 'off', '0', '1'))",
                PgTypeKind.Timestamp or PgTypeKind.TimestampTz =>
                    $", sum(typeof({c}) = 'text' AND (trim({c}) LIKE '%z' OR trim({c}) GLOB '*[0-9][+-][0-9][0-9]:[0-9][0-9]' OR trim({c}) GLOB '*[0-9] [+-][0-9][0-9]:[0-9][0-9]' OR trim({c}) GLOB '*:[0-9][0-9]*[+-][0-9][0-9][0-9][0-9]'))",
                _ => ", 0",
            });
        }

        return sb.Append(" FROM ").Append(SqliteNative.Quote(table)).ToString();
    }

    public static SqliteColumnProfile Read(Func<int, object?> value, int column)
    {
        var b = 3 + column * PerColumn;
        long L(int i) => value(b + i) is { } v ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : 0;
        long? N(int i) => value(b + i) is { } v ? Convert.ToInt64(v, CultureInfo.InvariantCulture) : null;
        return new SqliteColumnProfile
        {
            Integers = L(0),
            Reals = L(1),
            Texts = L(2),
            Blobs = L(3),
            MaxTextLength = N(4),
            SampleText = value(b + 5) as string,
            MinInteger = N(6),
            MaxInteger = N(7),
            SpecialTexts = L(8),
        };
    }

    /// <summary>
    /// The type the stored values call for, given the declared type's rule and type. Returns the final type
    /// and appends what was decided (and why) to <paramref name="decisions"/>, which become the table's notes
    /// and the column's rule text.
    /// </summary>
    public static PgType Decide(SqliteTypeRule rule, PgType declared, SqliteColumnProfile p, List<string> decisions)
    {
        string Count(long n, string what) => $"{n.ToString(CultureInfo.InvariantCulture)} {what}{(n == 1 ? "" : "s")}";
        string Sample() => p.SampleText is { } s ? $" (e.g. '{(s.Length > 40 ? s[..37] + "..." : s)}')" : "";

        if (rule.Policy == DataPolicy.ByData || (rule.Policy == DataPolicy.NumericOrBigint && p.Texts + p.Blobs == 0))
        {
            if (p.NonNull == 0)
            {
                var empty = rule.Policy == DataPolicy.NumericOrBigint ? PgType.Numeric : declared.Kind == PgTypeKind.BigInt ? PgType.BigInt : PgType.Text;
                decisions.Add($"no values stored → {empty.ToSql()}");
                return empty;
            }

            if (p.Texts == 0 && p.Blobs == 0 && p.Reals == 0)
            {
                decisions.Add($"all {Count(p.Integers, "value")} are integers → bigint");
                return PgType.BigInt;
            }

            if (rule.Policy == DataPolicy.NumericOrBigint)
            {
                decisions.Add($"{Count(p.Reals, "real value")} stored → numeric (exact)");
                return PgType.Numeric;
            }

            if (p.Texts == 0 && p.Blobs == 0)
            {
                decisions.Add($"{Count(p.Integers, "integer")} and {Count(p.Reals, "real")} stored → double precision");
                return PgType.DoublePrecision;
            }

            if (p.Texts == 0 && p.Blobs == p.NonNull)
            {
                decisions.Add($"all {Count(p.Blobs, "value")} are blobs → bytea");
                return PgType.Bytea;
            }

            decisions.Add($"{Count(p.Texts, "text value")} among {Count(p.NonNull, "value")} stored → text" +
                (p.Blobs > 0 ? $"; {Count(p.Blobs, "blob")} decoded as text" : ""));
            return PgType.Text;
        }

        switch (declared.Kind)
        {
            case PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt or PgTypeKind.Numeric or PgTypeKind.DoublePrecision:
            {
                var type = declared;
                var numbers = p.Integers + p.Reals;
                if (p.Texts > 0 && p.Texts > numbers)
                {
                    decisions.Add($"{Count(p.Texts, "text value")}{Sample()} outnumber the {Count(numbers, "number")} → text (every value kept)");
                    return PgType.Text;
                }

                if (type.Kind is PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt && p.Reals > 0)
                {
                    decisions.Add($"{Count(p.Reals, "real value")} with a fraction stored → numeric (exact, keeps the integers too)");
                    type = PgType.Numeric;
                }
                else if (type.Kind is PgTypeKind.SmallInt or PgTypeKind.Integer && p.MinInteger is { } min && p.MaxInteger is { } max)
                {
                    var fits = type.Kind == PgTypeKind.SmallInt ? min >= short.MinValue && max <= short.MaxValue : min >= int.MinValue && max <= int.MaxValue;
                    if (!fits)
                    {
                        type = min >= int.MinValue && max <= int.MaxValue ? PgType.Integer : PgType.BigInt;
                        decisions.Add($"values from {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)} stored → {type.ToSql()}");
                    }
                }

                if (p.Texts > 0)
                    decisions.Add($"{Count(p.Texts, "text value")}{Sample()} {(p.Texts == 1 ? "is" : "are")} not {(type.Kind == PgTypeKind.BigInt ? "integers" : "numbers")}: those rows will be rejected");
                if (p.Blobs > 0)
                    decisions.Add($"{Count(p.Blobs, "blob")} stored: those rows will be rejected");
                return type;
            }

            case PgTypeKind.Boolean:
            {
                if ((p.MinInteger < 0 || p.MaxInteger > 1) && p.Texts == 0)
                {
                    decisions.Add($"integers from {p.MinInteger?.ToString(CultureInfo.InvariantCulture)} to {p.MaxInteger?.ToString(CultureInfo.InvariantCulture)} stored, not just 0/1 → bigint");
                    return PgType.BigInt;
                }

                var odd = p.Texts - p.SpecialTexts;
                if (odd > 0 && odd > p.Integers + p.SpecialTexts)
                {
                    decisions.Add($"{Count(odd, "text value")}{Sample()} are not booleans → text (every value kept)");
                    return PgType.Text;
                }

                if (p.Integers > 0)
                    decisions.Add($"{Count(p.Integers, "0/1 integer")} read as false/true");
                if (p.SpecialTexts > 0)
                    decisions.Add($"{Count(p.SpecialTexts, "text value")} like 'true'/'f' read as booleans");
                if (odd > 0)
                    decisions.Add($"{Count(odd, "text value")}{Sample()} are not booleans: those rows will be rejected");
                if (p.MinInteger < 0 || p.MaxInteger > 1)
                    decisions.Add("integers other than 0/1 stored: those rows will be rejected");
                return declared;
            }

            case PgTypeKind.Date or PgTypeKind.Timestamp or PgTypeKind.TimestampTz or PgTypeKind.Time:
            {
                if (p.Integers > 0 && declared.Kind != PgTypeKind.Time)
                {
                    var unit = Math.Max(Math.Abs(p.MinInteger ?? 0), Math.Abs(p.MaxInteger ?? 0)) >= SqliteTemporal.MicrosecondThreshold ? "microseconds"
                        : Math.Max(Math.Abs(p.MinInteger ?? 0), Math.Abs(p.MaxInteger ?? 0)) >= SqliteTemporal.MillisecondThreshold ? "milliseconds" : "seconds";
                    decisions.Add($"{Count(p.Integers, "integer")} read as Unix epoch {unit} (UTC)");
                }

                if (p.Reals > 0 && declared.Kind != PgTypeKind.Time)
                    decisions.Add($"{Count(p.Reals, "real")} read as julian day numbers");
                if (p.SpecialTexts > 0 && declared.Kind == PgTypeKind.Timestamp)
                    decisions.Add($"{Count(p.SpecialTexts, "text value")} carry a UTC offset or 'Z': converted to UTC");
                if (declared.Kind == PgTypeKind.Time && p.Integers + p.Reals > 0)
                    decisions.Add($"{Count(p.Integers + p.Reals, "number")} stored: those rows will be rejected");
                if (p.Blobs > 0)
                    decisions.Add($"{Count(p.Blobs, "blob")} stored: those rows will be rejected");
                return declared;
            }

            case PgTypeKind.Varchar or PgTypeKind.Char when declared.Length is { } n && p.MaxTextLength > n:
                decisions.Add($"values up to {p.MaxTextLength?.ToString(CultureInfo.InvariantCulture)} characters stored (SQLite does not enforce {n.ToString(CultureInfo.InvariantCulture)}) → text");
                return PgType.Text;
            case PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char when p.Blobs > 0:
                decisions.Add($"{Count(p.Blobs, "blob")} decoded as text");
                return declared;
            case PgTypeKind.Uuid when p.Integers + p.Reals > 0:
                decisions.Add($"{Count(p.Integers + p.Reals, "number")} stored: those rows will be rejected");
                return declared;
            default:
                return declared;
        }
    }
}
