using System.Globalization;
using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>The type a column's stored values call for, given its declared type and the profile of its values.</summary>
internal static class SqliteDataDecision
{
    /// <summary>2^53: every integer up to it (either sign) is exactly a double.</summary>
    const long ExactDoubleInteger = 1L << 53;

    /// <summary>
    /// The type the stored values call for, given the declared type's rule and type. Returns the final type
    /// and appends what was decided (and why) to <paramref name="decisions"/>, which become the table's notes
    /// and the column's rule text.
    /// </summary>
    public static PgType Decide(SqliteTypeRule rule, PgType declared, SqliteColumnProfile p, long rows, List<string> decisions)
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
                // double precision holds every integer only up to 2^53; beyond, numeric keeps both kinds exactly.
                if (p.MinInteger < -ExactDoubleInteger || p.MaxInteger > ExactDoubleInteger)
                {
                    var widest = p.MaxInteger > ExactDoubleInteger ? p.MaxInteger : p.MinInteger;
                    decisions.Add($"{Count(p.Integers, "integer")} and {Count(p.Reals, "real")} stored, integers up to {widest?.ToString(CultureInfo.InvariantCulture)} " +
                        "that double precision would round → numeric (exact)");
                    return PgType.Numeric;
                }

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
                if (p.Texts > 0 && p.Texts * 2 > rows)
                {
                    decisions.Add($"{Count(p.Texts, "text value")}{Sample()} in {Count(rows, "row")}: mostly text → text (every value kept)");
                    return PgType.Text;
                }

                if (type.Kind is PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt && p.Reals > 0)
                {
                    decisions.Add($"{Count(p.Reals, "real value")} (a fraction, or an integer beyond 64 bits) stored → numeric (exact, keeps the integers too)");
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
                if (p.Integers > 0 && p.Texts == 0)
                {
                    decisions.Add($"integers from {p.MinInteger?.ToString(CultureInfo.InvariantCulture)} to {p.MaxInteger?.ToString(CultureInfo.InvariantCulture)} stored, not just 0/1 → bigint");
                    return PgType.BigInt;
                }

                var odd = p.Texts - p.SpecialTexts;
                if (odd > 0 && odd * 2 > rows)
                {
                    decisions.Add($"{Count(odd, "text value")}{Sample()} in {Count(rows, "row")} are not booleans → text (every value kept)");
                    return PgType.Text;
                }

                if (p.SpecialTexts > 0)
                    decisions.Add($"{Count(p.SpecialTexts, "text value")} like 'true'/'f' read as booleans");
                if (odd > 0)
                    decisions.Add($"{Count(odd, "text value")}{Sample()} are not booleans: those rows will be rejected");
                if (p.Integers + p.Reals > 0)
                    decisions.Add($"{Count(p.Integers + p.Reals, "number")} other than 0/1 stored: those rows will be rejected");
                if (p.Blobs > 0)
                    decisions.Add($"{Count(p.Blobs, "blob")} stored: those rows will be rejected");
                return declared;
            }

            case PgTypeKind.Date or PgTypeKind.Timestamp or PgTypeKind.TimestampTz or PgTypeKind.Time:
            {
                var zonesCounted = declared.Kind == PgTypeKind.Timestamp; // for dates, SpecialTexts counts times of day
                if (declared.Kind == PgTypeKind.Date && p.SpecialTexts > 0)
                {
                    decisions.Add($"{Count(p.SpecialTexts, "value")} with a time of day → timestamp (a date would drop it)");
                    declared = PgType.Timestamp;
                }

                if (p.Integers > 0 && declared.Kind != PgTypeKind.Time && p.MinInteger is { } min && p.MaxInteger is { } max)
                {
                    // The reader takes each integer's unit from its own magnitude: name every unit the range spans.
                    static string Unit(long v) => Math.Abs((decimal)v) >= SqliteTemporal.MicrosecondThreshold ? "microseconds"
                        : Math.Abs((decimal)v) >= SqliteTemporal.MillisecondThreshold ? "milliseconds" : "seconds";
                    var (smallest, largest) = (min <= 0 && max >= 0 ? "seconds" : Unit(Math.Abs((decimal)min) < Math.Abs((decimal)max) ? min : max),
                        Unit(Math.Abs((decimal)min) > Math.Abs((decimal)max) ? min : max));
                    decisions.Add(smallest == largest
                        ? $"{Count(p.Integers, "integer")} read as Unix epoch {largest} (UTC)"
                        : $"{Count(p.Integers, "integer")} read as Unix epoch {smallest} to {largest}, each by its magnitude (UTC)");
                }

                if (p.Reals > 0 && declared.Kind != PgTypeKind.Time)
                    decisions.Add($"{Count(p.Reals, "real")} read as julian day numbers");
                if (p.SpecialTexts > 0 && zonesCounted)
                    decisions.Add($"text values with a UTC offset or 'Z' stored ({p.SpecialTexts.ToString(CultureInfo.InvariantCulture)} in the first {SqliteValueChecks.ZoneSampleRows.ToString("N0", CultureInfo.InvariantCulture)} rows): converted to UTC");
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
