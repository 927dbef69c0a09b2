using Ferry.Connections;
using Npgsql;

namespace Ferry.Tests.Connections;

/// <summary>The target's text forms other than URLs: libpq keyword strings, Npgsql connection strings, and text in neither.</summary>
public sealed class TargetTextTests
{
    static readonly EnvironmentReader NoEnvironment = _ => null;

    static PostgresTarget Parse(string text, EnvironmentReader? environment = null) => PostgresTarget.Parse(text, environment ?? NoEnvironment);

    static NpgsqlConnectionStringBuilder Settings(string text) => new(Parse(text).ConnectionString);

    /// <summary>
    /// Refused with a configuration error that names <paramref name="part"/> and shows neither half of the password
    /// (Zq7x, Wv4k: a password cut at a separator is caught too).
    /// </summary>
    internal static void AssertRefused(Func<PostgresTarget> parse, string part)
    {
        var e = Assert.Throws<FerryException>(() => parse());
        Assert.Contains(part, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("Invalid target", e.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Configuration, e.Kind);
        Assert.DoesNotContain("Zq7x", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Wv4k", e.Message, StringComparison.Ordinal);
    }

    static void AssertRefused(string text, string part) => AssertRefused(() => Parse(text), part);

    [Fact]
    public void Keyword_string_sets_every_component()
    {
        var target = Parse("host=db.example.com port=6543 dbname=orders user=app password=s3cret sslmode=require application_name=loader connect_timeout=7");
        var s = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(("db.example.com", 6543, "orders", "app", "s3cret"), (s.Host, s.Port, s.Database, s.Username, s.Password));
        Assert.Equal((SslMode.Require, "loader", 7), (s.SslMode, s.ApplicationName, s.Timeout));
        Assert.Equal("postgres://app@db.example.com:6543/orders?sslmode=require", target.DisplayUrl);
        Assert.True(target.PasswordInText);
    }

    [Theory]
    [InlineData(@"host=h password='a b'", "a b")]
    [InlineData(@"host=h password='it\'s \\ here'", @"it's \ here")]
    [InlineData(@"host=h password=a\ b\'c", "a b'c")]
    [InlineData(@"host = h   password =  'x=y;z'", "x=y;z")]
    [InlineData(@"host=h password=a;b", "a;b")]
    [InlineData(@"host=h password=p@ss/w%2Frd", "p@ss/w%2Frd")]
    [InlineData("host=h\tpassword=tab\nuser=u", "tab")]
    public void Keyword_string_values_are_read_as_libpq_reads_them(string text, string password)
    {
        var s = Settings(text);
        Assert.Equal(("h", password), (s.Host, s.Password));
    }

    [Fact]
    public void Keyword_string_hosts_ports_and_fallbacks()
    {
        Assert.Equal("h1:5432,h2:5433", Settings("host=h1,h2 port=5432,5433").Host);
        Assert.Equal("h1:6000,h2:6000", Settings("host=h1,h2 port=6000").Host);
        Assert.Equal("127.0.0.1", Settings("hostaddr=127.0.0.1 dbname=d").Host);
        Assert.Equal("given", Settings("fallback_application_name=fallback application_name=given").ApplicationName);
        Assert.Equal("fallback", Settings("fallback_application_name=fallback host=h").ApplicationName);
        Assert.True(Settings("host=h1,h2 load_balance_hosts=random").LoadBalanceHosts);
    }

    [Fact]
    public void Keyword_string_takes_what_it_leaves_out_from_the_libpq_variables()
    {
        var target = Parse("host=h dbname=d", name => name switch { "PGUSER" => "envuser", "PGPASSWORD" => "envpw", "PGPORT" => "6003", _ => null });
        var s = new NpgsqlConnectionStringBuilder(target.ConnectionString);
        Assert.Equal(("envuser", "envpw", 6003), (s.Username, s.Password, s.Port));
        Assert.False(target.PasswordInText); // from PGPASSWORD, not written in the text
        Assert.Null(Settings("host=h password='' dbname=d").Password);
    }

    [Theory]
    [InlineData("host=h;database=d", "h", "d")]
    [InlineData("host=h; database=d; password=a b", "h", "d")]
    [InlineData("Host=h", "h", null)]
    [InlineData("Server=h;DB=d;Pwd=x", "h", "d")]
    [InlineData("host=h", "h", null)]
    [InlineData("host=h dbname=d", "h", "d")]
    public void Keyword_strings_and_connection_strings_are_told_apart(string text, string host, string? database)
    {
        var s = Settings(text);
        Assert.Equal(host, s.Host);
        if (database is not null)
            Assert.Equal(database, s.Database);
    }

    [Theory]
    [InlineData("host=h port=abc password=Zq7xWv4k", "the keyword string's port")]
    [InlineData("host=h port=70000 password=Zq7xWv4k", "the keyword string's port")]
    [InlineData("host=h1,h2 port=1,2,3 password=Zq7xWv4k", "3 ports for 2 hosts")]
    [InlineData("host=h password=Zq7xWv4k sslmode=sometimes", "the keyword string's sslmode is not one of")]
    [InlineData("host=h password=Zq7xWv4k channel_binding=maybe", "the keyword string's channel_binding")]
    [InlineData("host=h password=Zq7xWv4k load_balance_hosts=yes", "the keyword string's load_balance_hosts")]
    [InlineData("host=h colour=blue password=Zq7xWv4k", "unknown parameter 'colour' in the keyword string")]
    [InlineData("host=h oops password=Zq7xWv4k", "has 'oops' without '='")]
    [InlineData("host=h password=Zq7xWv4k service=prod", "parameter 'service' has no equivalent")]
    [InlineData("host=h password=Zq7x Wv4k dbname=d", "a word without '=' after it, after the password")]
    [InlineData("host=h password=Zq7x Wv4k=d", "does not know after the password")]
    [InlineData(@"host=h password='Zq7x\'Wv4k", "the keyword string's password has a quote that is not closed")]
    [InlineData("host=h password=Zq7x colour=Wv4k", "does not know after the password")]
    public void Keyword_string_errors_name_the_keyword_and_never_the_password(string text, string part) => AssertRefused(text, part);

    [Theory]
    [InlineData("Host=h;Port=abc;Password=Zq7xWv4k", "the connection string's port is not a number")]
    [InlineData("Host=h;Port=70000;Password=Zq7xWv4k", "the connection string's port is not a number")]
    [InlineData("Host=h;Password=Zq7xWv4k;SSL Mode=Sometimes", "the connection string's ssl mode is not one of the values")]
    [InlineData("Host=h;Password=Zq7xWv4k;Timeout=-1", "the connection string's timeout is out of range")]
    [InlineData("Host=h;Password=Zq7xWv4k;Pooling=maybe", "the connection string's pooling is not in the form")]
    [InlineData("Host=h;Colour=blue;Password=Zq7xWv4k", "unknown parameter 'colour' in the connection string")]
    [InlineData("Host=h;Password=Zq7x;Wv4k=1", "does not know after the password")]
    [InlineData("Host=h;Password='Zq7x;Wv4k", "the connection string is malformed at character 8")]
    [InlineData("Host=h;Password=\"Zq7x\"Wv4k\"", "the connection string is malformed")]
    [InlineData("Host=h password=Zq7xWv4k", "separates settings with spaces")]
    [InlineData("Host=h password=Zq7xWv4k;Database=d", "its host holds what looks like a password setting")]
    [InlineData("Host=h;Database=postgres://u:Zq7xWv4k@h/d", "its database name holds what looks like")]
    [InlineData("Host=h;Pooling=false;Multiplexing=true;Password=Zq7xWv4k", "Npgsql refuses these settings together")]
    public void Connection_string_errors_name_the_key_and_never_the_password(string text, string part) => AssertRefused(text, part);

    [Theory]
    [InlineData("u:Zq7xWv4k@h/db", "a URL without its scheme")]
    [InlineData("u@h/db", "a URL without its scheme")]
    [InlineData("postgresql:/u:Zq7xWv4k@h/db", "starts with postgresql:// (two slashes)")]
    [InlineData("postgres:u:Zq7xWv4k@h/db", "starts with postgres:// (two slashes)")]
    [InlineData("mysql://u:Zq7xWv4k@h/db", "'mysql://' is not a PostgreSQL URL")]
    [InlineData("Zq7xWv4k", "is not a postgres:// URL, a libpq keyword string")]
    public void Text_in_no_form_says_what_it_resembles_and_is_never_shown(string text, string part) => AssertRefused(text, part);

    [Fact]
    public void Database_url_errors_say_so()
    {
        var e = Assert.Throws<FerryException>(() => TargetResolver.Resolve(null, name => name == "DATABASE_URL" ? "host=h port=x" : null));
        Assert.StartsWith("Invalid target (DATABASE_URL): the keyword string's port", e.Message, StringComparison.Ordinal);
        var argument = Assert.Throws<FerryException>(() => TargetResolver.Resolve("host=h port=x", NoEnvironment, "--to"));
        Assert.StartsWith("Invalid target (--to): ", argument.Message, StringComparison.Ordinal);
    }
}
