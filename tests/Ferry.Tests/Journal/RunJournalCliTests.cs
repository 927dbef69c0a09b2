using System.Text.Json;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Migrations;
using Ferry.Tests.Sqlite;

namespace Ferry.Tests.Journal;

/// <summary>Every journaled command records its run in the target's <c>ferry.runs</c>, however it ends; <c>ferry runs</c> shows them.</summary>
public sealed class RunJournalCliTests
{
    static readonly Dictionary<string, string> NoEnvironment = [];

    static async Task<JsonElement[]> RunsAsync(TestDatabase db, params string[] more)
    {
        var runs = await CliRunner.RunAsync(NoEnvironment, null, ["runs", "--database", db.Url, "--json", .. more]);
        Assert.True(runs.ExitCode == 0, runs.ToString());
        return [.. runs.Json().GetProperty("runs").EnumerateArray()];
    }

    static string Describe(JsonElement run) =>
        $"{run.GetProperty("kind").GetString()} {run.GetProperty("outcome").GetString()} {run.GetProperty("exit_code")}";

    [Fact]
    public async Task Copy_verify_and_migrate_runs_are_recorded_with_their_outcome_exit_code_document_and_summary()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)", "INSERT INTO t VALUES (1, 10), (2, 20)");
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);");
        folder.Write("001_a.down.sql", "DROP TABLE a;");
        folder.Write("002_bad.up.sql", "SELECT 1;\nSELECT 1/0;");

        Assert.Equal(0, (await CliRunner.RunAsync(NoEnvironment, folder.Path, "copy", "sqlite:" + file.Path, "--to", db.Url)).ExitCode);
        await db.ExecuteAsync("UPDATE t SET n = 11 WHERE id = 1");
        Assert.Equal(1, (await CliRunner.RunAsync(NoEnvironment, folder.Path, "verify", "sqlite:" + file.Path, "--to", db.Url)).ExitCode);
        var up = await CliRunner.RunAsync(NoEnvironment, folder.Path, "migrate", "up", "--database", db.Url, "--dir", folder.Path);
        Assert.Equal(1, up.ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(NoEnvironment, folder.Path, "migrate", "repair", "--database", db.Url, "--dir", folder.Path)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(NoEnvironment, folder.Path, "migrate", "down", "--database", db.Url, "--dir", folder.Path)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(NoEnvironment, folder.Path, "migrate", "down", "--dry-run", "--database", db.Url, "--dir", folder.Path)).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(NoEnvironment, folder.Path, "migrate", "status", "--database", db.Url, "--dir", folder.Path)).ExitCode);

        var runs = await RunsAsync(db);
        Assert.Equal(
            ["migrate down ok 0", "migrate repair ok 0", "migrate up failed 1", "verify problems 1", "copy ok 0"],
            runs.Select(Describe));
        Assert.Equal(["migrate down", "migrate repair", "migrate up"], (await RunsAsync(db, "--kind", "migrate")).Select(r => r.GetProperty("kind").GetString()));
        Assert.Equal(["copy"], (await RunsAsync(db, "--kind", "copy", "--limit", "1")).Select(r => r.GetProperty("kind").GetString()));
        Assert.All(runs, r => Assert.Equal(["id", "kind", "outcome", "exit_code", "started_at", "ended_at", "environment"], r.EnumerateObject().Select(p => p.Name).Take(7)));

        // The failed migration's document names the file and the line; its summary is the error it printed.
        var failed = await CliRunner.RunAsync(NoEnvironment, null, "runs", "show", runs[2].GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "--database", db.Url, "--json");
        Assert.True(failed.ExitCode == 0, failed.ToString());
        var error = failed.Json().GetProperty("document").GetProperty("error");
        Assert.Equal((2, "22012: division by zero"), (error.GetProperty("line").GetInt32(), error.GetProperty("message").GetString()));
        Assert.Contains("002_bad.up.sql:2", failed.Json().GetProperty("summary").GetString(), StringComparison.Ordinal);

        // The verify run's document holds the difference; runs show prints its summary as the command did.
        var verify = await CliRunner.RunAsync(NoEnvironment, null, "runs", "show", runs[3].GetProperty("id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture), "--database", db.Url);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Contains("run " + runs[3].GetProperty("id").GetInt64() + ": verify, problems (exit 1)", verify.Stdout, StringComparison.Ordinal);
        Assert.Contains("differ", verify.Stdout, StringComparison.Ordinal);
        var last = await CliRunner.RunAsync(NoEnvironment, null, "runs", "show", "last", "--database", db.Url, "--json");
        Assert.Equal("migrate down", last.Json().GetProperty("run").GetProperty("kind").GetString());
        Assert.Equal("001", last.Json().GetProperty("document").GetProperty("steps")[0].GetProperty("version").GetString());
    }

    [Fact]
    public async Task The_command_line_is_recorded_without_its_password()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        const string secret = "Kq8sPw3z";
        var url = db.Url.Replace("postgres://postgres@", $"postgres://postgres:{secret}@", StringComparison.Ordinal);

        var up = await CliRunner.RunAsync(NoEnvironment, folder.Path, "migrate", "up", "--database", url, "--dir", folder.Path);

        Assert.True(up.ExitCode == 0, up.ToString());
        var recorded = await db.ScalarAsync<string>("SELECT command || target || coalesce(summary, '') || coalesce(document::text, '') FROM ferry.runs");
        Assert.DoesNotContain(secret, recorded, StringComparison.Ordinal);
        Assert.Contains("--database postgres://postgres:***@", recorded, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_that_cannot_write_its_journal_goes_on_and_warns_once()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        Assert.Equal(0, (await CliRunner.RunAsync(NoEnvironment, null, "copy", "sqlite:" + file.Path, "--to", db.Url)).ExitCode);
        var role = "reader_" + db.Name;
        await db.ExecuteAsync($"CREATE ROLE {role} LOGIN; GRANT SELECT ON t TO {role}; GRANT USAGE ON SCHEMA ferry TO {role}; REVOKE CREATE ON SCHEMA public FROM PUBLIC");
        try
        {
            var url = db.Url.Replace("postgres://postgres@", $"postgres://{role}@", StringComparison.Ordinal);
            var verify = await CliRunner.RunAsync(NoEnvironment, null, "verify", "sqlite:" + file.Path, "--to", url, "--json");

            Assert.True(verify.ExitCode == 0, verify.ToString());
            Assert.True(verify.Json().GetProperty("ok").GetBoolean());
            Assert.Single(verify.Stderr.Split('\n'), line => line.Contains("not recorded in ferry.runs", StringComparison.Ordinal));
            Assert.Contains("permission denied", verify.Stderr, StringComparison.Ordinal);
            Assert.Equal(["copy ok 0"], (await RunsAsync(db)).Select(Describe));
        }
        finally
        {
            await db.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task A_killed_run_is_shown_interrupted_and_a_cancelled_one_cancelled()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_create_t.up.sql", "CREATE TABLE t (id int);");
        Assert.Equal(0, (await CliRunner.RunAsync(NoEnvironment, folder.Path, "migrate", "up", "--database", db.Url, "--dir", folder.Path)).ExitCode);
        folder.Write("002_add_c.up.sql", "ALTER TABLE t ADD COLUMN c int;");

        // Each run's ALTER TABLE waits for the test's lock: a moment when the run is certainly under way.
        await using var holder = await db.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await using (var command = new Npgsql.NpgsqlCommand("LOCK TABLE t IN ACCESS SHARE MODE", holder))
            await command.ExecuteNonQueryAsync();
        string[] up = ["migrate", "up", "--database", db.Url, "--dir", folder.Path, "--lock-timeout", "600"];
        Task<long> Waiting() => db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%ADD COLUMN c%'");

        await using (var killed = FerryProcess.Start(folder.Path, up))
        {
            await FerryProcess.UntilAsync(async () => await Waiting() == 1, "the first run waits on the test's lock");
            Assert.Equal("migrate up running", string.Join(", ", (await RunsAsync(db)).Take(1).Select(r => $"{r.GetProperty("kind").GetString()} {r.GetProperty("outcome").GetString()}")));
            await killed.KillAsync();
        }

        await FerryProcess.UntilAsync(async () => (await RunsAsync(db))[0].GetProperty("outcome").GetString() == "interrupted", "the killed run shows as interrupted");
        await db.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE '%ADD COLUMN c%' AND pid <> pg_backend_pid()");
        await FerryProcess.UntilAsync(async () => await Waiting() == 0, "the killed run's session is gone");

        await using (var interrupted = FerryProcess.Start(folder.Path, up))
        {
            await FerryProcess.UntilAsync(async () => await Waiting() == 1 && (await RunsAsync(db))[0].GetProperty("outcome").GetString() == "running", "the second run waits on the test's lock");
            await interrupted.SignalAsync("INT");
            var result = await interrupted.ExitAsync();
            Assert.True(result.ExitCode == 130, result.ToString());
        }

        var runs = await RunsAsync(db);
        Assert.Equal(["migrate up cancelled 130", "migrate up interrupted null", "migrate up ok 0"], runs.Select(r => $"{r.GetProperty("kind").GetString()} {r.GetProperty("outcome").GetString()} {(r.GetProperty("exit_code").ValueKind == JsonValueKind.Null ? "null" : r.GetProperty("exit_code").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture))}"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM ferry.runs WHERE outcome = 'running'"));
    }

    [Fact]
    public async Task Metrics_are_written_for_a_journaled_run_and_for_one_refused_before_its_target()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY)", "INSERT INTO t VALUES (1), (2)");
        var folder = Directory.CreateTempSubdirectory("ferry-metrics-").FullName;
        try
        {
            var copy = await CliRunner.RunAsync(NoEnvironment, folder, "copy", "sqlite:" + file.Path, "--to", db.Url, "--metrics", "copy.prom");
            await File.WriteAllTextAsync(Path.Combine(folder, "not-a-folder"), "");
            var refused = await CliRunner.RunAsync(NoEnvironment, folder, "copy", "sqlite:" + file.Path, "--to", db.Url, "--replace", "--rejects", "not-a-folder", "--metrics", "again.prom");

            Assert.True(copy.ExitCode == 0, copy.ToString());
            Assert.True(refused.ExitCode == 2, refused.ToString());
            var id = (await RunsAsync(db)).Single().GetProperty("id").GetInt64();
            var metrics = await File.ReadAllTextAsync(Path.Combine(folder, "copy.prom"));
            Assert.Contains("ferry_run_success{kind=\"copy\",environment=\"\",outcome=\"ok\"} 1\n", metrics, StringComparison.Ordinal);
            Assert.Contains($"ferry_run_id{{kind=\"copy\",environment=\"\",outcome=\"ok\"}} {id}\n", metrics, StringComparison.Ordinal);
            Assert.Contains("ferry_copy_table_rows_written{table=\"public.t\"} 2\n", metrics, StringComparison.Ordinal);
            Assert.Contains("ferry_copy_table_rows_filtered{table=\"public.t\"} 0\n", metrics, StringComparison.Ordinal);
            Assert.Contains("ferry_copy_rows_filtered 0\n", metrics, StringComparison.Ordinal);
            var failed = await File.ReadAllTextAsync(Path.Combine(folder, "again.prom"));
            Assert.Contains("ferry_run_success{kind=\"copy\",environment=\"\",outcome=\"failed\"} 0\n", failed, StringComparison.Ordinal);
            Assert.Contains("ferry_run_exit_code{kind=\"copy\",environment=\"\",outcome=\"failed\"} 2\n", failed, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
