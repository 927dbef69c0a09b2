using System.Text;

namespace Ferry.Sources.Sqlite;

internal enum SqlTokenKind
{
    /// <summary>A bare word: keyword, function name or unquoted identifier.</summary>
    Word,

    /// <summary>An identifier quoted with "x", [x] or `x`; <see cref="SqlToken.Text"/> is the unquoted name.</summary>
    QuotedIdentifier,

    /// <summary>A string literal; <see cref="SqlToken.Text"/> is its value (quotes removed, '' unescaped).</summary>
    String,

    Number,

    /// <summary>X'ABCD'; <see cref="SqlToken.Text"/> is the hex digits.</summary>
    Blob,

    /// <summary>?, ?1, :name, @name, $name.</summary>
    Parameter,

    /// <summary>Operators and punctuation: ( ) , . ; || == != &lt;&gt; &lt;= &gt;= &lt;&lt; &gt;&gt; and single characters.</summary>
    Symbol,

    /// <summary>PostgreSQL text a rewrite put among SQLite's tokens (SQLite's implicit conversions made explicit): passed through as is.</summary>
    Raw,
}

/// <param name="Kind">What the token is.</param>
/// <param name="Text">Its text, unquoted.</param>
/// <param name="DoubleQuoted">A "quoted" name: SQLite reads it as a string when no such name exists.</param>
internal readonly record struct SqlToken(SqlTokenKind Kind, string Text, bool DoubleQuoted = false)
{
    public bool IsSymbol(string symbol) => Kind == SqlTokenKind.Symbol && Text == symbol;

    public bool IsWord(string word) => Kind == SqlTokenKind.Word && Text.Equals(word, StringComparison.OrdinalIgnoreCase);

    /// <summary>A name: a bare word or a quoted identifier.</summary>
    public bool IsName => Kind is SqlTokenKind.Word or SqlTokenKind.QuotedIdentifier;

    public override string ToString() => Kind switch
    {
        SqlTokenKind.String => "'" + Text.Replace("'", "''", StringComparison.Ordinal) + "'",
        SqlTokenKind.QuotedIdentifier => "\"" + Text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"",
        SqlTokenKind.Blob => "X'" + Text + "'",
        _ => Text,
    };
}

/// <summary>Splits SQLite SQL (schema statements, view bodies, defaults) into tokens; comments are dropped.</summary>
internal static class SqliteLexer
{
    public static List<SqlToken> Tokenize(string sql)
    {
        var tokens = new List<SqlToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '-' && At(sql, i + 1) == '-')
            {
                while (i < sql.Length && sql[i] != '\n')
                    i++;
            }
            else if (c == '/' && At(sql, i + 1) == '*')
            {
                var end = sql.IndexOf("*/", i + 2, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + 2;
            }
            else if (c == '\'')
            {
                tokens.Add(new SqlToken(SqlTokenKind.String, ReadQuoted(sql, ref i, '\'')));
            }
            else if (c == '"')
            {
                tokens.Add(new SqlToken(SqlTokenKind.QuotedIdentifier, ReadQuoted(sql, ref i, '"'), DoubleQuoted: true));
            }
            else if (c == '`')
            {
                tokens.Add(new SqlToken(SqlTokenKind.QuotedIdentifier, ReadQuoted(sql, ref i, '`')));
            }
            else if (c == '[')
            {
                var end = sql.IndexOf(']', i + 1);
                end = end < 0 ? sql.Length : end;
                tokens.Add(new SqlToken(SqlTokenKind.QuotedIdentifier, sql[(i + 1)..end]));
                i = Math.Min(end + 1, sql.Length);
            }
            else if ((c is 'x' or 'X') && At(sql, i + 1) == '\'')
            {
                i++;
                tokens.Add(new SqlToken(SqlTokenKind.Blob, ReadQuoted(sql, ref i, '\'')));
            }
            else if (char.IsDigit(c) || (c == '.' && char.IsDigit(At(sql, i + 1))))
            {
                tokens.Add(new SqlToken(SqlTokenKind.Number, ReadNumber(sql, ref i)));
            }
            else if (char.IsLetter(c) || c == '_' || c > 127)
            {
                var start = i;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] is '_' or '$' || sql[i] > 127))
                    i++;
                tokens.Add(new SqlToken(SqlTokenKind.Word, sql[start..i]));
            }
            else if (c is '?' or ':' or '@' or '$')
            {
                var start = i++;
                while (i < sql.Length && (char.IsLetterOrDigit(sql[i]) || sql[i] == '_'))
                    i++;
                tokens.Add(new SqlToken(SqlTokenKind.Parameter, sql[start..i]));
            }
            else
            {
                var two = i + 1 < sql.Length ? sql.Substring(i, 2) : "";
                if (two is "||" or "==" or "!=" or "<>" or "<=" or ">=" or "<<" or ">>" or "->")
                {
                    // ->> is SQLite's JSON operator; keep it whole so the translator can refuse it.
                    if (two == "->" && At(sql, i + 2) == '>')
                        two = "->>";
                    tokens.Add(new SqlToken(SqlTokenKind.Symbol, two));
                    i += two.Length;
                }
                else
                {
                    tokens.Add(new SqlToken(SqlTokenKind.Symbol, c.ToString()));
                    i++;
                }
            }
        }

        return tokens;
    }

    /// <summary>Tokens back to SQL text, spaced so that it reads naturally (no space inside parentheses or before commas).</summary>
    public static string Join(IEnumerable<SqlToken> tokens)
    {
        var sb = new StringBuilder();
        SqlToken? previous = null;
        foreach (var token in tokens)
        {
            if (previous is { } p && NeedsSpace(p, token))
                sb.Append(' ');
            sb.Append(token.ToString());
            previous = token;
        }

        return sb.ToString();
    }

    static bool NeedsSpace(SqlToken previous, SqlToken next)
    {
        if (next.IsSymbol(",") || next.IsSymbol(")") || next.IsSymbol(".") || previous.IsSymbol("(") || previous.IsSymbol("."))
            return false;
        if (next.IsSymbol("(") && previous.Kind == SqlTokenKind.Word)
            return false; // f(x), not f (x)
        if (previous.IsSymbol("::") || next.IsSymbol("::"))
            return false;
        if ((previous.Kind == SqlTokenKind.Raw && previous.Text.EndsWith('(')) || (next.Kind == SqlTokenKind.Raw && next.Text.StartsWith(')')))
            return false;
        return true;
    }

    static char At(string s, int i) => i < s.Length ? s[i] : '\0';

    static string ReadQuoted(string sql, ref int i, char quote)
    {
        var sb = new StringBuilder();
        i++; // opening quote
        while (i < sql.Length)
        {
            if (sql[i] == quote)
            {
                if (At(sql, i + 1) == quote)
                {
                    sb.Append(quote);
                    i += 2;
                    continue;
                }

                i++;
                return sb.ToString();
            }

            sb.Append(sql[i++]);
        }

        return sb.ToString();
    }

    static string ReadNumber(string sql, ref int i)
    {
        var start = i;
        if (sql[i] == '0' && At(sql, i + 1) is 'x' or 'X')
        {
            i += 2;
            while (i < sql.Length && Uri.IsHexDigit(sql[i]))
                i++;
            return sql[start..i];
        }

        while (i < sql.Length && (char.IsDigit(sql[i]) || sql[i] == '.'))
            i++;
        if (i < sql.Length && sql[i] is 'e' or 'E' && (char.IsDigit(At(sql, i + 1)) || (At(sql, i + 1) is '+' or '-' && char.IsDigit(At(sql, i + 2)))))
        {
            i += 2;
            while (i < sql.Length && char.IsDigit(sql[i]))
                i++;
        }

        return sql[start..i];
    }

    /// <summary>Index of the parenthesis that closes the one at <paramref name="open"/>, or -1.</summary>
    public static int MatchingParen(IReadOnlyList<SqlToken> tokens, int open)
    {
        var depth = 0;
        for (var i = open; i < tokens.Count; i++)
        {
            if (tokens[i].IsSymbol("("))
                depth++;
            else if (tokens[i].IsSymbol(")") && --depth == 0)
                return i;
        }

        return -1;
    }

    /// <summary>Splits tokens at commas that are not inside parentheses.</summary>
    public static List<List<SqlToken>> SplitTopLevel(IReadOnlyList<SqlToken> tokens, int start, int end)
    {
        var parts = new List<List<SqlToken>>();
        var current = new List<SqlToken>();
        var depth = 0;
        for (var i = start; i < end; i++)
        {
            var t = tokens[i];
            if (t.IsSymbol("("))
                depth++;
            else if (t.IsSymbol(")"))
                depth--;
            if (depth == 0 && t.IsSymbol(","))
            {
                parts.Add(current);
                current = [];
                continue;
            }

            current.Add(t);
        }

        if (current.Count > 0)
            parts.Add(current);
        return parts;
    }
}
