namespace Ferry.Migrations.Internal;

/// <summary>One statement of a SQL script: its text (without the terminating semicolon) and where it starts.</summary>
/// <param name="Text">The statement as it will be sent, from its first character to the character before its semicolon.</param>
/// <param name="Offset">Index of the statement's first character in the script.</param>
/// <param name="Words">The first few bare words (keywords and unquoted identifiers), upper-cased; comments and literals skipped.</param>
/// <param name="StandardStrings">Whether the server reads it with standard_conforming_strings on (<see cref="SqlStatementSplitter"/>).</param>
internal sealed record SqlStatement(string Text, int Offset, IReadOnlyList<string> Words, bool StandardStrings = true);

/// <summary>
/// Splits a PostgreSQL script into statements the way the server's lexer sees it: semicolons inside
/// <c>--</c> and nested <c>/* */</c> comments, <c>'…'</c>, <c>E'…'</c> (backslash escapes), <c>"…"</c>,
/// <c>$tag$…$tag$</c>, parentheses and SQL-standard <c>BEGIN ATOMIC … END</c> function bodies do not end a
/// statement. A statement starts at its first token (comments before it belong to no statement); statements made
/// only of whitespace and comments are dropped. A script starts as Ferry's sessions do, with standard_conforming_strings
/// on (<c>'…'</c> has no escapes); after a <c>SET [SESSION|LOCAL] standard_conforming_strings</c> statement its
/// <c>'…'</c> strings are read as that setting says (off: a backslash escapes), as the server then reads them, until a
/// <c>RESET</c> of it (or <c>RESET ALL</c>, <c>DISCARD ALL</c>, <c>SET … TO DEFAULT</c>). A change made otherwise
/// (<c>set_config()</c>) is not followed.
/// </summary>
internal static class SqlStatementSplitter
{
    const int WordsKept = 12;

    public static List<SqlStatement> Split(string script)
    {
        var statements = new List<SqlStatement>();
        var scanner = new Scanner(script);
        var start = -1;
        var words = new List<string>();
        var parenDepth = 0;
        var beginDepth = 0;

        var standardStrings = true;

        void Finish(int end)
        {
            if (start >= 0)
                statements.Add(new SqlStatement(script[start..end].TrimEnd(), start, words.ToArray(), standardStrings));
            words.Clear();
            start = -1;
            parenDepth = 0;
            beginDepth = 0;
        }

        while (scanner.Next() is { } token)
        {
            switch (token.Kind)
            {
                case TokenKind.Comment:
                    continue;
                case TokenKind.Semicolon when parenDepth == 0 && beginDepth == 0:
                    Finish(token.Start);
                    continue;
                case TokenKind.OpenParen:
                    parenDepth++;
                    break;
                case TokenKind.CloseParen:
                    parenDepth = Math.Max(0, parenDepth - 1);
                    break;
                case TokenKind.Word:
                    var word = script[token.Start..token.End].ToUpperInvariant();
                    if (words.Count < WordsKept)
                        words.Add(word);
                    if (parenDepth == 0 && IsFunctionDefinition(words))
                        beginDepth = TrackBody(word, beginDepth);
                    break;
            }

            if (start < 0)
                (start, standardStrings) = (token.Start, scanner.StandardStrings);
        }

        Finish(script.Length);
        return statements;
    }

    /// <summary>The bare words of one statement outside parentheses, upper-cased; comments and literals skipped.</summary>
    public static List<string> TopLevelWords(SqlStatement statement)
    {
        var words = new List<string>();
        var scanner = Scanner.For(statement);
        var depth = 0;
        while (scanner.Next() is { } token)
        {
            depth += token.Kind switch { TokenKind.OpenParen => 1, TokenKind.CloseParen => -1, _ => 0 };
            if (token.Kind == TokenKind.Word && depth == 0)
                words.Add(statement.Text[token.Start..token.End].ToUpperInvariant());
        }

        return words;
    }

    /// <summary>
    /// <c>CREATE [OR REPLACE] FUNCTION|PROCEDURE</c>: only there can <c>BEGIN … END</c> hold semicolons (psql
    /// uses the same rule). A <c>CASE … END</c> inside such a body also closes with END.
    /// </summary>
    static bool IsFunctionDefinition(List<string> words) =>
        words.Count >= 2 && words[0] == "CREATE" &&
        (words[1] is "FUNCTION" or "PROCEDURE" ||
         (words.Count >= 4 && words[1] == "OR" && words[2] == "REPLACE" && words[3] is "FUNCTION" or "PROCEDURE"));

    static int TrackBody(string word, int depth) => word switch
    {
        "BEGIN" => depth + 1,
        "CASE" when depth > 0 => depth + 1,
        "END" when depth > 0 => depth - 1,
        _ => depth,
    };

    internal enum TokenKind
    {
        Word,
        Comment,
        Literal,
        Semicolon,
        OpenParen,
        CloseParen,
        Other,
    }

    internal readonly record struct Token(TokenKind Kind, int Start, int End);

    /// <summary>
    /// standard_conforming_strings through a script: a statement's first tokens are kept, and at its semicolon a SET
    /// or RESET of the setting takes effect, as on the server.
    /// </summary>
    sealed class StringSetting(bool initial)
    {
        const string Name = "standard_conforming_strings";
        const int TokensKept = 6;
        readonly bool _initial = initial;
        readonly List<string> _tokens = [];

        public bool Standard { get; private set; } = initial;

        public void See(TokenKind kind, string text, int start, int end)
        {
            if (kind == TokenKind.Comment)
                return;
            if (kind == TokenKind.Semicolon)
            {
                Standard = After(_tokens) ?? Standard;
                _tokens.Clear();
            }
            else if (_tokens.Count <= TokensKept)
            {
                _tokens.Add(text[start..end]);
            }
        }

        /// <summary>The setting after a statement of these tokens, or null when it does not change it.</summary>
        bool? After(List<string> t)
        {
            if (t.Count == 2 && ((Is(t[0], "RESET") && (Is(t[1], "ALL") || Is(t[1], Name))) || (Is(t[0], "DISCARD") && Is(t[1], "ALL"))))
                return _initial;
            var i = t.Count > 1 && (Is(t[1], "SESSION") || Is(t[1], "LOCAL")) ? 2 : 1;
            if (t.Count != i + 3 || !Is(t[0], "SET") || !Is(t[i], Name) || !(t[i + 1] == "=" || Is(t[i + 1], "TO")))
                return null;
            var value = t[i + 2];
            if (value.Equals("DEFAULT", StringComparison.OrdinalIgnoreCase))
                return _initial;
            if (value.Length > 1 && value[0] is 'E' or 'e' && value[1] == '\'')
                value = value[1..];
            return value.Trim('\'', '"').ToLowerInvariant() switch
            {
                "on" or "true" or "yes" or "1" => true,
                "off" or "false" or "no" or "0" => false,
                _ => null,
            };
        }

        /// <summary>The keyword or name, bare (any case) or double-quoted (as written in lower case).</summary>
        static bool Is(string token, string word) =>
            token.Equals(word, StringComparison.OrdinalIgnoreCase) || token == "\"" + word.ToLowerInvariant() + "\"";
    }

    /// <summary>
    /// A lexer that knows just enough of PostgreSQL's to find where tokens start and end, starting with
    /// standard_conforming_strings as given and following a script's own changes to it (see <see cref="SqlStatementSplitter"/>).
    /// </summary>
    internal sealed class Scanner(string text, bool standardStrings = true)
    {
        int _position;
        readonly StringSetting _setting = new(standardStrings);

        /// <summary>A scanner of one statement of a script, reading its strings as the server does.</summary>
        public static Scanner For(SqlStatement statement) => new(statement.Text, statement.StandardStrings);

        /// <summary>Whether <c>'…'</c> is read without backslash escapes from here on.</summary>
        public bool StandardStrings => _setting.Standard;

        public Token? Next()
        {
            if (NextToken() is not { } token)
                return null;
            _setting.See(token.Kind, text, token.Start, token.End);
            return token;
        }

        Token? NextToken()
        {
            while (_position < text.Length && char.IsWhiteSpace(text[_position]))
                _position++;
            if (_position >= text.Length)
                return null;

            var start = _position;
            var c = text[_position];
            var next = _position + 1 < text.Length ? text[_position + 1] : '\0';
            TokenKind kind;
            if (c == '-' && next == '-')
            {
                var newline = text.IndexOf('\n', _position);
                _position = newline < 0 ? text.Length : newline + 1;
                kind = TokenKind.Comment;
            }
            else if (c == '/' && next == '*')
            {
                SkipBlockComment();
                kind = TokenKind.Comment;
            }
            else if (c == '\'')
            {
                SkipQuoted('\'', backslashEscapes: !StandardStrings);
                kind = TokenKind.Literal;
            }
            else if (c == '"')
            {
                SkipQuoted('"', backslashEscapes: false);
                kind = TokenKind.Literal;
            }
            else if (c == '$' && DollarTag(_position) is { } tag)
            {
                var close = text.IndexOf(tag, _position + tag.Length, StringComparison.Ordinal);
                _position = close < 0 ? text.Length : close + tag.Length;
                kind = TokenKind.Literal;
            }
            else if (IsWordStart(c))
            {
                while (_position < text.Length && IsWordPart(text[_position]))
                    _position++;
                // E'…' (and e'…'): a string with backslash escapes, only when E is the whole prefix.
                if (_position - start == 1 && c is 'E' or 'e' && _position < text.Length && text[_position] == '\'')
                {
                    SkipQuoted('\'', backslashEscapes: true);
                    kind = TokenKind.Literal;
                }
                else
                {
                    kind = TokenKind.Word;
                }
            }
            else
            {
                _position++;
                kind = c switch
                {
                    ';' => TokenKind.Semicolon,
                    '(' => TokenKind.OpenParen,
                    ')' => TokenKind.CloseParen,
                    _ => TokenKind.Other,
                };
            }

            return new Token(kind, start, _position);
        }

        void SkipBlockComment()
        {
            var depth = 0;
            while (_position < text.Length)
            {
                if (text[_position] == '/' && _position + 1 < text.Length && text[_position + 1] == '*')
                {
                    depth++;
                    _position += 2;
                }
                else if (text[_position] == '*' && _position + 1 < text.Length && text[_position + 1] == '/')
                {
                    depth--;
                    _position += 2;
                    if (depth == 0)
                        return;
                }
                else
                {
                    _position++;
                }
            }
        }

        /// <summary>From an opening quote to past its closing one; a doubled quote is a quote inside.</summary>
        void SkipQuoted(char quote, bool backslashEscapes)
        {
            _position++;
            while (_position < text.Length)
            {
                var c = text[_position];
                if (backslashEscapes && c == '\\')
                {
                    _position += 2;
                    continue;
                }

                _position++;
                if (c != quote)
                    continue;
                if (_position < text.Length && text[_position] == quote)
                {
                    _position++;
                    continue;
                }

                return;
            }

            _position = text.Length;
        }

        /// <summary><c>$$</c> or <c>$tag$</c> at <paramref name="at"/> (not <c>$1</c>, not inside an identifier).</summary>
        string? DollarTag(int at)
        {
            if (at > 0 && IsWordPart(text[at - 1]))
                return null;
            var i = at + 1;
            if (i < text.Length && IsWordStart(text[i]))
            {
                while (i < text.Length && IsWordPart(text[i]) && text[i] != '$')
                    i++;
            }

            return i < text.Length && text[i] == '$' ? text[at..(i + 1)] : null;
        }

        static bool IsWordStart(char c) => char.IsLetter(c) || c == '_' || c > 127;

        static bool IsWordPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '$' || c > 127;
    }
}
