using System.Text.RegularExpressions;
using Ferry.Local;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Npgsql;

namespace Ferry.Tests.Copy;

/// <summary>
/// The target going away under a copy or a verify: a backend terminated, the server restarted. The run is held at
/// a known point by a table lock the test takes (a COPY waiting for it shows in pg_stat_activity), so that what
/// is ended, and when, does not depend on timing.
/// </summary>
public sealed class TargetLossTests : IDisposable
{
    const int Rows = 400_000;

    /// <summary>The rejects directory of the test's copies.</summary>
    readonly string _rejects = Directory.CreateTempSubdirectory("ferry-loss-").FullName;

    public void Dispose() => Directory.Delete(_rejects, recursive: true);

    /// <summary>400,000 events (eight batches of 50,000); with <paramref name="bad"/>, every 10,000th has a NUL in its label and is rejected.</summary>
    static SqliteTestFile Events(bool bad = true) => new(
        "CREATE TABLE events (id INTEGER PRIMARY KEY, label TEXT)",
        $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) INSERT INTO events SELECT i, CASE WHEN {(bad ? "i % 10000 = 0" : "false")} THEN 'bad' || char(0) ELSE 'event ' || i END FROM n");

    Task<CliResult> Copy(SqliteTestFile file, string url, params string[] more) =>
        CliRunner.RunAsync(new Dictionary<string, string>(), Path.GetTempPath(), ["copy", "sqlite:" + file.Path, "--to", url, "--jobs", "1", "--json", "--rejects", _rejects, .. more]);

    /// <summary>Waits for the copy's COPY, then locks the table so that its next batch waits: returns that waiting backend.</summary>
    static async Task<(int Pid, string Query)> HoldNextBatchAsync(NpgsqlConnection observer, NpgsqlConnection holder, Task<CliResult> run)
    {
        await Backends.WaitForAsync(observer, "query LIKE 'COPY%'", run, holder);
        await Backends.ExecuteAsync(holder, "BEGIN; LOCK TABLE events IN SHARE MODE"); // waits for the batch being written to commit
        var blocked = await Backends.WaitForAsync(observer, "wait_event_type = 'Lock'", run, holder);
        Assert.StartsWith("COPY", blocked.Query, StringComparison.Ordinal);
        return blocked;
    }

    /// <summary>Exit 1 only for the 40 rejected rows: every other row written once, none lost, no other failure.</summary>
    static void AssertExact(CliResult result)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        var json = result.Json();
        Assert.Equal(0, json.GetProperty("failures").GetArrayLength());
        var table = json.GetProperty("tables")[0];
        Assert.Equal((Rows, Rows - 40, 40), (table.GetProperty("rows_read").GetInt32(), table.GetProperty("rows_written").GetInt32(), table.GetProperty("rows_rejected").GetInt32()));
        Assert.DoesNotContain("bug in Ferry", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Verify finds every row identical but the 40 rejected ones, which PostgreSQL's text cannot hold (they are "missing").</summary>
    static void AssertVerified(CliResult result)
    {
        var verified = result.Json().GetProperty("verify").GetProperty("tables")[0];
        Assert.Equal((Rows, Rows - 40), (verified.GetProperty("source_rows").GetInt32(), verified.GetProperty("target_rows").GetInt32()));
        Assert.Equal(
            Enumerable.Range(1, 40).Select(i => ("missing", i * 10_000)),
            verified.GetProperty("differences").EnumerateArray().Select(d => (d.GetProperty("kind").GetString()!, d.GetProperty("key").GetProperty("id").GetInt32())));
    }

    void AssertRejectFile() => Assert.Equal(40, File.ReadAllLines(Path.Combine(_rejects, "events.jsonl")).Length);

    [Fact]
    public async Task A_backend_terminated_mid_load_is_retried_and_the_copy_is_exact_and_verifies()
    {
        using var file = Events();
        await using var db = await TestCluster.CreateDatabaseAsync();
        await using var observer = await db.OpenAsync();
        await using var holder = await db.OpenAsync();

        var run = Copy(file, db.Url, "--verify");
        var blocked = await HoldNextBatchAsync(observer, holder, run);
        await Backends.TerminateAsync(observer, blocked.Pid);
        await Backends.ExecuteAsync(holder, "COMMIT");
        var result = await run;

        AssertExact(result);
        AssertVerified(result);
        Assert.True(Regex.IsMatch(result.Stderr, @"lost the connection to PostgreSQL while loading public\.events \(all rows\): the server closed the connection.*57P01.*; retry 1 of 6 in 0\.5 s"), result.Stderr);
        Assert.Equal(Rows - 40L, await db.ScalarAsync<long>("SELECT count(*) FROM events"));
        AssertRejectFile();
    }

    [Fact]
    public async Task A_backend_terminated_at_every_retry_gives_up_naming_table_row_and_resume_and_resume_finishes()
    {
        using var file = Events();
        await using var db = await TestCluster.CreateDatabaseAsync();
        await using var observer = await db.OpenAsync();
        await using var holder = await db.OpenAsync();

        var run = Copy(file, db.Url);
        var blocked = await HoldNextBatchAsync(observer, holder, run);
        var terminated = 0;
        while (true)
        {
            await Backends.TerminateAsync(observer, blocked.Pid);
            terminated++;
            try
            {
                blocked = await Backends.WaitForAsync(observer, "wait_event_type = 'Lock'", run, holder);
            }
            catch (InvalidOperationException) when (run.IsCompleted)
            {
                break; // it gave up
            }
        }

        await Backends.ExecuteAsync(holder, "COMMIT");
        var failed = await run;

        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.True(terminated > 1, failed.ToString());
        var error = failed.Stderr.Split('\n').Single(l => l.StartsWith("error: ", StringComparison.Ordinal));
        Assert.Matches(@"^error: Lost the connection to PostgreSQL while loading public\.events .*: the server closed the connection", error);
        Assert.Matches(@"public\.events stopped at row [\d,]+", error);
        Assert.Contains("--resume", error, StringComparison.Ordinal);
        Assert.DoesNotContain("bug in Ferry", failed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", failed.Stderr, StringComparison.Ordinal);

        var resumed = await Copy(file, db.Url, "--resume", "--verify");

        AssertExact(resumed);
        AssertVerified(resumed);
        Assert.Equal(Rows - 40L, await db.ScalarAsync<long>("SELECT count(*) FROM events"));
        AssertRejectFile();
    }

    [Fact]
    public async Task A_backend_terminated_while_replace_creates_the_tables_runs_that_transaction_again()
    {
        using var file = Events(bad: false);
        await using var db = await TestCluster.CreateDatabaseAsync();
        var first = await Copy(file, db.Url);
        Assert.True(first.ExitCode == 0, first.ToString());
        await using var observer = await db.OpenAsync();
        await using var holder = await db.OpenAsync();
        // The state table locked: --replace drops and creates the tables, then waits to record them, in one transaction.
        await Backends.ExecuteAsync(holder, "BEGIN; LOCK TABLE ferry.copy_state IN SHARE MODE");

        var run = Copy(file, db.Url, "--replace");
        var blocked = await Backends.WaitForAsync(observer, "wait_event_type = 'Lock'", run, holder);
        Assert.StartsWith("INSERT INTO ferry.copy_state", blocked.Query, StringComparison.Ordinal);
        await Backends.TerminateAsync(observer, blocked.Pid);
        await Backends.ExecuteAsync(holder, "COMMIT");
        var result = await run;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("lost the connection to PostgreSQL while creating the tables", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(Rows, result.Json().GetProperty("tables")[0].GetProperty("rows_written").GetInt32());
        Assert.Equal((long)Rows, await db.ScalarAsync<long>("SELECT count(*) FROM events"));
        Assert.Equal("loaded", await db.ScalarAsync<string>("SELECT status FROM ferry.copy_state"));
    }

    [Fact]
    public async Task A_server_restart_mid_load_is_waited_out_and_the_copy_is_exact_and_verifies()
    {
        using var file = Events();
        var cluster = new LocalCluster(Directory.CreateTempSubdirectory("ferry-restart-").FullName, new LocalClusterOptions
        {
            NoSync = true,
            Settings = new Dictionary<string, string> { ["fsync"] = "off", ["shared_buffers"] = "32MB", ["max_connections"] = "40" },
        });
        try
        {
            var target = await cluster.StartAsync();
            var observer = await target.OpenAsync();
            var holder = await target.OpenAsync();
            var run = Copy(file, target.DisplayUrl, "--verify");
            await HoldNextBatchAsync(observer, holder, run);

            await cluster.StopAsync(); // fast: every session ended (57P01), then a shutdown checkpoint
            foreach (var ended in (NpgsqlConnection[])[observer, holder])
            {
                try
                {
                    await ended.DisposeAsync();
                }
                catch (NpgsqlException)
                {
                    // Npgsql may read the 57P01 as it closes.
                }
            }

            var restarted = await cluster.StartAsync();
            Assert.Equal(target.Port, restarted.Port);
            var result = await run;

            AssertExact(result);
            AssertVerified(result);
            Assert.Contains("lost the connection to PostgreSQL while loading public.events", result.Stderr, StringComparison.Ordinal);
            await using var check = await restarted.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM events", check);
            Assert.Equal(Rows - 40L, (long)(await count.ExecuteScalarAsync())!);
            AssertRejectFile();
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await cluster.StopAsync(immediate: true);
            cluster.Delete();
        }
    }

    [Fact]
    public async Task Verify_retries_a_terminated_query_and_finds_the_copy_identical()
    {
        using var file = Events(bad: false);
        await using var db = await TestCluster.CreateDatabaseAsync();
        var copied = await Copy(file, db.Url);
        Assert.True(copied.ExitCode == 0, copied.ToString());
        await using var observer = await db.OpenAsync();
        await using var holder = await db.OpenAsync();
        await Backends.ExecuteAsync(holder, "BEGIN; LOCK TABLE events IN ACCESS EXCLUSIVE MODE");

        var run = CliRunner.RunAsync(new Dictionary<string, string>(), Path.GetTempPath(), "verify", "sqlite:" + file.Path, "--to", db.Url, "--json");
        var blocked = await Backends.WaitForAsync(observer, "wait_event_type = 'Lock'", run, holder);
        await Backends.TerminateAsync(observer, blocked.Pid);
        await Backends.ExecuteAsync(holder, "COMMIT");
        var result = await run;

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(result.Json().GetProperty("ok").GetBoolean(), result.Stdout);
        Assert.Contains("lost the connection to PostgreSQL while verifying events", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("bug in Ferry", result.Stderr, StringComparison.Ordinal);
    }
}
