namespace Ferry.Sources.Sqlite;

/// <summary>
/// Where an operand begins and ends in a token list, by SQLite's precedence: a term (what <c>||</c> joins: a
/// literal, a column, a call, a parenthesized expression, CAST(…), CASE … END, with a unary sign), or an operand
/// of LIKE (everything up to AND, OR, a comparison, a comma, a closing parenthesis or a clause keyword).
/// </summary>
internal static class SqliteOperands
{
    static readonly HashSet<string> Boundaries = new(StringComparer.OrdinalIgnoreCase)
    {
        "and", "or", "not", "where", "on", "when", "then", "else", "case", "end", "select", "distinct", "all", "having", "from", "group",
        "order", "by", "limit", "offset", "union", "intersect", "except", "is", "in", "between", "like", "glob", "escape", "as", "join",
        "asc", "desc", "collate", "exists", "regexp", "match", "isnull", "notnull", "filter", "over", "window", "using",
    };

    static readonly HashSet<string> ComparisonSymbols = ["=", "==", "!=", "<>", "<", "<=", ">", ">=", ",", ";"];

    /// <summary>A token that ends a LIKE operand (at depth 0).</summary>
    public static bool IsBoundary(SqlToken t) =>
        (t.Kind == SqlTokenKind.Word && Boundaries.Contains(t.Text)) || (t.Kind == SqlTokenKind.Symbol && ComparisonSymbols.Contains(t.Text));

    /// <summary>The index after the term that starts at <paramref name="i"/>, or -1 when none does.</summary>
    public static int TermEnd(IReadOnlyList<SqlToken> tokens, int i, int end)
    {
        if (i >= end)
            return -1;
        var t = tokens[i];
        if (t.Kind == SqlTokenKind.Symbol && t.Text is "-" or "+" or "~")
            return TermEnd(tokens, i + 1, end);
        if (t.IsSymbol("("))
            return Close(tokens, i, end);
        if (t.IsWord("case"))
        {
            var depth = 0;
            for (var k = i; k < end; k++)
            {
                if (tokens[k].IsWord("case"))
                    depth++;
                else if (tokens[k].IsWord("end") && --depth == 0)
                    return k + 1;
            }

            return -1;
        }

        if (t.Kind is SqlTokenKind.String or SqlTokenKind.Number or SqlTokenKind.Blob or SqlTokenKind.Raw)
            return i + 1;
        if (!t.IsName || (t.Kind == SqlTokenKind.Word && Boundaries.Contains(t.Text)))
            return -1;
        if (i + 1 < end && tokens[i + 1].IsSymbol("("))
            return Close(tokens, i + 1, end);
        if (i + 2 < end && tokens[i + 1].IsSymbol(".") && tokens[i + 2].IsName)
            return i + 3;
        return i + 1;
    }

    static int Close(IReadOnlyList<SqlToken> tokens, int open, int end)
    {
        var close = SqliteLexer.MatchingParen(tokens, open);
        return close < 0 || close >= end ? -1 : close + 1;
    }

    /// <summary>Where the term that ends just before <paramref name="end"/> starts, or -1.</summary>
    public static int TermStart(IReadOnlyList<SqlToken> tokens, int start, int end)
    {
        var k = end - 1;
        if (k < start)
            return -1;
        var t = tokens[k];
        int first;
        if (t.IsSymbol(")"))
        {
            first = Opening(tokens, start, k, static x => x.IsSymbol(")"), static x => x.IsSymbol("("));
            if (first < 0)
                return -1;
            if (first > start && tokens[first - 1].IsName && !(tokens[first - 1].Kind == SqlTokenKind.Word && Boundaries.Contains(tokens[first - 1].Text)))
                first--;
        }
        else if (t.IsWord("end"))
        {
            first = Opening(tokens, start, k, static x => x.IsWord("end"), static x => x.IsWord("case"));
            if (first < 0)
                return -1;
        }
        else if (t.Kind is SqlTokenKind.String or SqlTokenKind.Number or SqlTokenKind.Blob or SqlTokenKind.Raw
                 || (t.IsName && !(t.Kind == SqlTokenKind.Word && Boundaries.Contains(t.Text))))
        {
            first = k;
            if (t.IsName && k - 2 >= start && tokens[k - 1].IsSymbol(".") && tokens[k - 2].IsName)
                first = k - 2;
        }
        else
        {
            return -1;
        }

        // A unary sign belongs to the term when what precedes it cannot end an operand.
        if (first > start && tokens[first - 1].Kind == SqlTokenKind.Symbol && tokens[first - 1].Text is "-" or "+" or "~"
            && (first - 1 == start || IsBoundary(tokens[first - 2]) || tokens[first - 2].IsSymbol("(")))
            first--;
        return first;
    }

    /// <summary>The token that opens what the token at <paramref name="k"/> closes (a parenthesis, a CASE), or -1.</summary>
    static int Opening(IReadOnlyList<SqlToken> tokens, int start, int k, Func<SqlToken, bool> closes, Func<SqlToken, bool> opens)
    {
        var depth = 0;
        for (var j = k; j >= start; j--)
        {
            if (closes(tokens[j]))
                depth++;
            else if (opens(tokens[j]) && --depth == 0)
                return j;
        }

        return -1;
    }

    /// <summary>The index after a LIKE pattern (or a LIKE's right operand) starting at <paramref name="i"/>.</summary>
    public static int OperandEnd(IReadOnlyList<SqlToken> tokens, int i, int end)
    {
        var depth = 0;
        for (var k = i; k < end; k++)
        {
            var t = tokens[k];
            if (t.IsSymbol("("))
                depth++;
            else if (t.IsSymbol(")") && --depth < 0)
                return k;
            else if (depth == 0 && k > i && IsBoundary(t) && !t.IsWord("case") && !t.IsWord("end"))
                return k;
            else if (depth == 0 && t.IsWord("case"))
                k = TermEnd(tokens, k, end) - 1;
            if (k < 0)
                return end;
        }

        return end;
    }

    /// <summary>Where a LIKE's left operand starts, for the LIKE (or its NOT) at <paramref name="end"/>.</summary>
    public static int OperandStart(IReadOnlyList<SqlToken> tokens, int start, int end)
    {
        var depth = 0;
        for (var k = end - 1; k >= start; k--)
        {
            var t = tokens[k];
            if (t.IsSymbol(")"))
                depth++;
            else if (t.IsSymbol("(") && --depth < 0)
                return k + 1;
            else if (depth == 0 && t.IsWord("end"))
            {
                k = TermStart(tokens, start, k + 1);
                if (k < 0)
                    return start;
            }
            else if (depth == 0 && IsBoundary(t))
                return k + 1;
        }

        return start;
    }
}
