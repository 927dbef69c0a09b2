using System.Globalization;
using System.Text;
using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// Translates SQLite expressions and SELECTs (views, CHECKs, generated columns, index expressions) to
/// PostgreSQL, token by token: identifiers ([x], `x`, "x", bare) through the naming rule and quoted where
/// needed, SQLite functions to their PostgreSQL equivalents, SQLite-only operators rewritten. What has no
/// faithful translation is reported as a problem, never guessed.
/// </summary>
internal sealed class SqliteSqlTranslator(NamingRule names)
{
    static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "select", "distinct", "all", "from", "where", "group", "by", "having", "order", "asc", "desc", "limit", "offset",
        "union", "intersect", "except", "join", "inner", "left", "right", "full", "outer", "cross", "natural", "on",
        "using", "as", "and", "or", "not", "null", "is", "in", "between", "like", "escape", "case", "when", "then",
        "else", "end", "exists", "true", "false", "with", "over", "isnull", "notnull", "collate", "current_date",
        "current_time", "current_timestamp", "glob", "regexp", "match",
    };

    /// <summary>Words that are keywords only in some places and good column names elsewhere (first, last, row…).</summary>
    static readonly HashSet<string> WindowWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "partition", "rows", "range", "groups", "preceding", "following", "unbounded", "current", "row", "exclude", "ties", "others",
    };

    bool IsKeyword(IReadOnlyList<SqlToken> tokens, int i, int end, bool inWindow)
    {
        var t = tokens[i];
        if (t.Kind != SqlTokenKind.Word)
            return false;
        if (Keywords.Contains(t.Text))
            return true;
        SqlToken? previous = i > 0 ? tokens[i - 1] : null;
        SqlToken? next = i + 1 < end ? tokens[i + 1] : null;
        return t.Text.ToLowerInvariant() switch
        {
            "first" or "last" => previous is { } p && p.IsWord("nulls"),
            "nulls" => next is { } n && (n.IsWord("first") || n.IsWord("last")),
            "filter" => next is { } n && n.IsSymbol("(") && previous is { } p && p.IsSymbol(")"),
            "values" => next is { } n && n.IsSymbol("("),
            "recursive" => previous is { } p && p.IsWord("with"),
            _ => inWindow && WindowWords.Contains(t.Text),
        };
    }

    /// <summary>Functions that mean the same in PostgreSQL, with their PostgreSQL names.</summary>
    static readonly Dictionary<string, string> SameFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["coalesce"] = "coalesce", ["ifnull"] = "coalesce", ["nullif"] = "nullif", ["abs"] = "abs",
        ["lower"] = "lower", ["upper"] = "upper", ["length"] = "length", ["trim"] = "trim", ["ltrim"] = "ltrim",
        ["rtrim"] = "rtrim", ["replace"] = "replace", ["substr"] = "substr", ["substring"] = "substr",
        ["instr"] = "strpos", ["count"] = "count", ["sum"] = "sum", ["avg"] = "avg", ["printf"] = "format",
        ["format"] = "format", ["sign"] = "sign", ["char"] = "chr", ["unicode"] = "ascii", ["quote"] = "quote_nullable",
        ["row_number"] = "row_number", ["rank"] = "rank", ["dense_rank"] = "dense_rank", ["lag"] = "lag",
        ["lead"] = "lead", ["first_value"] = "first_value", ["last_value"] = "last_value", ["ntile"] = "ntile",
        ["exp"] = "exp", ["ln"] = "ln", ["sqrt"] = "sqrt", ["power"] = "power", ["pow"] = "power", ["floor"] = "floor",
        ["ceil"] = "ceil", ["ceiling"] = "ceil", ["pi"] = "pi", ["mod"] = "mod",
    };

    /// <summary>Source names of the columns the last translation referred to (bare or quoted identifiers).</summary>
    public HashSet<string> Identifiers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Function names the last translation used (SQLite spelling, lower case).</summary>
    public HashSet<string> Functions { get; } = new(StringComparer.OrdinalIgnoreCase);

    public string? Problem { get; private set; }

    /// <summary>Every table, view and column name of the source; when known, a "quoted" word outside it is a string, as SQLite reads it.</summary>
    public HashSet<string> KnownNames { get; } = new(StringComparer.OrdinalIgnoreCase);

    readonly HashSet<string> _aliases = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Source names of columns that are boolean in PostgreSQL: <c>active = 1</c> becomes <c>active = true</c>.</summary>
    public HashSet<string> BooleanColumns { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The PostgreSQL text of an expression or SELECT, or null with <see cref="Problem"/> set.</summary>
    public string? Translate(IReadOnlyList<SqlToken> tokens)
    {
        Identifiers.Clear();
        Functions.Clear();
        Problem = null;
        _aliases.Clear();
        for (var i = 1; i < tokens.Count; i++)
        {
            if (tokens[i - 1].IsWord("as") && tokens[i].IsName)
                _aliases.Add(tokens[i].Text);
        }

        var result = TranslateRange(tokens, 0, tokens.Count);
        return Problem is null ? result : null;
    }

    public string? Translate(string sql) => Translate(SqliteLexer.Tokenize(sql));

    /// <summary>A name as PostgreSQL will know it: through the naming rule, quoted where needed.</summary>
    public string Name(string sourceName) => Schema.Identifiers.Quote(names.Apply(sourceName));

    string TranslateRange(IReadOnlyList<SqlToken> tokens, int start, int end)
    {
        var output = new List<SqlToken>();
        var depth = 0;
        int? window = null; // the parenthesis depth of an OVER (…) clause being read
        for (var i = start; i < end && Problem is null; i++)
        {
            var t = tokens[i];
            if (t.IsSymbol("("))
            {
                depth++;
            }
            else if (t.IsSymbol(")") && --depth < window)
            {
                window = null;
            }
            else if (t.IsWord("over") && i + 1 < end && tokens[i + 1].IsSymbol("("))
            {
                window = depth + 1;
            }

            var keyword = IsKeyword(tokens, i, end, window is { } w && depth >= w);
            switch (t.Kind)
            {
                case SqlTokenKind.Word when i + 1 < end && tokens[i + 1].IsSymbol("(") && !keyword:
                {
                    var close = SqliteLexer.MatchingParen(tokens, i + 1);
                    if (close < 0 || close >= end)
                        return Fail("unbalanced parentheses");
                    if (close + 2 < end && tokens[close + 1].IsWord("as") && tokens[close + 2].IsSymbol("("))
                    {
                        // A common table expression with its column list: name(a, b) AS (…).
                        var names = SqliteLexer.SplitTopLevel(tokens, i + 2, close).Select(c => c.Count == 1 ? Name(c[0].Text) : "?");
                        output.Add(Raw(Name(t.Text) + "(" + string.Join(", ", names) + ")"));
                        i = close;
                        break;
                    }

                    var call = Function(t.Text, tokens, i + 2, close);
                    i = close;
                    // A window function's OVER (…) follows; it is translated as ordinary tokens.
                    output.Add(Raw(call));
                    break;
                }

                case SqlTokenKind.Word when keyword:
                    i = Keyword(tokens, i, end, output);
                    break;
                case SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier:
                    if (t.Kind == SqlTokenKind.Word && t.Text.ToLowerInvariant() is "rowid" or "oid" or "_rowid_")
                        return Fail($"it uses SQLite's {t.Text}, which PostgreSQL tables do not have");
                    if (t.IsName && t.Text.ToLowerInvariant() is "main" or "temp" && i + 2 < end && tokens[i + 1].IsSymbol("."))
                    {
                        i++; // main.table: the schema is SQLite's; the table lands in the target schema
                        break;
                    }

                    if (t.DoubleQuoted && KnownNames.Count > 0 && !KnownNames.Contains(t.Text) && !_aliases.Contains(t.Text)
                        && !(i > start && tokens[i - 1].IsWord("as")) && !(i + 1 < end && tokens[i + 1].IsSymbol(".")))
                    {
                        // SQLite reads a "quoted" word that names nothing as a string (a documented misfeature apps rely on).
                        output.Add(Raw(Schema.Identifiers.Literal(t.Text)));
                        break;
                    }

                    Identifiers.Add(t.Text);
                    output.Add(Raw(Name(t.Text)));
                    if (BooleanColumns.Contains(t.Text) && i + 2 < end && tokens[i + 1].Kind == SqlTokenKind.Symbol
                        && tokens[i + 1].Text is "=" or "==" or "!=" or "<>" && tokens[i + 2] is { Kind: SqlTokenKind.Number, Text: "0" or "1" } bit)
                    {
                        // SQLite booleans are 0/1 integers; in PostgreSQL the column is boolean.
                        output.Add(new SqlToken(SqlTokenKind.Symbol, tokens[i + 1].Text == "==" ? "=" : tokens[i + 1].Text));
                        output.Add(KeywordToken(bit.Text == "1" ? "true" : "false"));
                        i += 2;
                    }

                    break;
                case SqlTokenKind.String:
                    output.Add(Raw(Schema.Identifiers.Literal(t.Text)));
                    break;
                case SqlTokenKind.Number:
                    output.Add(Raw(NumberText(t.Text)));
                    break;
                case SqlTokenKind.Blob:
                    output.Add(Raw(Schema.Identifiers.ByteaLiteral(t.Text)));
                    break;
                case SqlTokenKind.Parameter:
                    return Fail($"it has a parameter {t.Text}");
                default:
                    if (t.Text is "->" or "->>")
                        return Fail($"SQLite's JSON operator {t.Text} has no direct PostgreSQL translation here");
                    output.Add(t.Text == "==" ? Raw("=") : t);
                    break;
            }
        }

        return SqliteLexer.Join(output);
    }

    static SqlToken Raw(string sql) => new(SqlTokenKind.Word, sql);

    /// <summary>Keywords are joined like operators: "IN (", not "IN(".</summary>
    static SqlToken KeywordToken(string sql) => new(SqlTokenKind.Symbol, sql);

    string Fail(string problem)
    {
        Problem ??= problem;
        return "";
    }

    static string NumberText(string number) =>
        number.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? long.Parse(number.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)
            : number;

    /// <summary>Keywords, with SQLite's own meanings rewritten. Returns the index of the last token consumed.</summary>
    int Keyword(IReadOnlyList<SqlToken> tokens, int i, int end, List<SqlToken> output)
    {
        var word = tokens[i].Text.ToUpperInvariant();
        SqlToken? Next(int k) => i + k < end ? tokens[i + k] : null;
        switch (word)
        {
            case "GLOB" or "REGEXP" or "MATCH":
                Fail($"SQLite's {word} operator has no faithful PostgreSQL translation");
                return i;
            case "LIKE":
                // SQLite's LIKE ignores ASCII case; PostgreSQL's does not.
                output.Add(KeywordToken("ILIKE"));
                return i;
            case "COLLATE":
                // Collations are SQLite's (NOCASE, RTRIM, BINARY): PostgreSQL has none of those names.
                return i + 1;
            case "CURRENT_TIMESTAMP":
                output.Add(Raw(SqliteNow.Sql(SqliteNow.Kind.Timestamp, local: false)));
                return i;
            case "CURRENT_DATE":
                output.Add(Raw(SqliteNow.Sql(SqliteNow.Kind.Date, local: false)));
                return i;
            case "CURRENT_TIME":
                output.Add(Raw(SqliteNow.Sql(SqliteNow.Kind.Time, local: false)));
                return i;
            case "IS":
            {
                // SQLite's IS compares any two values null-safely; PostgreSQL's only tests NULL/TRUE/FALSE.
                var negated = Next(1) is { } n && n.IsWord("not");
                var operand = Next(negated ? 2 : 1);
                if (operand is { } o && (o.IsWord("null") || o.IsWord("true") || o.IsWord("false") || o.IsWord("unknown") || o.IsWord("distinct")))
                {
                    output.Add(KeywordToken(negated ? "IS NOT" : "IS"));
                }
                else
                {
                    output.Add(KeywordToken(negated ? "IS DISTINCT FROM" : "IS NOT DISTINCT FROM"));
                }

                return negated ? i + 1 : i;
            }

            case "LIMIT":
            {
                // SQLite's LIMIT offset, count.
                if (Next(1) is { Kind: SqlTokenKind.Number } a && Next(2) is { } comma && comma.IsSymbol(",") && Next(3) is { Kind: SqlTokenKind.Number } b)
                {
                    output.Add(KeywordToken($"LIMIT {b.Text} OFFSET {a.Text}"));
                    return i + 3;
                }

                output.Add(KeywordToken(word));
                return i;
            }

            default:
                output.Add(KeywordToken(word));
                return i;
        }
    }

    string Function(string name, IReadOnlyList<SqlToken> tokens, int start, int end)
    {
        var lower = name.ToLowerInvariant();
        Functions.Add(lower);
        if (lower == "cast")
            return Cast(tokens, start, end);
        var argTokens = SqliteLexer.SplitTopLevel(tokens, start, end);
        var args = argTokens.Select(a => TranslateRange(a, 0, a.Count)).ToList();
        if (Problem is not null)
            return "";
        string Arg(int k) => args[k];
        switch (lower)
        {
            case "min" or "max" when args.Count > 1:
                // SQLite's scalar min/max is NULL when any argument is; least/greatest skip NULLs.
                return "CASE WHEN " + string.Join(" OR ", args.Select(a => $"({a}) IS NULL")) + " THEN NULL ELSE "
                    + (lower == "min" ? "least(" : "greatest(") + string.Join(", ", args) + ") END";
            case "min" or "max":
                return lower + "(" + string.Join(", ", args) + ")";
            case "sum" or "avg" or "total" when args.Count == 1 && IsBooleanColumn(argTokens[0]):
            {
                // SQLite sums its 0/1 booleans; PostgreSQL has no sum(boolean): count them as integers.
                var counted = $"({Arg(0)})::int";
                return lower == "total" ? $"coalesce(sum({counted}), 0)" : $"{lower}({counted})";
            }

            case "total" when args.Count == 1:
                return $"coalesce(sum({Arg(0)}), 0)";
            case "group_concat" when args.Count is 1 or 2:
                return $"string_agg(({Arg(0)})::text, {(args.Count == 2 ? Arg(1) : "','")})";
            case "iif" when args.Count == 3:
                return $"CASE WHEN {Arg(0)} THEN {Arg(1)} ELSE {Arg(2)} END";
            case "round" when args.Count is 1 or 2:
                // SQLite rounds half away from zero, as PostgreSQL does only for numeric (its double rounds half to
                // even), and always returns a REAL.
                return $"round(({Arg(0)})::numeric{(args.Count == 2 ? ", " + RoundDigits(Arg(1)) : "")})::double precision";
            case "date" or "time" or "datetime" or "julianday" or "unixepoch" or "strftime":
                return DateFunction(lower, argTokens, args);
            default:
                if (SameFunctions.TryGetValue(lower, out var pg))
                    return pg + "(" + string.Join(", ", args) + ")";
                return Fail($"SQLite function {name}() has no PostgreSQL translation");
        }
    }

    /// <summary>round()'s digits as SQLite takes them: an integer, below 0 as 0, above 30 as 30.</summary>
    static string RoundDigits(string digits) =>
        int.TryParse(digits.Replace(" ", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? Math.Clamp(n, 0, 30).ToString(CultureInfo.InvariantCulture)
            : $"greatest(least(({digits})::int, 30), 0)";

    /// <summary>A bare reference to a boolean column: <c>converted</c> or <c>a.converted</c>.</summary>
    bool IsBooleanColumn(IReadOnlyList<SqlToken> arg) =>
        (arg.Count == 1 || (arg.Count == 3 && arg[0].IsName && arg[1].IsSymbol("."))) && arg[^1].IsName && BooleanColumns.Contains(arg[^1].Text);

    string Cast(IReadOnlyList<SqlToken> tokens, int start, int end)
    {
        var asIndex = -1;
        var depth = 0;
        for (var k = start; k < end; k++)
        {
            if (tokens[k].IsSymbol("("))
                depth++;
            else if (tokens[k].IsSymbol(")"))
                depth--;
            else if (depth == 0 && tokens[k].IsWord("as"))
                asIndex = k;
        }

        if (asIndex < 0)
            return Fail("a CAST without AS");
        var expression = TranslateRange(tokens, start, asIndex);
        var typeName = string.Join(" ", Enumerable.Range(asIndex + 1, end - asIndex - 1).Select(k => tokens[k].ToString()));
        var (_, type) = SqliteTypeRules.Match(typeName);
        return $"CAST({expression} AS {type.ToSql()})";
    }

    /// <summary>date(), time(), datetime(), julianday(), unixepoch(), strftime(): of 'now' or of a value, with 'localtime'/'utc' only.</summary>
    string DateFunction(string function, List<List<SqlToken>> argTokens, List<string> args)
    {
        var first = function == "strftime" ? 1 : 0;
        if (argTokens.Count <= first)
        {
            if (function is "unixepoch" or "julianday" or "date" or "time" or "datetime" && argTokens.Count == 0)
                return SqliteNow.Sql(SqliteNow.KindOf(function, null) ?? SqliteNow.Kind.Timestamp, local: false);
            return Fail($"{function}() needs arguments");
        }

        var local = false;
        var epoch = false;
        var steps = new List<Func<string, string>>(); // modifiers, applied in order as SQLite does
        for (var k = first + 1; k < argTokens.Count; k++)
        {
            var modifier = argTokens[k] is [{ Kind: SqlTokenKind.String } m] ? m.Text.Trim().ToLowerInvariant() : null;
            if (modifier == "localtime")
                local = true;
            else if (modifier == "unixepoch" && k == first + 1)
                epoch = true;
            else if (modifier is not null && SqliteNow.Shift(modifier) is { } shift)
                steps.Add(v => v + shift);
            else if (modifier is "start of day" or "start of month" or "start of year")
                steps.Add(v => $"date_trunc('{modifier[9..]}', {v})");
            else if (modifier is not ("utc" or "subsec" or "subsecond"))
                return Fail($"{function}() with modifier {SqliteLexer.Join(argTokens[k])} has no PostgreSQL translation");
        }

        string? format = null;
        if (function == "strftime")
        {
            if (argTokens[0] is not [{ Kind: SqlTokenKind.String } f])
                return Fail("strftime() with a computed format");
            format = f.Text;
        }

        var isNow = argTokens[first] is [{ Kind: SqlTokenKind.String } v] && v.Text.Equals("now", StringComparison.OrdinalIgnoreCase);
        if (isNow && steps.Count == 0)
        {
            var kind = SqliteNow.KindOf(function, format);
            if (kind is { } k)
                return SqliteNow.Sql(k, local);
            var pattern = SqliteNow.ToCharPattern(format!);
            return pattern is null ? Fail($"strftime format '{format}' has no to_char equivalent") : $"to_char({SqliteNow.Sql(SqliteNow.Kind.Timestamp, local)}, {Schema.Identifiers.Literal(pattern)})";
        }

        if (local && !isNow)
            return Fail($"{function}(…, 'localtime') of a stored value depends on the machine's time zone");
        var value = isNow ? SqliteNow.Sql(SqliteNow.Kind.Timestamp, local) : args[first];
        if (epoch)
            value = $"(to_timestamp({value}) AT TIME ZONE 'UTC')"; // 'unixepoch': the value is seconds since 1970, UTC
        if (steps.Count > 0)
            value = steps.Aggregate($"({value})::timestamp", (current, step) => step(current));
        switch (function)
        {
            case "date":
                return $"({value})::date";
            case "time":
                return $"({value})::time";
            case "datetime":
                return $"({value})::timestamp";
            case "julianday":
                return $"(extract(epoch from ({value})::timestamp) / 86400.0 + 2440587.5)";
            case "unixepoch":
                return $"extract(epoch from ({value})::timestamp)::bigint";
            default:
                if (format == "%s")
                    return $"extract(epoch from ({value})::timestamp)::bigint";
                var pattern = SqliteNow.ToCharPattern(format!);
                return pattern is null ? Fail($"strftime format '{format}' has no to_char equivalent") : $"to_char(({value})::timestamp, {Schema.Identifiers.Literal(pattern)})";
        }
    }
}

/// <summary>The current time in PostgreSQL, in the forms SQLite's 'now' takes. SQLite's 'now' is UTC.</summary>
internal static class SqliteNow
{
    public enum Kind
    {
        Timestamp,
        TimestampMilliseconds,
        Date,
        Time,
        Epoch,
        JulianDay,
    }

    /// <summary>What a date function of 'now' yields, or null for a strftime format that is none of these.</summary>
    public static Kind? KindOf(string function, string? format) => function switch
    {
        "datetime" => Kind.Timestamp,
        "date" => Kind.Date,
        "time" => Kind.Time,
        "julianday" => Kind.JulianDay,
        "unixepoch" => Kind.Epoch,
        _ => format switch
        {
            "%s" => Kind.Epoch,
            "%J" => Kind.JulianDay,
            "%Y-%m-%d %H:%M:%S" or "%Y-%m-%dT%H:%M:%S" or "%Y-%m-%dT%H:%M:%SZ" => Kind.Timestamp,
            "%Y-%m-%d %H:%M:%f" or "%Y-%m-%dT%H:%M:%f" or "%Y-%m-%dT%H:%M:%fZ" => Kind.TimestampMilliseconds,
            "%Y-%m-%d" => Kind.Date,
            "%H:%M:%S" or "%H:%M" => Kind.Time,
            _ => null,
        },
    };

    /// <summary>The PostgreSQL expression of the current time in its natural PostgreSQL type.</summary>
    public static string Sql(Kind kind, bool local) => kind switch
    {
        Kind.Timestamp or Kind.TimestampMilliseconds => local ? "LOCALTIMESTAMP" : "(now() AT TIME ZONE 'UTC')",
        Kind.Date => local ? "CURRENT_DATE" : "((now() AT TIME ZONE 'UTC')::date)",
        Kind.Time => local ? "LOCALTIME" : "((now() AT TIME ZONE 'UTC')::time)",
        Kind.Epoch => "(extract(epoch from now())::bigint)",
        Kind.JulianDay => "(extract(epoch from now()) / 86400.0 + 2440587.5)",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The current time as SQLite's text of that kind would show it.</summary>
    public static string Text(Kind kind, bool local)
    {
        var now = Sql(Kind.Timestamp, local);
        return kind switch
        {
            Kind.Timestamp => $"to_char({now}, 'YYYY-MM-DD HH24:MI:SS')",
            Kind.TimestampMilliseconds => $"to_char({now}, 'YYYY-MM-DD HH24:MI:SS.MS')",
            Kind.Date => $"to_char({now}, 'YYYY-MM-DD')",
            Kind.Time => $"to_char({now}, 'HH24:MI:SS')",
            _ => $"({Sql(kind, local)})::text",
        };
    }

    static readonly System.Text.RegularExpressions.Regex ShiftPattern = new(
        @"^([+-]?\d+(?:\.\d+)?) (second|minute|hour|day|month|year)s?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

    /// <summary>A date function modifier ('-7 days', 'start of month') as PostgreSQL arithmetic on a timestamp, or null.</summary>
    public static string? Shift(string modifier)
    {
        var m = ShiftPattern.Match(modifier);
        if (m.Success)
            return $" + interval '{m.Groups[1].Value.TrimStart('+')} {m.Groups[2].Value}s'";
        return null;
    }

    /// <summary>A strftime format as a to_char pattern (literal text double-quoted), or null if it uses what to_char lacks.</summary>
    public static string? ToCharPattern(string format)
    {
        var sb = new StringBuilder();
        var literal = new StringBuilder();
        void Flush()
        {
            if (literal.Length == 0)
                return;
            // Letters in a to_char pattern may be taken as fields: quote them; punctuation stands for itself.
            if (literal.ToString().Any(char.IsLetter))
                sb.Append('"').Append(literal.Replace("\"", "\\\"")).Append('"');
            else
                sb.Append(literal);
            literal.Clear();
        }

        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 == format.Length)
            {
                literal.Append(format[i]);
                continue;
            }

            var spec = format[++i];
            if (spec == '%')
            {
                literal.Append('%');
                continue;
            }

            var pattern = spec switch
            {
                'Y' => "YYYY",
                'm' => "MM",
                'd' => "DD",
                'H' => "HH24",
                'M' => "MI",
                'S' => "SS",
                'f' => "SS.MS",
                'j' => "DDD",
                _ => null,
            };
            if (pattern is null)
                return null;
            Flush();
            sb.Append(pattern);
        }

        Flush();
        return sb.ToString();
    }
}
