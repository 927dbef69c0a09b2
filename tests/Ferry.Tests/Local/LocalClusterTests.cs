using Ferry.Local;
using Ferry.Tests.Infrastructure;
using Npgsql;

namespace Ferry.Tests.Local;

/// <summary>The managed cluster, started and stopped for real (as root the server runs as postgres).</summary>
public sealed class LocalClusterTests
{
    /// <summary>A temp directory other users can enter (CreateTempSubdirectory makes it 0700).</summary>
    static string OpenTempDirectory(string prefix)
    {
        var dir = Directory.CreateTempSubdirectory(prefix).FullName;
        File.SetUnixFileMode(dir, (UnixFileMode)0b111_101_101);
        return dir;
    }

    static readonly LocalClusterOptions Fast = new() { NoSync = true, Settings = new Dictionary<string, string> { ["fsync"] = "off" } };

    [Fact]
    public async Task Start_status_stop_and_start_again()
    {
        var dir = OpenTempDirectory("ferry-local-");
        var cluster = new LocalCluster(Path.Combine(dir, "pg"), Fast);
        try
        {
            var before = await cluster.GetStatusAsync();
            Assert.False(before.Initialized);
            Assert.False(before.Running);

            var target = await cluster.StartAsync();
            var status = await cluster.GetStatusAsync();
            Assert.True(status.Running);
            Assert.Equal(target.Port, status.Port);
            Assert.Equal(target.DisplayUrl, status.Url);
            Assert.Equal($"postgres://postgres@127.0.0.1:{target.Port}/postgres", target.DisplayUrl);

            await using (var connection = await target.OpenAsync())
            await using (var command = new NpgsqlCommand("select current_setting('server_encoding')", connection))
                Assert.Equal("UTF8", await command.ExecuteScalarAsync());

            // Starting a running cluster is a no-op that returns the same target.
            Assert.Equal(target.Port, (await cluster.StartAsync()).Port);

            NpgsqlConnection.ClearAllPools();
            Assert.True(await cluster.StopAsync());
            Assert.False((await cluster.GetStatusAsync()).Running);
            Assert.False(await cluster.StopAsync());

            var again = await cluster.StartAsync();
            Assert.True((await cluster.GetStatusAsync()).Running);
            Assert.Equal(target.Port, again.Port); // The port is remembered while it stays free.
        }
        finally
        {
            await cluster.StopAsync(immediate: true);
            cluster.Delete();
            Directory.Delete(dir, recursive: true);
        }
    }

    [RootFact]
    public async Task Data_directory_belongs_to_the_server_user_when_root()
    {
        var dir = OpenTempDirectory("ferry-local-");
        var cluster = new LocalCluster(Path.Combine(dir, "pg"), Fast);
        try
        {
            await cluster.StartAsync();
            var owner = await Ferry.Internal.ProcessRunner.RunAsync("stat", ["-c", "%U", cluster.DataDirectory]);
            Assert.Equal("postgres", owner.StandardOutput.Trim());
        }
        finally
        {
            await cluster.StopAsync(immediate: true);
            cluster.Delete();
            Directory.Delete(dir, recursive: true);
        }
    }

    [RootFact]
    public async Task A_directory_the_server_user_cannot_reach_keeps_the_data_under_var_tmp()
    {
        var closed = Directory.CreateTempSubdirectory("ferry-closed-").FullName; // 0700, like /root
        var cluster = new LocalCluster(Path.Combine(closed, "pg"), Fast);
        try
        {
            var target = await cluster.StartAsync();
            Assert.StartsWith("/var/tmp/ferry-postgres-", cluster.DataDirectory, StringComparison.Ordinal);
            Assert.True((await cluster.GetStatusAsync()).Running);
            await using (var connection = await target.OpenAsync())
                Assert.Equal(System.Data.ConnectionState.Open, connection.State);
            NpgsqlConnection.ClearAllPools();
            Assert.True(await cluster.StopAsync());
            var home = Path.GetDirectoryName(cluster.DataDirectory)!;
            cluster.Delete();
            Assert.False(Directory.Exists(home));
        }
        finally
        {
            await cluster.StopAsync(immediate: true);
            Directory.Delete(closed, recursive: true);
        }
    }

    [Fact]
    public async Task Cli_local_start_status_url_stop()
    {
        var dir = OpenTempDirectory("ferry-local-");
        var env = new Dictionary<string, string> { ["FERRY_LOCAL_DIR"] = Path.Combine(dir, "cluster") };
        try
        {
            var status = await CliRunner.RunAsync(env, dir, "local", "status", "--json");
            Assert.Equal(0, status.ExitCode);
            Assert.Equal("not_initialized", status.Json().GetProperty("state").GetString());

            var start = await CliRunner.RunAsync(env, dir, "local", "start", "--json");
            Assert.True(start.ExitCode == 0, start.ToString());
            var started = start.Json();
            Assert.Equal("started", started.GetProperty("state").GetString());
            Assert.True(started.GetProperty("running").GetBoolean());
            var url = started.GetProperty("url").GetString()!;
            Assert.StartsWith(Path.Combine(dir, "cluster"), started.GetProperty("data_directory").GetString(), StringComparison.Ordinal);

            var urlResult = await CliRunner.RunAsync(env, dir, "local", "url");
            Assert.Equal(url, urlResult.Stdout.Trim());

            var running = await CliRunner.RunAsync(env, dir, "local", "status");
            Assert.Contains($"running at {url}", running.Stdout, StringComparison.Ordinal);

            var doctor = await CliRunner.RunAsync(env, dir, "doctor", "--json");
            Assert.True(doctor.ExitCode == 0, doctor.ToString());
            Assert.Equal("local_cluster", doctor.Json().GetProperty("origin").GetString());

            NpgsqlConnection.ClearAllPools();
            var stop = await CliRunner.RunAsync(env, dir, "local", "stop", "--json");
            Assert.Equal("stopped", stop.Json().GetProperty("state").GetString());
            var after = await CliRunner.RunAsync(env, dir, "local", "status", "--json");
            Assert.False(after.Json().GetProperty("running").GetBoolean());
        }
        finally
        {
            await new LocalCluster(Path.Combine(dir, "cluster")).StopAsync(immediate: true);
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Doctor_with_nothing_configured_starts_the_managed_cluster_in_the_working_directory()
    {
        // A real process, in an empty directory, with no target anywhere in its environment.
        var dir = OpenTempDirectory("ferry-empty-");
        try
        {
            var doctor = await CliRunner.RunProcessAsync(null, dir, TimeSpan.FromMinutes(2), "doctor");
            Assert.True(doctor.ExitCode == 0, doctor.ToString());
            Assert.Contains("the managed local cluster", doctor.Stdout, StringComparison.Ordinal);
            Assert.Contains("starting the managed local cluster", doctor.Stderr, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(dir, ".ferry", "postgres", "data", "PG_VERSION")));

            var stop = await CliRunner.RunProcessAsync(null, dir, TimeSpan.FromMinutes(1), "local", "stop");
            Assert.True(stop.ExitCode == 0, stop.ToString());
            Assert.Contains("stopped", stop.Stdout, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(dir, ".ferry", "postgres", "data", "postmaster.pid")));
        }
        finally
        {
            await new LocalCluster(Path.Combine(dir, ".ferry", "postgres")).StopAsync(immediate: true);
            Directory.Delete(dir, recursive: true);
        }
    }
}
