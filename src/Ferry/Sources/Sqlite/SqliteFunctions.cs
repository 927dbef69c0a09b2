using System.Globalization;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// SQLite's functions in PostgreSQL, each with SQLite's meaning: the same function where PostgreSQL's means the
/// same, a rewrite where it differs (text functions take any value's text; lower/upper fold ASCII letters only; sum
/// of integers is an integer, avg and total a REAL), a problem where PostgreSQL cannot say it.
/// </summary>
internal sealed class SqliteFunctions(SqliteSqlTranslator translator, SqliteColumnScope scope)
{
    /// <summary>Functions that mean the same in PostgreSQL, with their PostgreSQL names.</summary>
    static readonly Dictionary<string, string> SameFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["nullif"] = "nullif", ["abs"] = "abs", ["count"] = "count", ["sign"] = "sign", ["unicode"] = "ascii", ["quote"] = "quote_nullable",
        ["row_number"] = "row_number", ["rank"] = "rank", ["dense_rank"] = "dense_rank", ["lag"] = "lag",
        ["lead"] = "lead", ["first_value"] = "first_value", ["last_value"] = "last_value", ["ntile"] = "ntile",
        ["exp"] = "exp", ["ln"] = "ln", ["sqrt"] = "sqrt", ["power"] = "power", ["pow"] = "power", ["floor"] = "floor",
        ["ceil"] = "ceil", ["ceiling"] = "ceil", ["pi"] = "pi", ["mod"] = "mod",
    };

    /// <summary>Functions whose arguments SQLite reads as text, with their PostgreSQL names.</summary>
    static readonly Dictionary<string, string> TextFunctions = new(StringComparer.OrdinalIgnoreCase)
    {
        ["instr"] = "strpos", ["replace"] = "replace", ["trim"] = "btrim", ["ltrim"] = "ltrim", ["rtrim"] = "rtrim",
        ["concat"] = "concat", ["concat_ws"] = "concat_ws",
    };

    public string Call(string name, IReadOnlyList<SqlToken> tokens, int start, int end)
    {
        var lower = name.ToLowerInvariant();
        translator.Functions.Add(lower);
        if (lower == "cast")
            return Cast(tokens, start, end);
        var argTokens = SqliteLexer.SplitTopLevel(tokens, start, end);
        var args = argTokens.Select(a => translator.TranslateRange(a, 0, a.Count)).ToList();
        if (translator.Failed)
            return "";
        string Arg(int k) => args[k];
        var kinds = argTokens.Select(scope.KindOf).ToList();
        switch (lower)
        {
            case "min" or "max" when args.Count > 1:
                // SQLite's scalar min/max is NULL when any argument is; least/greatest skip NULLs.
                return "CASE WHEN " + string.Join(" OR ", args.Select(a => $"({a}) IS NULL")) + " THEN NULL ELSE "
                    + (lower == "min" ? "least(" : "greatest(") + string.Join(", ", args) + ") END";
            case "min" or "max":
                return lower + "(" + string.Join(", ", args) + ")";
            case "sum" or "avg" or "total" when args.Count == 1 && kinds[0] == OperandKind.Boolean:
                // SQLite sums its 0/1 booleans; PostgreSQL has no sum(boolean): count them as integers.
                return Aggregate(lower, $"({Arg(0)})::int", OperandKind.Integer);
            case "sum" or "avg" or "total" when args.Count == 1:
                return Aggregate(lower, Arg(0), kinds[0]);
            case "group_concat" or "string_agg" when args.Count is 1 or 2:
                return GroupConcat(argTokens);
            case "iif" when args.Count == 3:
                return $"CASE WHEN {Arg(0)} THEN {Arg(1)} ELSE {Arg(2)} END";
            case "round" when args.Count is 1 or 2:
                // SQLite rounds half away from zero, as PostgreSQL does only for numeric (its double rounds half to
                // even), and always returns a REAL.
                return $"round(({Arg(0)})::numeric{(args.Count == 2 ? ", " + RoundDigits(Arg(1)) : "")})::double precision";
            case "date" or "time" or "datetime" or "julianday" or "unixepoch" or "strftime":
                return new SqliteDateFunctions(translator).Call(lower, argTokens, args);
            case "lower" or "upper" when args.Count == 1 && translator.IndexKey:
                return $"{lower}({Text(argTokens[0])})";
            case "lower" or "upper" when args.Count == 1:
                // Without ICU, SQLite changes the case of ASCII letters only.
                return $"translate({Text(argTokens[0])}, {(lower == "lower" ? SqliteImplicitConversions.AsciiLower : UpperPair)})";
            case "length" when args.Count == 1:
                return kinds[0] == OperandKind.Blob ? $"length({Arg(0)})" : $"length({Text(argTokens[0])})";
            case "substr" or "substring" when args.Count is 2 or 3:
                return Substr(argTokens, args, kinds);
            case "coalesce" or "ifnull" when args.Count >= 2:
                // PostgreSQL needs one type: with a text among them, every argument as SQLite's text.
                return kinds.Contains(OperandKind.Text) && kinds.Any(k => k is not (OperandKind.Text or OperandKind.Null))
                    ? $"coalesce({string.Join(", ", argTokens.Select(Text))})"
                    : $"coalesce({string.Join(", ", args)})";
            case "printf" or "format" when argTokens is [[{ Kind: SqlTokenKind.String } f], ..]:
                // PostgreSQL's format() knows %s (and %%) as SQLite's does; SQLite's other conversions it does not.
                return f.Text.Replace("%%", "", StringComparison.Ordinal).Replace("%s", "", StringComparison.Ordinal).Contains('%', StringComparison.Ordinal)
                    ? translator.Fail($"printf format '{f.Text}' uses conversions PostgreSQL's format() does not have")
                    : $"format({string.Join(", ", argTokens.Select(Text))})";
            case "char" when args.Count == 1:
                return $"chr({Arg(0)})";
            default:
                if (TextFunctions.TryGetValue(lower, out var text))
                    return text + "(" + string.Join(", ", argTokens.Select(Text)) + ")";
                if (SameFunctions.TryGetValue(lower, out var pg))
                    return pg + "(" + string.Join(", ", args) + ")";
                return translator.Fail($"SQLite function {name}() has no PostgreSQL translation");
        }
    }

    const string UpperPair = "'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'";

    /// <summary>An argument as the text SQLite makes of it, translated.</summary>
    string Text(List<SqlToken> arg)
    {
        var tokens = SqliteImplicitConversions.AsText(arg, scope, out var problem);
        return tokens is null ? translator.Fail(problem!) : translator.TranslateRange(tokens, 0, tokens.Count);
    }

    /// <summary>SQLite's sum of integers is an integer (PostgreSQL's a numeric); avg and total are always REALs.</summary>
    static string Aggregate(string function, string arg, OperandKind kind) => function switch
    {
        "sum" when kind == OperandKind.Integer => $"sum({arg})::bigint",
        "sum" => $"sum({arg})",
        "avg" => $"avg({arg})::double precision",
        _ => $"coalesce(sum({arg})::double precision, 0)",
    };

    /// <summary>group_concat(x[, sep]) with DISTINCT and ORDER BY: string_agg of the values' text.</summary>
    string GroupConcat(List<List<SqlToken>> args)
    {
        var last = args[^1];
        var order = last.FindIndex(t => t.IsWord("order"));
        var orderSql = "";
        if (order > 0)
        {
            orderSql = " " + translator.TranslateRange(last, order, last.Count);
            args[^1] = last[..order];
        }

        var value = args[0];
        var distinct = value is [{ } d, ..] && d.IsWord("distinct");
        var separator = args.Count == 2 ? Text(args[1]) : "','";
        return $"string_agg({(distinct ? "DISTINCT " : "")}{Text(distinct ? value[1..] : value)}, {separator}{orderSql})";
    }

    /// <summary>substr(x, start[, length]): a negative literal start counts from the end, as SQLite's does.</summary>
    string Substr(List<List<SqlToken>> argTokens, List<string> args, List<OperandKind> kinds)
    {
        var value = kinds[0] == OperandKind.Blob ? args[0] : Text(argTokens[0]);
        if (argTokens.Count == 3 && argTokens[2] is [{ Kind: SqlTokenKind.Symbol, Text: "-" }, { Kind: SqlTokenKind.Number }])
            return translator.Fail("substr() with a negative length has no PostgreSQL translation");
        var start = argTokens[1] is [{ Kind: SqlTokenKind.Symbol, Text: "-" }, { Kind: SqlTokenKind.Number } n]
            ? $"length({value}) - {n.Text} + 1"
            : args[1];
        return $"substr({value}, {start}{(args.Count == 3 ? ", " + args[2] : "")})";
    }

    /// <summary>round()'s digits as SQLite takes them: an integer, below 0 as 0, above 30 as 30.</summary>
    static string RoundDigits(string digits) =>
        int.TryParse(digits.Replace(" ", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
            ? Math.Clamp(n, 0, 30).ToString(CultureInfo.InvariantCulture)
            : $"greatest(least(({digits})::int, 30), 0)";

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
            return translator.Fail("a CAST without AS");
        var expression = translator.TranslateRange(tokens, start, asIndex);
        // A boolean is SQLite's 0 or 1: PostgreSQL casts it to int (only), whose text and value are SQLite's.
        if (scope.KindOf(tokens.Skip(start).Take(asIndex - start).ToList()) == OperandKind.Boolean)
            expression = $"({expression})::int";
        var typeName = string.Join(" ", Enumerable.Range(asIndex + 1, end - asIndex - 1).Select(k => tokens[k].ToString()));
        var (_, type) = SqliteTypeRules.Match(typeName);
        return $"CAST({expression} AS {type.ToSql()})";
    }
}
