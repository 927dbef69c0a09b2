namespace Ferry.Sources;

/// <summary>
/// Guards SQL text a user gives a source engine (a <c>--where</c> condition, a derived table's query) against running as
/// more than it says: outside quotes, a statement separator, a comment (which could hide the closing parenthesis the
/// text is wrapped in) or a parenthesis closing one it did not open is refused.
/// </summary>
internal static class SqlCondition
{
    /// <summary>Throws naming <paramref name="what"/> when <paramref name="sql"/> would not stay inside the parentheses it is put in.</summary>
    public static void Check(string sql, string what)
    {
        if (string.IsNullOrWhiteSpace(sql))
            throw new FerryException($"{what}: the SQL is empty.", FailureKind.Configuration);
        var depth = 0;
        for (var i = 0; i < sql.Length; i++)
        {
            var c = sql[i];
            var next = i + 1 < sql.Length ? sql[i + 1] : '\0';
            switch (c)
            {
                case '\'' or '"' or '`':
                    i = ClosingQuote(sql, i, what);
                    break;
                case ';':
                    throw Refused(what, $"a ';' at character {i + 1} would end the statement");
                case '-' when next == '-':
                case '/' when next == '*':
                    throw Refused(what, $"a comment ('{c}{next}') at character {i + 1} could hide the rest of the statement");
                case '(':
                    depth++;
                    break;
                case ')' when --depth < 0:
                    throw Refused(what, $"the ')' at character {i + 1} closes a parenthesis it did not open");
            }
        }

        if (depth > 0)
            throw Refused(what, "a parenthesis is not closed");
    }

    /// <summary>Where the quoted text starting at <paramref name="start"/> ends (a doubled quote stays inside).</summary>
    static int ClosingQuote(string sql, int start, string what)
    {
        var quote = sql[start];
        for (var i = start + 1; i < sql.Length; i++)
        {
            if (sql[i] != quote)
                continue;
            if (i + 1 < sql.Length && sql[i + 1] == quote)
            {
                i++;
                continue;
            }

            return i;
        }

        throw Refused(what, $"the {quote} at character {start + 1} is not closed");
    }

    /// <summary>An engine's refusal as one clause of a sentence: on one line, without its closing period.</summary>
    public static string EngineMessage(string message) => message.ReplaceLineEndings(" ").Trim().TrimEnd('.');

    static FerryException Refused(string what, string why) =>
        new($"{what}: refused: {why}. Write one SQL expression, without ';' or comments.", FailureKind.Configuration);
}
