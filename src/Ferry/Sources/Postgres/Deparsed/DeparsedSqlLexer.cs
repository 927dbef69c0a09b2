using System.Globalization;
using System.Text;

namespace Ferry.Sources.Postgres.Deparsed;

/// <summary>
/// Splits the SQL that PostgreSQL's deparser writes (pg_get_expr, pg_get_constraintdef, pg_get_indexdef) into
/// tokens. Only for the server's own output: no comments, no dollar quoting, no Unicode escapes. A '…' literal is
/// read as standard_conforming_strings = on has the server write it (under off it doubles backslashes, which
/// splits tokens the same but leaves them doubled in the value): read the catalog in a session with it on.
/// </summary>
internal static class DeparsedSqlLexer
{
    const string OperatorCharacters = "+-*/<>=~!@#%^&|`?";

    public static List<DeparsedToken> Tokenize(string sql)
    {
        var tokens = new List<DeparsedToken>();
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var token = c switch
            {
                '"' => QuotedIdentifier(sql, i),
                '\'' => StringLiteral(sql, i, prefixLength: 0, escapes: false),
                _ when IsStringPrefix(sql, i) => StringLiteral(sql, i, prefixLength: 1, escapes: c is 'E' or 'e'),
                _ when IsWordStart(c) => Word(sql, i),
                _ when char.IsAsciiDigit(c) => Number(sql, i),
                ':' when i + 1 < sql.Length && sql[i + 1] == ':' => Token(DeparsedTokenKind.Punctuation, sql, i, 2),
                '(' or ')' or ',' or '.' or '[' or ']' or ':' or ';' => Token(DeparsedTokenKind.Punctuation, sql, i, 1),
                _ when OperatorCharacters.Contains(c, StringComparison.Ordinal) => Operator(sql, i),
                _ => throw Error(sql, i, $"unexpected character '{c}'"),
            };
            tokens.Add(token);
            i = token.End;
        }

        return tokens;
    }

    static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_' || c >= '\u0080';

    static bool IsWordPart(char c) => IsWordStart(c) || char.IsAsciiDigit(c) || c == '$';

    /// <summary>E'…' (escapes), B'…' (bits) and X'…' (hex bits): one letter glued to the quote.</summary>
    static bool IsStringPrefix(string sql, int i) =>
        sql[i] is 'E' or 'e' or 'B' or 'b' or 'X' or 'x' && i + 1 < sql.Length && sql[i + 1] == '\'';

    static DeparsedToken Token(DeparsedTokenKind kind, string sql, int start, int length)
    {
        var text = sql.Substring(start, length);
        return new DeparsedToken(kind, start, text, text);
    }

    static DeparsedToken Word(string sql, int start)
    {
        var end = start + 1;
        while (end < sql.Length && IsWordPart(sql[end]))
            end++;
        return Token(DeparsedTokenKind.Word, sql, start, end - start);
    }

    static DeparsedToken Number(string sql, int start)
    {
        var end = Digits(sql, start);
        if (end + 1 < sql.Length && sql[end] == '.' && char.IsAsciiDigit(sql[end + 1]))
            end = Digits(sql, end + 1);
        if (end < sql.Length && sql[end] is 'e' or 'E')
        {
            var exponent = end + 1 < sql.Length && sql[end + 1] is '+' or '-' ? end + 2 : end + 1;
            if (exponent < sql.Length && char.IsAsciiDigit(sql[exponent]))
                end = Digits(sql, exponent);
        }

        return Token(DeparsedTokenKind.Number, sql, start, end - start);
    }

    static int Digits(string sql, int i)
    {
        while (i < sql.Length && char.IsAsciiDigit(sql[i]))
            i++;
        return i;
    }

    static DeparsedToken Operator(string sql, int start)
    {
        var end = start + 1;
        while (end < sql.Length && OperatorCharacters.Contains(sql[end], StringComparison.Ordinal))
            end++;
        return Token(DeparsedTokenKind.Operator, sql, start, end - start);
    }

    static DeparsedToken QuotedIdentifier(string sql, int start)
    {
        var name = new StringBuilder();
        var i = start + 1;
        while (true)
        {
            if (i >= sql.Length)
                throw Error(sql, start, "unterminated quoted identifier");
            if (sql[i] == '"')
            {
                if (i + 1 < sql.Length && sql[i + 1] == '"')
                {
                    name.Append('"');
                    i += 2;
                    continue;
                }

                return new DeparsedToken(DeparsedTokenKind.QuotedIdentifier, start, sql[start..(i + 1)], name.ToString());
            }

            name.Append(sql[i++]);
        }
    }

    static DeparsedToken StringLiteral(string sql, int start, int prefixLength, bool escapes)
    {
        var value = new StringBuilder();
        var i = start + prefixLength + 1;
        while (true)
        {
            if (i >= sql.Length)
                throw Error(sql, start, "unterminated string literal");
            var c = sql[i];
            if (c == '\'')
            {
                if (i + 1 < sql.Length && sql[i + 1] == '\'')
                {
                    value.Append('\'');
                    i += 2;
                    continue;
                }

                return new DeparsedToken(DeparsedTokenKind.String, start, sql[start..(i + 1)], value.ToString());
            }

            if (escapes && c == '\\')
            {
                if (i + 1 >= sql.Length)
                    throw Error(sql, start, "unterminated string literal");
                i = Escape(sql, i + 1, value);
                continue;
            }

            value.Append(c);
            i++;
        }
    }

    /// <summary>One backslash escape of an E'' string, as PostgreSQL's scanner reads it; returns where it ends.</summary>
    static int Escape(string sql, int i, StringBuilder value)
    {
        var c = sql[i];
        switch (c)
        {
            case 'b': value.Append('\b'); return i + 1;
            case 'f': value.Append('\f'); return i + 1;
            case 'n': value.Append('\n'); return i + 1;
            case 'r': value.Append('\r'); return i + 1;
            case 't': value.Append('\t'); return i + 1;
            case >= '0' and <= '7': return Code(sql, i, 3, 8, value);
            case 'x' when i + 1 < sql.Length && char.IsAsciiHexDigit(sql[i + 1]): return Code(sql, i + 1, 2, 16, value);
            case 'u' when i + 4 < sql.Length: return Code(sql, i + 1, 4, 16, value, exact: true);
            case 'U' when i + 8 < sql.Length: return Code(sql, i + 1, 8, 16, value, exact: true);
            default: value.Append(c); return i + 1;
        }
    }

    static int Code(string sql, int start, int maxDigits, int radix, StringBuilder value, bool exact = false)
    {
        var end = start;
        while (end < sql.Length && end - start < maxDigits
               && (radix == 8 ? sql[end] is >= '0' and <= '7' : char.IsAsciiHexDigit(sql[end])))
            end++;
        if (exact && end - start != maxDigits)
            throw Error(sql, start, "invalid Unicode escape in an E'' string");
        var code = radix == 8
            ? Convert.ToInt32(sql[start..end], 8)
            : int.Parse(sql.AsSpan(start, end - start), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        value.Append(char.ConvertFromUtf32(code));
        return end;
    }

    static FerryException Error(string sql, int offset, string what) =>
        new($"Cannot read the server's SQL: {what} at offset {offset} of: {sql}");
}
