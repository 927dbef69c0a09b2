using Ferry.Sources.Postgres.Deparsed;
using Ferry.Sources.Postgres;

namespace Ferry.Tests.Sources.Postgres;

public sealed class DeparsedSqlLexerTests
{
    static List<(DeparsedTokenKind Kind, string Value)> Lex(string sql) =>
        DeparsedSqlLexer.Tokenize(sql).Select(t => (t.Kind, t.Value)).ToList();

    [Fact]
    public void Identifiers_bare_and_quoted_with_doubled_quotes()
    {
        Assert.Equal(
            [(DeparsedTokenKind.Word, "curve_name$2"), (DeparsedTokenKind.QuotedIdentifier, "Say \"hi\""), (DeparsedTokenKind.Word, "AND")],
            Lex("curve_name$2 \"Say \"\"hi\"\"\" AND"));
    }

    [Fact]
    public void Strings_standard_with_doubled_quotes_keep_backslashes()
    {
        Assert.Equal([(DeparsedTokenKind.String, "a\\'b")], Lex("'a\\''b'"));
    }

    [Fact]
    public void Escape_strings_read_backslash_escapes()
    {
        Assert.Equal([(DeparsedTokenKind.String, "a\\'b\n\tA\u00e9")], Lex("E'a\\\\\\'b\\n\\t\\101\\u00e9'"));
        Assert.Equal([(DeparsedTokenKind.String, "it's")], Lex("e'it''s'"));
    }

    [Fact]
    public void Bit_strings_are_strings_not_identifiers()
    {
        Assert.Equal([(DeparsedTokenKind.String, "0101"), (DeparsedTokenKind.Punctuation, "::"), (DeparsedTokenKind.Word, "bit")], Lex("B'0101'::bit"));
    }

    [Fact]
    public void Numbers_operators_and_punctuation()
    {
        Assert.Equal(
            [
                (DeparsedTokenKind.Punctuation, "("), (DeparsedTokenKind.Number, "1.5e+3"), (DeparsedTokenKind.Operator, "<>"),
                (DeparsedTokenKind.Number, "2"), (DeparsedTokenKind.Punctuation, ")"), (DeparsedTokenKind.Punctuation, "::"),
                (DeparsedTokenKind.Word, "numeric"), (DeparsedTokenKind.Punctuation, "["), (DeparsedTokenKind.Punctuation, "]"),
                (DeparsedTokenKind.Punctuation, ","), (DeparsedTokenKind.Word, "x"), (DeparsedTokenKind.Operator, "&&"),
                (DeparsedTokenKind.Word, "y"), (DeparsedTokenKind.Operator, "~~*"), (DeparsedTokenKind.Punctuation, "."),
            ],
            Lex("(1.5e+3 <> 2)::numeric[], x && y ~~* ."));
    }

    [Fact]
    public void Tokens_know_where_they_stand()
    {
        var tokens = DeparsedSqlLexer.Tokenize("  \"A\"\n  ::text");
        Assert.Equal(2, tokens[0].Start);
        Assert.Equal(5, tokens[0].End);
        Assert.Equal("\"A\"", tokens[0].Text);
        Assert.Equal(8, tokens[1].Start);
    }

    [Theory]
    [InlineData("'open", "unterminated string literal at offset 0")]
    [InlineData("x = \"open", "unterminated quoted identifier at offset 4")]
    [InlineData("x { y", "unexpected character '{' at offset 2")]
    public void Bad_input_is_refused_naming_what_and_where(string sql, string message)
    {
        var error = Assert.Throws<FerryException>(() => DeparsedSqlLexer.Tokenize(sql));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains(sql, error.Message, StringComparison.Ordinal);
    }
}
