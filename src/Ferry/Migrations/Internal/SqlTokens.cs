using System.Text;

namespace Ferry.Migrations.Internal;

/// <summary>
/// The tokens of one statement (comments left out), as <see cref="SqlStatementSplitter.Scanner"/> finds them, each with
/// its parenthesis depth, and the reading of names from them: unquoted identifiers folded to lower case (ASCII, as
/// PostgreSQL folds them), quoted ones as written, <c>U&amp;"…"</c> with its escapes.
/// </summary>
internal sealed class SqlTokens
{
    readonly string _text;
    readonly List<SqlStatementSplitter.Token> _tokens = [];
    readonly List<int> _depths = [];

    public SqlTokens(SqlStatement statement)
    {
        _text = statement.Text;
        var scanner = SqlStatementSplitter.Scanner.For(statement);
        var depth = 0;
        while (scanner.Next() is { } token)
        {
            if (token.Kind == SqlStatementSplitter.TokenKind.Comment)
                continue;
            // A parenthesis has the depth of what encloses it, so that it matches its partner.
            if (token.Kind == SqlStatementSplitter.TokenKind.CloseParen)
                depth = Math.Max(0, depth - 1);
            _tokens.Add(token);
            _depths.Add(depth);
            if (token.Kind == SqlStatementSplitter.TokenKind.OpenParen)
                depth++;
        }
    }

    public int Count => _tokens.Count;

    public int Depth(int i) => i < _depths.Count ? _depths[i] : 0;

    /// <summary>Whether token <paramref name="i"/> is the bare word <paramref name="keyword"/> (any case).</summary>
    public bool Is(int i, string keyword) =>
        i < _tokens.Count && _tokens[i].Kind == SqlStatementSplitter.TokenKind.Word &&
        _text.AsSpan(_tokens[i].Start, _tokens[i].End - _tokens[i].Start).Equals(keyword, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether token <paramref name="i"/> is the single character <paramref name="c"/> (punctuation, a parenthesis).</summary>
    public bool IsChar(int i, char c) =>
        i < _tokens.Count && _tokens[i].End - _tokens[i].Start == 1 && _text[_tokens[i].Start] == c && _tokens[i].Kind != SqlStatementSplitter.TokenKind.Word;

    /// <summary>The index of the parenthesis closing the one at <paramref name="open"/> (or past the end).</summary>
    public int Close(int open)
    {
        for (var i = open + 1; i < _tokens.Count; i++)
        {
            if (_tokens[i].Kind == SqlStatementSplitter.TokenKind.CloseParen && _depths[i] == _depths[open])
                return i;
        }

        return _tokens.Count;
    }

    /// <summary>The first token from <paramref name="from"/> to <paramref name="to"/> at the depth of <paramref name="from"/> that is the word <paramref name="keyword"/>, or -1.</summary>
    public int Find(int from, int to, string keyword)
    {
        var depth = Depth(from);
        for (var i = from; i < to; i++)
        {
            if (_depths[i] == depth && Is(i, keyword))
                return i;
        }

        return -1;
    }

    /// <summary>The starts of the comma-separated parts from <paramref name="from"/> to <paramref name="to"/> (commas at its depth).</summary>
    public List<int> Parts(int from, int to)
    {
        var starts = new List<int> { from };
        var depth = Depth(from);
        for (var i = from; i < to; i++)
        {
            if (_depths[i] == depth && IsChar(i, ','))
                starts.Add(i + 1);
        }

        return starts;
    }

    /// <summary>An identifier at <paramref name="i"/> (a word or a quoted name), with the index after it; null when there is none.</summary>
    public string? Identifier(int i, out int next)
    {
        next = i + 1;
        if (i >= _tokens.Count)
            return null;
        var token = _tokens[i];
        var text = _text[token.Start..token.End];
        switch (token.Kind)
        {
            case SqlStatementSplitter.TokenKind.Word when text is "U" or "u" && IsChar(i + 1, '&') && Quoted(i + 2) is { } escaped && _tokens[i + 1].Start == token.End:
                next = i + 3;
                var escape = '\\';
                if (Is(next, "UESCAPE") && StringValue(next + 1) is { Length: 1 } chosen)
                    (escape, next) = (chosen[0], next + 2);
                return Unescape(escaped, escape);
            case SqlStatementSplitter.TokenKind.Word:
                return Fold(text);
            case SqlStatementSplitter.TokenKind.Literal when Quoted(i) is { } quoted:
                return quoted;
            default:
                return null;
        }
    }

    /// <summary>A name of one to three parts (<c>db.schema.name</c> keeps the last two), with the index after it; null when there is none.</summary>
    public ObjectName? Name(int i, out int next)
    {
        var parts = new List<string>(3);
        if (Identifier(i, out next) is not { } first)
            return null;
        parts.Add(first);
        while (IsChar(next, '.') && Identifier(next + 1, out var after) is { } part)
        {
            parts.Add(part);
            next = after;
        }

        return parts.Count == 1 ? new ObjectName(null, parts[0]) : new ObjectName(parts[^2], parts[^1]);
    }

    /// <summary>The value of a plain <c>'…'</c> string at <paramref name="i"/>; null when it is not one.</summary>
    public string? StringValue(int i)
    {
        if (i >= _tokens.Count || _tokens[i].Kind != SqlStatementSplitter.TokenKind.Literal || _text[_tokens[i].Start] != '\'')
            return null;
        var text = _text[(_tokens[i].Start + 1)..(_tokens[i].End - 1)];
        return text.Replace("''", "'", StringComparison.Ordinal);
    }

    /// <summary>Unquoted identifiers are folded to lower case, ASCII letters only (as PostgreSQL does for UTF-8).</summary>
    public static string Fold(string identifier)
    {
        var builder = new StringBuilder(identifier.Length);
        foreach (var c in identifier)
            builder.Append(c is >= 'A' and <= 'Z' ? (char)(c + 32) : c);
        return builder.ToString();
    }

    string? Quoted(int i)
    {
        if (i >= _tokens.Count || _tokens[i].Kind != SqlStatementSplitter.TokenKind.Literal || _text[_tokens[i].Start] != '"')
            return null;
        var text = _text[(_tokens[i].Start + 1)..(_tokens[i].End - 1)];
        return text.Replace("\"\"", "\"", StringComparison.Ordinal);
    }

    /// <summary>The escapes of a <c>U&amp;"…"</c> name: <c>\XXXX</c>, <c>\+XXXXXX</c>, and the escape character doubled.</summary>
    static string Unescape(string text, char escape)
    {
        var builder = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != escape || i + 1 >= text.Length)
            {
                builder.Append(text[i]);
                continue;
            }

            if (text[i + 1] == escape)
            {
                builder.Append(escape);
                i++;
            }
            else if (text[i + 1] == '+' && i + 8 <= text.Length && int.TryParse(text.AsSpan(i + 2, 6), System.Globalization.NumberStyles.HexNumber, null, out var wide) && wide <= 0x10FFFF && wide is < 0xD800 or > 0xDFFF)
            {
                builder.Append(char.ConvertFromUtf32(wide));
                i += 7;
            }
            else if (i + 5 <= text.Length && int.TryParse(text.AsSpan(i + 1, 4), System.Globalization.NumberStyles.HexNumber, null, out var code))
            {
                builder.Append((char)code);
                i += 4;
            }
            else
            {
                builder.Append(text[i]);
            }
        }

        return builder.ToString();
    }
}
