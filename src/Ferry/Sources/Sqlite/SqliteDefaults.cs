using System.Globalization;
using System.Text;
using System.Text.Json;
using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// Column defaults (the text of <c>PRAGMA table_xinfo</c>'s dflt_value) to PostgreSQL, for the column's target
/// type: literals converted (<c>'0'</c> on a boolean is <c>false</c>), SQLite's time functions of 'now'
/// translated, constant arithmetic kept. Anything else is dropped with a reason: a default must never make
/// CREATE TABLE fail.
/// </summary>
internal static class SqliteDefaults
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The PostgreSQL default, or null; <paramref name="problem"/> says why a default was dropped.</summary>
    public static string? Translate(string? sqliteDefault, PgType type, out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(sqliteDefault))
            return null;
        var tokens = SqliteLexer.Tokenize(sqliteDefault);
        while (tokens.Count >= 2 && tokens[0].IsSymbol("(") && SqliteLexer.MatchingParen(tokens, 0) == tokens.Count - 1)
            tokens = tokens[1..^1];
        if (tokens.Count == 0)
            return null;
        var result = TranslateTokens(tokens, type, out problem);
        if (problem is not null)
            problem = $"default {sqliteDefault} dropped: {problem}";
        return result;
    }

    static string? TranslateTokens(List<SqlToken> tokens, PgType type, out string? problem)
    {
        problem = null;
        if (tokens is [{ } only] && only.IsWord("null"))
            return null;

        // A literal, possibly signed.
        if (tokens is [{ Kind: SqlTokenKind.String or SqlTokenKind.Number or SqlTokenKind.Blob } literal])
            return Literal(literal, negative: false, type, out problem);
        if (tokens is [{ } sign, { Kind: SqlTokenKind.Number } number] && (sign.IsSymbol("-") || sign.IsSymbol("+")))
            return Literal(number, negative: sign.IsSymbol("-"), type, out problem);
        if (tokens is [{ } word] && (word.IsWord("true") || word.IsWord("false")))
            return Literal(new SqlToken(SqlTokenKind.Number, word.IsWord("true") ? "1" : "0"), false, type, out problem);

        // CURRENT_TIMESTAMP and friends, date functions of 'now'.
        if (tokens is [{ Kind: SqlTokenKind.Word } keyword])
        {
            var kind = keyword.Text.ToUpperInvariant() switch
            {
                "CURRENT_TIMESTAMP" => SqliteNow.Kind.Timestamp,
                "CURRENT_DATE" => SqliteNow.Kind.Date,
                "CURRENT_TIME" => SqliteNow.Kind.Time,
                _ => (SqliteNow.Kind?)null,
            };
            if (kind is { } k)
                return Now(k, local: false, type, out problem);
        }

        if (NowCall(tokens) is { } call)
        {
            if (call.Kind is { } k)
                return Now(k, call.Local, type, out problem);
            problem = call.Problem;
            return null;
        }

        if (IsRandomUuid(tokens))
        {
            if (type.Kind == PgTypeKind.Uuid)
                return "gen_random_uuid()";
            problem = $"random ids have no equivalent for a {type.ToSql()} column";
            return null;
        }

        // Constant arithmetic: numbers and operators only, on a numeric column.
        if (tokens.All(t => t.Kind == SqlTokenKind.Number || (t.Kind == SqlTokenKind.Symbol && t.Text is "(" or ")" or "+" or "-" or "*" or "/" or "%"))
            && type.Kind is PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt or PgTypeKind.Numeric or PgTypeKind.Real or PgTypeKind.DoublePrecision)
        {
            var sql = new SqliteSqlTranslator(NamingRule.Preserve).Translate(tokens);
            if (sql is not null)
                return "(" + sql + ")";
        }

        problem = "it is an expression Ferry does not translate";
        return null;
    }

    sealed record NowCallInfo(SqliteNow.Kind? Kind, bool Local, string? Problem);

    /// <summary>datetime('now'[, 'localtime']), date('now'), time('now'), strftime(fmt, 'now'), julianday('now'), unixepoch().</summary>
    static NowCallInfo? NowCall(List<SqlToken> tokens)
    {
        if (tokens.Count < 3 || tokens[0].Kind != SqlTokenKind.Word || !tokens[1].IsSymbol("(") || SqliteLexer.MatchingParen(tokens, 1) != tokens.Count - 1)
            return null;
        var function = tokens[0].Text.ToLowerInvariant();
        if (function is not ("datetime" or "date" or "time" or "strftime" or "julianday" or "unixepoch"))
            return null;
        var args = SqliteLexer.SplitTopLevel(tokens, 2, tokens.Count - 1);
        var strings = new List<string>();
        foreach (var arg in args)
        {
            if (arg is not [{ Kind: SqlTokenKind.String } s])
                return new NowCallInfo(null, false, $"{function}() of a non-literal argument");
            strings.Add(s.Text);
        }

        var first = function == "strftime" ? 1 : 0;
        var format = function == "strftime" && strings.Count > 0 ? strings[0] : null;
        if (function == "strftime" && strings.Count < 2)
            return new NowCallInfo(null, false, "strftime() without a time value");
        if (strings.Count > first && !strings[first].Equals("now", StringComparison.OrdinalIgnoreCase))
            return new NowCallInfo(null, false, $"{function}() of a fixed time is not a current-time default");
        var local = false;
        foreach (var modifier in strings.Skip(first + 1))
        {
            switch (modifier.ToLowerInvariant())
            {
                case "localtime":
                    local = true;
                    break;
                case "utc" or "subsec" or "subsecond":
                    break;
                default:
                    return new NowCallInfo(null, false, $"modifier '{modifier}' has no translation");
            }
        }

        var kind = SqliteNow.KindOf(function, format);
        return kind is null
            ? new NowCallInfo(null, local, $"strftime format '{format}' is not a date, time or timestamp")
            : new NowCallInfo(kind, local, null);
    }

    /// <summary>lower(hex(randomblob(16))) and similar: an application's random id.</summary>
    static bool IsRandomUuid(List<SqlToken> tokens) =>
        tokens.Any(t => t.IsWord("randomblob")) && tokens.All(t => t.Kind != SqlTokenKind.QuotedIdentifier);

    static string? Now(SqliteNow.Kind kind, bool local, PgType type, out string? problem)
    {
        problem = null;
        switch (type.Kind)
        {
            case PgTypeKind.Timestamp when kind is SqliteNow.Kind.Timestamp or SqliteNow.Kind.TimestampMilliseconds or SqliteNow.Kind.Date:
                return kind == SqliteNow.Kind.Date ? $"date_trunc('day', {SqliteNow.Sql(SqliteNow.Kind.Timestamp, local)})" : SqliteNow.Sql(kind, local);
            case PgTypeKind.TimestampTz when kind is SqliteNow.Kind.Timestamp or SqliteNow.Kind.TimestampMilliseconds:
                return "CURRENT_TIMESTAMP";
            case PgTypeKind.Date when kind is SqliteNow.Kind.Date or SqliteNow.Kind.Timestamp or SqliteNow.Kind.TimestampMilliseconds:
                return SqliteNow.Sql(SqliteNow.Kind.Date, local);
            case PgTypeKind.Time when kind is SqliteNow.Kind.Time or SqliteNow.Kind.Timestamp or SqliteNow.Kind.TimestampMilliseconds:
                return SqliteNow.Sql(SqliteNow.Kind.Time, local);
            case PgTypeKind.BigInt or PgTypeKind.Numeric or PgTypeKind.DoublePrecision when kind == SqliteNow.Kind.Epoch:
                return SqliteNow.Sql(kind, local);
            case PgTypeKind.Integer when kind == SqliteNow.Kind.Epoch:
                return "(extract(epoch from now())::integer)";
            case PgTypeKind.Numeric or PgTypeKind.DoublePrecision when kind == SqliteNow.Kind.JulianDay:
                return SqliteNow.Sql(kind, local);
            case PgTypeKind.Text or PgTypeKind.Varchar:
                return SqliteNow.Text(kind, local);
            default:
                problem = $"the current {kind.ToString().ToLowerInvariant()} does not fit a {type.ToSql()} column";
                return null;
        }
    }

    static string? Literal(SqlToken literal, bool negative, PgType type, out string? problem)
    {
        var why = new System.Runtime.CompilerServices.StrongBox<string?>();
        var sql = Literal(literal, negative, type, why);
        problem = sql is null ? why.Value : null;
        return sql;
    }

    static string? Literal(SqlToken literal, bool negative, PgType type, System.Runtime.CompilerServices.StrongBox<string?> problem)
    {
        var text = literal.Kind == SqlTokenKind.Number && literal.Text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.Parse(literal.Text.AsSpan(2), NumberStyles.HexNumber, Invariant).ToString(Invariant)
            : literal.Text;
        if (negative)
            text = "-" + text;
        var bytes = Encoding.UTF8.GetBytes(text);
        var described = literal.Kind == SqlTokenKind.String ? $"'{text}'" : text;
        string? Fail(string what)
        {
            problem.Value = $"{described} is not {what}";
            return null;
        }

        if (literal.Kind == SqlTokenKind.Blob)
        {
            return type.Kind switch
            {
                PgTypeKind.Bytea => Schema.Identifiers.ByteaLiteral(literal.Text),
                PgTypeKind.Uuid when literal.Text.Length == 32 => Schema.Identifiers.Literal(new Guid(Convert.FromHexString(literal.Text), bigEndian: true).ToString()),
                _ => Fail($"a {type.ToSql()} value (it is a blob)"),
            };
        }

        switch (type.Kind)
        {
            case PgTypeKind.Boolean:
                return SqliteBooleanReader.TryParseBoolean(bytes, out var b) ? (b ? "true" : "false") : Fail("a boolean");
            case PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt:
            {
                long v;
                if (!SqliteValueReader.TryParseInteger(bytes, out v))
                {
                    if (!double.TryParse(text, NumberStyles.Float, Invariant, out var d) || !double.IsInteger(d) || Math.Abs(d) > 9.2e18)
                        return Fail("an integer");
                    v = (long)d;
                }

                var (min, max) = type.Kind switch
                {
                    PgTypeKind.SmallInt => ((long)short.MinValue, (long)short.MaxValue),
                    PgTypeKind.Integer => (int.MinValue, int.MaxValue),
                    _ => (long.MinValue, long.MaxValue),
                };
                return v < min || v > max ? Fail($"within {type.ToSql()}") : v.ToString(Invariant);
            }

            case PgTypeKind.Numeric or PgTypeKind.DoublePrecision or PgTypeKind.Real:
                return SqliteNumericReader.IsNumericLiteral(bytes.AsSpan().Trim((byte)' '), out _, out _) ? text.Trim() : Fail("a number");
            case PgTypeKind.Text or PgTypeKind.Enum:
                return Schema.Identifiers.Literal(text);
            case PgTypeKind.Varchar or PgTypeKind.Char:
                return type.Length is { } n && text.Length > n ? Fail($"within {type.ToSql()}") : Schema.Identifiers.Literal(text);
            case PgTypeKind.Json or PgTypeKind.Jsonb:
                try
                {
                    using var _ = JsonDocument.Parse(bytes);
                    return Schema.Identifiers.Literal(text);
                }
                catch (JsonException)
                {
                    return Fail("valid JSON");
                }

            case PgTypeKind.Bytea:
                return Schema.Identifiers.ByteaLiteral(Convert.ToHexString(bytes));
            case PgTypeKind.Uuid:
                return Guid.TryParse(text, out var g) ? Schema.Identifiers.Literal(g.ToString()) : Fail("a UUID");
            case PgTypeKind.Date or PgTypeKind.Timestamp or PgTypeKind.TimestampTz:
                var temporal = Temporal(literal, text, bytes, type, out var temporalProblem);
                problem.Value = temporalProblem;
                return temporal;
            case PgTypeKind.Time:
                return SqliteTemporal.TryParseTime(bytes, out var t)
                    ? Schema.Identifiers.Literal(t.ToString(@"hh\:mm\:ss\.FFFFFFF", Invariant).TrimEnd('.'))
                    : Fail("a time of day");
            default:
                return Fail($"convertible to {type.ToSql()}");
        }
    }

    static string? Temporal(SqlToken literal, string text, byte[] bytes, PgType type, out string? problem)
    {
        problem = null;
        DateTime value;
        TimeSpan? offset = null;
        if (literal.Kind == SqlTokenKind.String)
        {
            if (!SqliteTemporal.TryParseDateTime(bytes, out value, out offset))
            {
                problem = $"'{text}' is not a date or timestamp";
                return null;
            }
        }
        else if (!(SqliteValueReader.TryParseInteger(bytes, out var epoch) ? SqliteTemporal.TryFromEpoch(epoch, out value)
                     : double.TryParse(text, NumberStyles.Float, Invariant, out var jd) && SqliteTemporal.TryFromJulianDay(jd, out value)))
        {
            problem = $"{text} is not a Unix epoch or julian day in range";
            return null;
        }

        if (offset is { } o)
            value -= o;
        return type.Kind switch
        {
            PgTypeKind.Date when value.TimeOfDay == TimeSpan.Zero => Schema.Identifiers.Literal(value.ToString("yyyy-MM-dd", Invariant)),
            PgTypeKind.Date => Drop(out problem, $"{text} has a time of day"),
            PgTypeKind.Timestamp => Schema.Identifiers.Literal(value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", Invariant).TrimEnd('.')),
            _ => Schema.Identifiers.Literal(value.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", Invariant).TrimEnd('.') + "+00"),
        };
    }

    static string? Drop(out string? problem, string why)
    {
        problem = why;
        return null;
    }
}
