using Ferry.Connections;

namespace Ferry.Tests.Connections;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("postgres://u:secret@h:5432/db", "postgres://u:***@h:5432/db")]
    [InlineData("see postgresql://app:p%40ss@db/x?sslmode=require now", "see postgresql://app:***@db/x?sslmode=require now")]
    [InlineData("postgres://u:raw@at@h/db", "postgres://u:***@h/db")]
    [InlineData("postgres://u@h/db", "postgres://u@h/db")]
    public void Urls(string input, string expected) => Assert.Equal(expected, Redaction.RedactUrl(input));

    [Theory]
    [InlineData("Host=h;Password=secret;Database=d", "Host=h;Password=***;Database=d")]
    [InlineData("Host=h; password = 'a;b' ;Database=d", "Host=h; password = *** ;Database=d")]
    [InlineData("Pwd=x", "Pwd=***")]
    public void Connection_strings(string input, string expected) => Assert.Equal(expected, Redaction.RedactConnectionString(input));

    [Fact]
    public void Text_with_a_known_secret()
    {
        Assert.Equal("auth failed for *** on h", Redaction.RedactText("auth failed for hunter2 on h", "hunter2"));
    }
}
