using Ferry.Backup.Internal.PgTools;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Backup;

/// <summary>Finding pg_dump / pg_restore new enough for the server, and running them with the connection in their environment.</summary>
public sealed class PgClientToolsTests
{
    /// <summary>A folder of stand-in pg_dump and pg_restore scripts, each running <paramref name="body"/>.</summary>
    static TempDirectory FakeTools(string body)
    {
        var folder = new TempDirectory("ferry-fake-pg-");
        Directory.CreateDirectory(folder.Path);
        foreach (var tool in new[] { "pg_dump", "pg_restore" })
        {
            var path = Path.Combine(folder.Path, tool);
            File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return folder;
    }

    [Theory]
    [InlineData("pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)", 15, "15.18")]
    [InlineData("pg_dump (PostgreSQL) 17beta2", 17, "17beta2")]
    [InlineData("pg_dump (PostgreSQL) 9.6.24", 9, "9.6.24")]
    public void Versions_are_read_from_what_pg_dump_says(string output, int major, string text) =>
        Assert.Equal((major, text), PgClientTools.ParseVersion(output));

    [Fact]
    public async Task The_machine_has_a_pg_dump_for_the_test_cluster()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        var server = await db.ScalarAsync<int>("SELECT current_setting('server_version_num')::int");

        var tools = await PgClientTools.LocateAsync(server, PgClientTools.DefaultDirectories(ProcessEnvironment.Reader), "test", CancellationToken.None);

        Assert.Equal(server / 10000, tools.Major);
        Assert.True(File.Exists(tools.PgRestore), tools.PgRestore);
    }

    [Fact]
    public async Task Only_older_tools_are_refused_naming_the_server_version_and_the_package()
    {
        using var old = FakeTools("echo 'pg_dump (PostgreSQL) 12.4'");

        var refusal = await Assert.ThrowsAsync<FerryException>(() => PgClientTools.LocateAsync(160002, [old.Path], "Cannot back up to a file", CancellationToken.None));

        Assert.StartsWith("Cannot back up to a file: the server runs PostgreSQL 16", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("postgresql-client-16", refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"found only pg_dump 12.4 in {old.Path}", refusal.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Configuration, refusal.Kind);
    }

    [Fact]
    public async Task The_closest_version_at_or_above_the_server_is_chosen()
    {
        using var seventeen = FakeTools("echo 'pg_dump (PostgreSQL) 17.1'");
        using var sixteen = FakeTools("echo 'pg_dump (PostgreSQL) 16.5'");

        var tools = await PgClientTools.LocateAsync(150004, [seventeen.Path, sixteen.Path], "test", CancellationToken.None);

        Assert.Equal((16, sixteen.Path), (tools.Major, tools.Directory));
    }

    [Fact]
    public void The_connection_goes_in_the_environment_and_inherited_libpq_variables_are_removed()
    {
        var environment = PgToolEnvironment.For(
            "Host=db1:5433,db2;Port=6000;Database=shop;Username=app;Password=s3cret;SSL Mode=VerifyFull;Application Name=ferry",
            ["PGSERVICE", "PGHOSTADDR", "PATH"]);

        Assert.Equal("db1,db2", environment["PGHOST"]);
        Assert.Equal("5433,6000", environment["PGPORT"]);
        Assert.Equal("shop", environment["PGDATABASE"]);
        Assert.Equal("app", environment["PGUSER"]);
        Assert.Equal("s3cret", environment["PGPASSWORD"]);
        Assert.Equal("verify-full", environment["PGSSLMODE"]);
        Assert.Null(environment["PGSERVICE"]);
        Assert.Null(environment["PGHOSTADDR"]);
        Assert.False(environment.ContainsKey("PATH"));
        Assert.Equal(("/run/postgresql,::1", "5432,5434"), PgToolEnvironment.HostsAndPorts("/run/postgresql,[::1]:5434", 5432));
    }

    [Fact]
    public async Task A_failing_tool_shows_its_exit_code_and_message_without_the_password()
    {
        using var failing = FakeTools("echo \"pg_dump: error: connection failed (password $PGPASSWORD; argv: $*)\" >&2; exit 3");
        var environment = PgToolEnvironment.For("Host=localhost;Database=shop;Username=app;Password=s3cret-pw", []);

        var failure = await Assert.ThrowsAsync<FerryException>(() =>
            PgToolProcess.RunAsync(Path.Combine(failing.Path, "pg_dump"), ["--format=custom"], environment, "s3cret-pw", null, CancellationToken.None));

        Assert.Contains("pg_dump failed (exit 3)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("connection failed (password ***; argv: --format=custom)", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", failure.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Failed, failure.Kind);
    }

    [Fact]
    public async Task Cancellation_kills_the_tool()
    {
        using var slow = FakeTools("sleep 600");
        using var cancel = new CancellationTokenSource();
        var run = PgToolProcess.RunAsync(Path.Combine(slow.Path, "pg_dump"), [], new Dictionary<string, string?>(), null, null, cancel.Token);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
