using System.Globalization;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// SQLite's implicit conversions, made explicit in the tokens before translation so PostgreSQL computes what SQLite
/// did (https://www.sqlite.org/datatype3.html#type_conversions_prior_to_comparison):
/// <list type="bullet">
/// <item>A TEXT column compared with a number compares as text: the number becomes SQLite's text of it
/// (<c>code = 5</c> → <c>code = '5'</c>); a numeric column compared with a text that looks like a number compares
/// numerically (<c>qty = '5'</c> → <c>qty = 5</c>), in =, &lt;&gt;, &lt;, IS, IN (…) and BETWEEN.</item>
/// <item><c>||</c> joins the text of its operands (an integer's digits; a boolean's 0/1) and binds tighter than
/// arithmetic: each chain is parenthesized, its non-text operands cast to text.</item>
/// <item>LIKE ignores the case of ASCII letters only and has no escape character unless one is given: both sides
/// fold A-Z to a-z, with <c>ESCAPE ''</c>.</item>
/// </list>
/// What PostgreSQL cannot mean the same way (a REAL as text, a text column compared with a numeric one) is a problem.
/// </summary>
internal static class SqliteImplicitConversions
{
    internal const string AsciiLower = "'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'";

    static readonly HashSet<string> Comparisons = ["=", "==", "!=", "<>", "<", "<=", ">", ">="];

    /// <summary>The tokens with the conversions applied, or null with <paramref name="problem"/> set.</summary>
    public static List<SqlToken>? Apply(IReadOnlyList<SqlToken> source, SqliteColumnScope scope, out string? problem)
    {
        var tokens = source.ToList();
        problem = Compare(tokens, scope) ?? Concatenations(tokens, scope) ?? Likes(tokens);
        return problem is null ? tokens : null;
    }

    static string? Compare(List<SqlToken> tokens, SqliteColumnScope scope)
    {
        for (var k = 0; k < tokens.Count; k++)
        {
            var t = tokens[k];
            int right;
            if (t.Kind == SqlTokenKind.Symbol && Comparisons.Contains(t.Text))
                right = k + 1;
            else if (t.IsWord("is"))
                right = k + 1 < tokens.Count && tokens[k + 1].IsWord("not") ? k + 2 : k + 1;
            else if (t.IsWord("between") || t.IsWord("in"))
                right = -1;
            else
                continue;

            var left = SqliteOperands.TermStart(tokens, 0, k - (k > 0 && tokens[k - 1].IsWord("not") && !t.IsWord("is") ? 1 : 0));
            if (left < 0)
                continue;
            var leftEnd = k - (k > 0 && tokens[k - 1].IsWord("not") && !t.IsWord("is") ? 1 : 0);
            var column = tokens[left..leftEnd];
            if (right < 0)
            {
                // col BETWEEN a AND b; col IN (a, b, …): each literal against the column.
                var items = t.IsWord("between") ? BetweenItems(tokens, k) : InItems(tokens, k);
                foreach (var (start, end) in items.OrderByDescending(i => i.Start))
                {
                    if (Convert(tokens, column, start, end, scope) is { } itemProblem)
                        return itemProblem;
                }

                continue;
            }

            var rightEnd = SqliteOperands.TermEnd(tokens, right, tokens.Count);
            if (rightEnd < 0 || (rightEnd < tokens.Count && !Ends(tokens[rightEnd])) || (left > 0 && !Ends(tokens[left - 1]) && !tokens[left - 1].IsSymbol("(")))
                continue;
            var problem = scope.TypeOf(column) is not null
                ? Convert(tokens, column, right, rightEnd, scope)
                : Convert(tokens, tokens[right..rightEnd], left, leftEnd, scope);
            if (problem is not null)
                return problem;
        }

        return null;
    }

    static bool Ends(SqlToken t) => SqliteOperands.IsBoundary(t) || t.IsSymbol(")") || t.IsSymbol(";");

    static List<(int Start, int End)> BetweenItems(List<SqlToken> tokens, int k)
    {
        var lowEnd = SqliteOperands.TermEnd(tokens, k + 1, tokens.Count);
        if (lowEnd < 0 || lowEnd >= tokens.Count || !tokens[lowEnd].IsWord("and"))
            return [];
        var highEnd = SqliteOperands.TermEnd(tokens, lowEnd + 1, tokens.Count);
        return highEnd < 0 ? [] : [(k + 1, lowEnd), (lowEnd + 1, highEnd)];
    }

    static List<(int Start, int End)> InItems(List<SqlToken> tokens, int k)
    {
        if (k + 1 >= tokens.Count || !tokens[k + 1].IsSymbol("("))
            return [];
        var close = SqliteLexer.MatchingParen(tokens, k + 1);
        if (close < 0 || (k + 2 < close && tokens[k + 2].IsWord("select")))
            return [];
        var items = new List<(int, int)>();
        var start = k + 2;
        for (var i = start; i <= close; i++)
        {
            if (i == close || tokens[i].IsSymbol(","))
            {
                items.Add((start, i));
                start = i + 1;
            }
            else if (tokens[i].IsSymbol("("))
            {
                i = SqliteLexer.MatchingParen(tokens, i);
                if (i < 0)
                    return [];
            }
        }

        return items;
    }

    /// <summary>Rewrites the literal at [start, end) to compare with <paramref name="column"/> as SQLite does.</summary>
    static string? Convert(List<SqlToken> tokens, List<SqlToken> column, int start, int end, SqliteColumnScope scope)
    {
        if (scope.TypeOf(column) is null)
            return null; // two literals: SQLite applies no affinity to either
        var columnKind = scope.KindOf(column);
        var literal = tokens[start..end];
        var literalKind = scope.KindOf(literal);
        var name = SqliteLexer.Join(column);
        if (scope.TypeOf(literal) is not null)
        {
            return columnKind == OperandKind.Text && literalKind is OperandKind.Integer or OperandKind.Real or OperandKind.Numeric
                ? $"it compares text column {name} with numeric column {SqliteLexer.Join(literal)}, which SQLite compares by its affinity rules and PostgreSQL refuses"
                : null;
        }

        switch (columnKind)
        {
            case OperandKind.Text when literalKind is OperandKind.Integer or OperandKind.Real:
            {
                var text = NumberText(literal);
                if (text is null)
                    return $"it compares text column {name} with the number {SqliteLexer.Join(literal)}, which SQLite compares as text written in a way PostgreSQL does not write";
                Replace(tokens, start, end, new SqlToken(SqlTokenKind.String, text));
                return null;
            }

            case OperandKind.Integer or OperandKind.Real or OperandKind.Numeric when literalKind == OperandKind.Text:
            {
                var text = literal[0].Text.Trim();
                if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _) || text.Contains(',', StringComparison.Ordinal))
                    return $"it compares numeric column {name} with the text '{literal[0].Text}', which SQLite finds greater than every number and PostgreSQL cannot compare";
                Replace(tokens, start, end, new SqlToken(SqlTokenKind.Number, text));
                return null;
            }

            default:
                return null;
        }
    }

    static void Replace(List<SqlToken> tokens, int start, int end, params SqlToken[] replacement)
    {
        tokens.RemoveRange(start, end - start);
        tokens.InsertRange(start, replacement);
    }

    /// <summary>A numeric literal as SQLite writes it as text (a REAL with ".0" when whole), or null when PostgreSQL could not match it.</summary>
    internal static string? NumberText(IReadOnlyList<SqlToken> literal)
    {
        var negative = literal[0].IsSymbol("-");
        var number = literal[^1].Text;
        string text;
        if (number.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            text = long.Parse(number.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        else if (number.All(char.IsAsciiDigit))
            text = long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n.ToString(CultureInfo.InvariantCulture) : null!;
        else
        {
            var d = double.Parse(number, CultureInfo.InvariantCulture);
            text = d.ToString("G15", CultureInfo.InvariantCulture);
            if (text.Contains('E', StringComparison.Ordinal))
                return null;
            if (!text.Contains('.', StringComparison.Ordinal))
                text += ".0";
        }

        return text is null ? null : negative ? "-" + text : text;
    }

    /// <summary>Each <c>a || b || …</c>, parenthesized, with its operands as SQLite's text.</summary>
    static string? Concatenations(List<SqlToken> tokens, SqliteColumnScope scope)
    {
        for (var k = 0; k < tokens.Count; k++)
        {
            if (!tokens[k].IsSymbol("||"))
                continue;
            var start = SqliteOperands.TermStart(tokens, 0, k);
            if (start < 0)
                return "it has a || whose left operand could not be read";
            var terms = new List<List<SqlToken>> { tokens[start..k] };
            var end = k;
            while (end < tokens.Count && tokens[end].IsSymbol("||"))
            {
                var termEnd = SqliteOperands.TermEnd(tokens, end + 1, tokens.Count);
                if (termEnd < 0)
                    return "it has a || whose right operand could not be read";
                terms.Add(tokens[(end + 1)..termEnd]);
                end = termEnd;
            }

            var rewritten = new List<SqlToken> { new(SqlTokenKind.Symbol, "(") };
            foreach (var term in terms)
            {
                if (rewritten.Count > 1)
                    rewritten.Add(new SqlToken(SqlTokenKind.Symbol, "||"));
                if (AsText(term, scope, out var problem) is { } text)
                    rewritten.AddRange(text);
                else
                    return problem;
            }

            rewritten.Add(new SqlToken(SqlTokenKind.Symbol, ")"));
            Replace(tokens, start, end, [.. rewritten]);
            k = start + rewritten.Count - 1;
        }

        return null;
    }

    /// <summary>An operand as the text SQLite would make of it (in SQLite's own syntax, for the translator), or null.</summary>
    internal static List<SqlToken>? AsText(List<SqlToken> term, SqliteColumnScope scope, out string? problem)
    {
        problem = null;
        switch (scope.KindOf(term))
        {
            case OperandKind.Text or OperandKind.Null:
                return term;
            case OperandKind.Integer or OperandKind.Real when term is [.., { Kind: SqlTokenKind.Number }] && NumberText(term) is { } text:
                return [new SqlToken(SqlTokenKind.String, text)];
            case OperandKind.Real:
                problem = $"it uses REAL {SqliteLexer.Join(term)} as text, which SQLite writes with 15 digits and PostgreSQL otherwise";
                return null;
            case OperandKind.Blob:
                problem = $"it uses BLOB {SqliteLexer.Join(term)} as text";
                return null;
            case OperandKind.Boolean:
                return [.. Cast([.. Cast(term, "INTEGER")], "TEXT")];
            default:
                return [.. Cast(term, "TEXT")];
        }
    }

    static IEnumerable<SqlToken> Cast(List<SqlToken> term, string type) =>
        [new(SqlTokenKind.Word, "CAST"), new(SqlTokenKind.Symbol, "("), .. term, new(SqlTokenKind.Word, "AS"), new(SqlTokenKind.Word, type), new(SqlTokenKind.Symbol, ")")];

    /// <summary>LIKE with SQLite's meaning: ASCII letters folded on both sides, no escape character unless one is given.</summary>
    static string? Likes(List<SqlToken> tokens)
    {
        for (var k = tokens.Count - 1; k >= 0; k--)
        {
            if (!tokens[k].IsWord("like"))
                continue;
            var operator0 = k > 0 && tokens[k - 1].IsWord("not") ? k - 1 : k;
            var left = SqliteOperands.OperandStart(tokens, 0, operator0);
            var patternEnd = SqliteOperands.OperandEnd(tokens, k + 1, tokens.Count);
            if (left >= operator0 || patternEnd <= k + 1)
                return "it has a LIKE whose operands could not be read";
            var escape = patternEnd < tokens.Count && tokens[patternEnd].IsWord("escape");
            var rewritten = new List<SqlToken>();
            rewritten.AddRange(Folded(tokens[left..operator0]));
            rewritten.AddRange(tokens[operator0..(k + 1)]);
            rewritten.AddRange(Folded(tokens[(k + 1)..patternEnd]));
            if (!escape)
                rewritten.Add(new SqlToken(SqlTokenKind.Raw, "ESCAPE ''"));
            Replace(tokens, left, patternEnd, [.. rewritten]);
        }

        return null;
    }

    static IEnumerable<SqlToken> Folded(List<SqlToken> operand) =>
        [new(SqlTokenKind.Raw, "translate(("), .. operand, new(SqlTokenKind.Raw, $")::text, {AsciiLower})")];
}
