using System.Net;
using System.Net.Sockets;
using Ferry.Connections;
using Ferry.Tests.Infrastructure;
using Npgsql;

namespace Ferry.Tests.Connections;

public sealed class PostgresUrlTests
{
    static readonly EnvironmentReader NoEnvironment = _ => null;

    static PostgresTarget Parse(string url) => PostgresTarget.Parse(url, NoEnvironment);

    static NpgsqlConnectionStringBuilder Settings(PostgresTarget target) => new(target.ConnectionString);

    [Fact]
    public void Full_url_sets_every_component()
    {
        var target = Parse("postgres://app:s3cret@db.example.com:6543/orders?sslmode=require&application_name=loader&connect_timeout=7");
        var s = Settings(target);
        Assert.Equal("db.example.com", s.Host);
        Assert.Equal(6543, s.Port);
        Assert.Equal("orders", s.Database);
        Assert.Equal("app", s.Username);
        Assert.Equal("s3cret", s.Password);
        Assert.Equal(SslMode.Require, s.SslMode);
        Assert.Equal("loader", s.ApplicationName);
        Assert.Equal(7, s.Timeout);
        Assert.Equal("postgres://app@db.example.com:6543/orders?sslmode=require", target.DisplayUrl);
    }

    [Theory]
    [InlineData("postgres://app@127.0.0.1:5432/db", GssEncryptionMode.Disable)]
    [InlineData("postgres://app@localhost/db", GssEncryptionMode.Disable)]
    [InlineData("postgres://app@[::1]:5433/db", GssEncryptionMode.Disable)]
    [InlineData("postgres://app@%2Fvar%2Frun%2Fpostgresql/db", GssEncryptionMode.Disable)]
    [InlineData("postgres://app@127.0.0.1/db?gssencmode=require", GssEncryptionMode.Require)]
    [InlineData("postgres://app@db.example.com/db", GssEncryptionMode.Prefer)]
    [InlineData("postgres://app@localhost,db.example.com/db", GssEncryptionMode.Prefer)]
    [InlineData("postgres://app@db.example.com/db?gssencmode=disable", GssEncryptionMode.Disable)]
    [InlineData("Host=127.0.0.1;Username=app;Database=db", GssEncryptionMode.Disable)]
    [InlineData("Host=127.0.0.1;Username=app;Database=db;GSS Encryption Mode=Require", GssEncryptionMode.Require)]
    [InlineData("Host=10.0.0.7;Username=app;Database=db", GssEncryptionMode.Prefer)]
    public void Gss_encryption_is_not_asked_for_on_this_machine_unless_required(string text, GssEncryptionMode expected) =>
        Assert.Equal(expected, Settings(Parse(text)).GssEncryptionMode);

    [Fact]
    public void Bad_gssencmode_is_named()
    {
        var e = Assert.Throws<FerryException>(() => Parse("postgres://app@db/x?gssencmode=maybe"));
        Assert.Contains("the URL's gssencmode", e.Message, StringComparison.Ordinal);
        Assert.Contains("disable, prefer, require", e.Message, StringComparison.Ordinal);
        Assert.Equal(GssEncryptionMode.Require, Settings(PostgresTarget.Parse("postgres://app@127.0.0.1/x", name => name == "PGGSSENCMODE" ? "require" : null)).GssEncryptionMode);
    }

    [Fact]
    public void Postgresql_scheme_and_defaults()
    {
        var s = Settings(Parse("postgresql://app@localhost"));
        Assert.Equal("localhost", s.Host);
        Assert.Equal(5432, s.Port);
        Assert.Equal("app", s.Database); // libpq: the database defaults to the user name
    }

    [Theory]
    [InlineData("postgres://u:p%40ss%3Aw%2Frd@h/db", "p@ss:w/rd")]
    [InlineData("postgres://u:%C3%A9t%C3%A9@h/db", "été")]
    [InlineData("postgres://u:raw@at@h/db", "raw@at")]
    public void Password_is_percent_decoded(string url, string password)
    {
        var target = Parse(url);
        Assert.Equal(password, Settings(target).Password);
        Assert.Equal("h", target.Host);
        Assert.DoesNotContain(password, target.DisplayUrl, StringComparison.Ordinal);
    }

    [Fact]
    public void Percent_encoded_user_and_database()
    {
        var s = Settings(Parse("postgres://my%20user@h/my%2Fdb"));
        Assert.Equal("my user", s.Username);
        Assert.Equal("my/db", s.Database);
    }

    [Theory]
    [InlineData("postgres://u@[::1]:5433/db", "::1", 5433)]
    [InlineData("postgres://u@[2001:db8::7]/db", "2001:db8::7", 5432)]
    [InlineData("postgres://u@127.0.0.1:1/db", "127.0.0.1", 1)]
    [InlineData("postgres://u@h:65535/db", "h", 65535)]
    public void Hosts_and_ports(string url, string host, int port)
    {
        var target = Parse(url);
        Assert.Equal(host, target.Host);
        Assert.Equal(port, target.Port);
    }

    [Fact]
    public void Ipv6_display_url_keeps_brackets()
    {
        Assert.Equal("postgres://u@[::1]:5433/db", Parse("postgres://u@[::1]:5433/db").DisplayUrl);
    }

    [Fact]
    public void Display_url_escapes_what_a_url_part_cannot_hold_and_nothing_else()
    {
        Assert.Equal("postgres://app%40corp@h:5432/my%20db%2Fx", Parse("postgres://app%40corp@h/my%20db%2Fx").DisplayUrl);
        Assert.Equal("postgres://a-b.c_d~e@h:5432/D-1.x_y~z", Parse("postgres://a-b.c_d~e@h/D-1.x_y~z").DisplayUrl);
        Assert.Equal("postgres://%C3%A9l%C3%A8ve@h:5432/caf%C3%A9", Parse("postgres://%C3%A9l%C3%A8ve@h/caf%C3%A9").DisplayUrl);
    }

    [Ipv6LoopbackFact]
    public async Task Ipv6_url_reaches_that_address_and_port()
    {
        using var listener = new TcpListener(IPAddress.IPv6Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptTcpClientAsync();
        var target = Parse($"postgres://u@[::1]:{port}/db?connect_timeout=2");
        var open = target.OpenAsync();
        using var client = await accepted.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(IPAddress.IPv6Loopback, ((IPEndPoint)client.Client.LocalEndPoint!).Address);
        client.Close();
        await Assert.ThrowsAsync<FerryException>(() => open);
    }

    [Fact]
    public void Several_hosts()
    {
        var s = Settings(Parse("postgres://u@primary:5432,[::1]:5433,replica/db?target_session_attrs=read-write"));
        Assert.Equal("primary:5432,[::1]:5433,replica", s.Host);
        Assert.Equal("read-write", s.TargetSessionAttributes);
    }

    [Theory]
    [InlineData("postgres://u@h:0/db", "the URL's port", "0/")]
    [InlineData("postgres://u@h:70000/db", "the URL's port", "70000")]
    [InlineData("postgres://u@h:abc/db", "the URL's port", "abc")]
    [InlineData("postgres://u@h/db?sslmode=sometimes", "the URL's sslmode is not one of", "sometimes")]
    [InlineData("postgres://u@h/db?connect_timeout=soon", "the URL's connect_timeout", "soon")]
    [InlineData("postgres://u@h/db?keepalives_idle=often", "the URL's keepalives_idle", "often")]
    [InlineData("postgres://u@h/db?target_session_attrs=any-old", "the URL's target_session_attrs", "any-old")]
    [InlineData("postgres://u@h/db?colour=blue", "unknown parameter 'colour'", "blue")]
    [InlineData("postgres://u@h/db?service=prod", "parameter 'service' has no equivalent", "prod")]
    [InlineData("postgres://u@[::1/db", "no closing ']'", "::1")]
    [InlineData("postgres://u@h/db?novalue", "parameter 'novalue' has no value", "h/db")]
    [InlineData("postgres://u@h1,h2/db?port=1,2,3", "3 ports for 2 hosts", "h1")]
    [InlineData("postgres://u@h/db%ZZ", "database name in the URL has an invalid percent-escape", "%ZZ")]
    public void Bad_urls_name_what_is_wrong_and_not_what_it_holds(string url, string expected, string notShown)
    {
        var e = Assert.Throws<FerryException>(() => Parse(url));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(notShown, e.Message, StringComparison.Ordinal);
        Assert.StartsWith("Invalid target: ", e.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Configuration, e.Kind);
    }

    [Fact]
    public void Bad_url_error_never_shows_the_password()
    {
        var e = Assert.Throws<FerryException>(() => Parse("postgres://u:hunter2@h/db?colour=blue"));
        Assert.DoesNotContain("hunter2", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("postgres://u:pa?ss@h/db", "pa?ss")]
    [InlineData("postgres://u:pa#ss@h/db", "pa#ss")]
    [InlineData("postgres://u:pa:ss@h/db", "pa:ss")]
    [InlineData("postgres://u:pa&ss=x@h/db", "pa&ss=x")]
    [InlineData("postgres://u:p%2Fw%3Fd%23x%40y%25z%20@h/db", "p/w?d#x@y%z ")]
    [InlineData("postgres://u:'q\\\"@h/db", "'q\\\"")]
    public void Passwords_libpq_reads_are_read_the_same(string url, string password)
    {
        var target = Parse(url);
        Assert.Equal((password, "h", "db", "u"), (Settings(target).Password, target.Host, target.Database, target.Username));
        Assert.True(target.PasswordInText);
    }

    [Fact]
    public void An_at_in_the_query_is_not_the_end_of_the_user_info()
    {
        var s = Settings(Parse("postgres://u:pw@h?application_name=me@laptop"));
        Assert.Equal(("u", "pw", "h", "me@laptop"), (s.Username, s.Password, s.Host, s.ApplicationName));
    }

    [Theory]
    [InlineData("postgres://u:Zq7x/Wv4k@h/db", "port")] // libpq: host "u", port "Zq7x"
    [InlineData("postgres://u:5432/Zq7xWv4k@h/db", "an '@' after the host")]
    [InlineData("postgres://u:Zq7x@1/Wv4k@h/db", "an '@' after the host")] // user info "u:Zq7x", host "1"
    [InlineData("postgres://u:Zq7x%Wv4k@h/db", "password in the URL has an invalid percent-escape")]
    [InlineData("postgres://u:Zq7x%00Wv4k@h/db", "password in the URL has an invalid percent-escape")]
    [InlineData("postgres://u:Zq7x%FFWv4k@h/db", "password in the URL has an invalid percent-escape")]
    [InlineData("postgres://u:Zq7x?Wv4k@[::1/db", "no closing ']'")]
    [InlineData("postgres://u@h/db?password=Zq7x&Wv4k", "without '='")] // a raw '&' in a query password
    [InlineData("postgres://u@h/db?password=Zq7x&Wv4k=1", "does not know after the password")]
    public void A_password_libpq_would_not_read_is_refused_without_showing_it(string url, string part) => TargetTextTests.AssertRefused(() => Parse(url), part);

    [Fact]
    public void An_empty_password_is_no_password()
    {
        var target = Parse("postgres://u:@h/db");
        Assert.Null(Settings(target).Password);
        Assert.False(target.PasswordInText);
        Assert.True(Parse("postgres://u@h/db?password=x").PasswordInText);
        Assert.False(PostgresTarget.Parse("postgres://u@h/db", name => name == "PGPASSWORD" ? "from-env" : null).PasswordInText);
    }

    [Fact]
    public void Ssl_true_is_sslmode_require_as_in_libpq()
    {
        Assert.Equal(SslMode.Require, Settings(Parse("postgres://u@h/db?ssl=true")).SslMode);
    }

    [Fact]
    public void Npgsql_connection_string_is_accepted()
    {
        var target = Parse("Host=db;Port=5439;Database=shop;Username=app;Password=pw;SSL Mode=Disable");
        Assert.Equal("db", target.Host);
        Assert.Equal(5439, target.Port);
        Assert.Equal("postgres://app@db:5439/shop?sslmode=disable", target.DisplayUrl);
        Assert.Equal("pw", Settings(target).Password);
    }

    [Fact]
    public void Neither_url_nor_connection_string_is_refused()
    {
        var e = Assert.Throws<FerryException>(() => Parse("mysql-server:3306"));
        Assert.Contains("not a postgres:// URL, a libpq keyword string (host=… dbname=…) or an Npgsql connection string", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Url_parameters_override_host_and_database()
    {
        var s = Settings(Parse("postgres:///?host=other&dbname=d2&user=u2&port=6000"));
        Assert.Equal("other", s.Host);
        Assert.Equal("d2", s.Database);
        Assert.Equal("u2", s.Username);
        Assert.Equal(6000, s.Port);
    }
}
