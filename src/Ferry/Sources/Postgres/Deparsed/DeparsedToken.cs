namespace Ferry.Sources.Postgres.Deparsed;

internal enum DeparsedTokenKind
{
    /// <summary>A bare word: an identifier as quote_ident leaves it, or a keyword the deparser writes in upper case.</summary>
    Word,
    QuotedIdentifier,

    /// <summary>'…', E'…' (backslash escapes), B'…' or X'…'.</summary>
    String,
    Number,

    /// <summary>A run of operator characters (<c>=</c>, <c>&lt;&gt;</c>, <c>&amp;&amp;</c>, <c>~~*</c>).</summary>
    Operator,

    /// <summary><c>::</c>, <c>(</c>, <c>)</c>, <c>,</c>, <c>.</c>, <c>[</c>, <c>]</c>, <c>:</c>, <c>;</c>.</summary>
    Punctuation,
}

/// <summary>
/// One token of deparsed SQL: where it stands in the text, the text itself, and its value (an identifier's name
/// unquoted, a string literal's content unescaped; otherwise the text).
/// </summary>
internal readonly record struct DeparsedToken(DeparsedTokenKind Kind, int Start, string Text, string Value)
{
    public int End => Start + Text.Length;

    public bool IsIdentifier => Kind is DeparsedTokenKind.Word or DeparsedTokenKind.QuotedIdentifier;

    public bool IsPunctuation(string text) => Kind == DeparsedTokenKind.Punctuation && Text == text;

    /// <summary>A keyword as the deparser writes it: a bare word in upper case (identifiers are folded or quoted).</summary>
    public bool IsKeyword(string upperCase) => Kind == DeparsedTokenKind.Word && Text == upperCase;

    /// <summary>
    /// A bare word with an upper-case letter: the deparser's keywords, since quote_ident quotes every identifier
    /// that has one.
    /// </summary>
    public bool IsUpperCaseWord => Kind == DeparsedTokenKind.Word && Text.Any(char.IsAsciiLetterUpper);
}
