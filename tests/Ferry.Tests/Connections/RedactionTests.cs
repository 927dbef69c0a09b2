using Ferry.Connections;

namespace Ferry.Tests.Connections;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("postgres://u:secret@h:5432/db", "postgres://u:***@h:5432/db")]
    [InlineData("see postgresql://app:p%40ss@db/x?sslmode=require now", "see postgresql://app:***@db/x?sslmode=require now")]
    [InlineData("postgres://u:raw@at@h/db", "postgres://u:***@h/db")]
    [InlineData("postgres://u@h/db", "postgres://u@h/db")]
    [InlineData("postgres://u:pa/ss@h/db", "postgres://u:***@h/db")]
    [InlineData("postgresql:/u:pa?ss@h/db", "postgresql:/u:***@h/db")]
    [InlineData("postgres://u@h/db?sslmode=require&password=pw&x=1", "postgres://u@h/db?sslmode=require&password=***&x=1")]
    [InlineData("postgres://u@h:5432/db", "postgres://u@h:5432/db")]
    public void Urls(string input, string expected) => Assert.Equal(expected, Redaction.RedactUrl(input));

    [Theory]
    [InlineData("Host=h;Password=secret;Database=d", "Host=h;Password=***;Database=d")]
    [InlineData("Host=h; password = 'a;b' ;Database=d", "Host=h; password = *** ;Database=d")]
    [InlineData("Pwd=x", "Pwd=***")]
    [InlineData("Host=h;PSW=x;SSL Password=y", "Host=h;PSW=***;SSL Password=***")]
    public void Connection_strings(string input, string expected) => Assert.Equal(expected, Redaction.RedactConnectionString(input));

    [Theory]
    [InlineData("host=h password=secret dbname=d", "host=h password=*** dbname=d")]
    [InlineData("host=h password = 'a \\' b' dbname=d", "host=h password = *** dbname=d")]
    [InlineData("host=h sslpassword=k", "host=h sslpassword=***")]
    public void Keyword_strings(string input, string expected) => Assert.Equal(expected, Redaction.RedactKeywordString(input));

    [Theory]
    [InlineData("host=h password=x", true)]
    [InlineData("Host=h;Pwd=x", true)]
    [InlineData("postgres://u:x@h/db", true)]
    [InlineData("postgres://u@h/db", false)]
    [InlineData("app@corp", false)]
    public void What_may_hold_a_password(string text, bool expected) => Assert.Equal(expected, Redaction.MayHoldPassword(text));

    [Fact]
    public void Text_with_a_known_secret()
    {
        Assert.Equal("auth failed for *** on h", Redaction.RedactText("auth failed for hunter2 on h", "hunter2"));
    }
}
