using System.Text.Json;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Migrations;

/// <summary><c>ferry migrate …</c> as users and scripts call it.</summary>
public sealed class MigrateCliTests
{
    static readonly Dictionary<string, string> NoEnvironment = [];

    static Task<CliResult> Ferry(TestDatabase db, MigrationFolder folder, params string[] args) =>
        CliRunner.RunAsync(null, folder.Path, ["migrate", .. args, "--database", db.Url, "--dir", folder.Path]);

    [Theory]
    [InlineData("init")]
    [InlineData("new")]
    [InlineData("status")]
    [InlineData("up")]
    [InlineData("down")]
    [InlineData("validate")]
    [InlineData("repair")]
    [InlineData("baseline")]
    public async Task Every_migrate_command_has_help(string command)
    {
        var result = await CliRunner.RunAsync("migrate", command, "--help");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("--dir", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Init_new_up_status_round_trip_with_the_designed_json()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var parent = new MigrationFolder();
        var dir = Path.Combine(parent.Path, "db", "migrations");

        var init = await CliRunner.RunAsync(NoEnvironment, parent.Path, "migrate", "init", "--database", db.Url, "--dir", "db/migrations", "--json");
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.True(init.Json().GetProperty("table_created").GetBoolean());
        Assert.True(Directory.Exists(dir));
        Assert.True(await db.ScalarAsync<bool>("SELECT to_regclass('public.schema_migrations') IS NOT NULL"));

        var created = await CliRunner.RunAsync(NoEnvironment, parent.Path, "migrate", "new", "create users", "--dir", "db/migrations", "--json");
        Assert.True(created.ExitCode == 0, created.ToString());
        Assert.Equal(["001_create_users.up.sql", "001_create_users.down.sql"], created.Json().GetProperty("files").EnumerateArray().Select(f => Path.GetFileName(f.GetString())));
        File.WriteAllText(Path.Combine(dir, "001_create_users.up.sql"), "CREATE TABLE users (id int);");
        File.WriteAllText(Path.Combine(dir, "002_pending.up.sql"), "CREATE TABLE later (id int);");

        var up = await CliRunner.RunAsync(NoEnvironment, parent.Path, "migrate", "up", "--to", "1", "--database", db.Url, "--dir", "db/migrations", "--json");
        Assert.True(up.ExitCode == 0, up.ToString());
        var step = Assert.Single(up.Json().GetProperty("steps").EnumerateArray());
        Assert.Equal("001", step.GetProperty("version").GetString());
        Assert.True(step.GetProperty("transactional").GetBoolean());

        var env = new Dictionary<string, string> { ["FERRY_MIGRATIONS"] = dir, ["DATABASE_URL"] = db.Url };
        var status = await CliRunner.RunAsync(env, parent.Path, "migrate", "status", "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var json = status.Json();
        Assert.Equal(["history_table", "migrations"], json.EnumerateObject().Select(p => p.Name));
        Assert.Equal("public.schema_migrations", json.GetProperty("history_table").GetString());
        var migrations = json.GetProperty("migrations").EnumerateArray().ToList();
        Assert.Equal(["version", "name", "state", "checksum", "applied_at", "execution_ms"], migrations[0].EnumerateObject().Select(p => p.Name));
        Assert.Equal("001", migrations[0].GetProperty("version").GetString());
        Assert.Equal("create_users", migrations[0].GetProperty("name").GetString());
        Assert.Equal("applied", migrations[0].GetProperty("state").GetString());
        Assert.Equal(64, migrations[0].GetProperty("checksum").GetString()!.Length);
        Assert.True(migrations[0].GetProperty("applied_at").TryGetDateTimeOffset(out _));
        Assert.Equal(JsonValueKind.Number, migrations[0].GetProperty("execution_ms").ValueKind);
        Assert.Equal("pending", migrations[1].GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, migrations[1].GetProperty("applied_at").ValueKind);

        var table = await CliRunner.RunAsync(env, parent.Path, "migrate", "status");
        Assert.Contains("create_users", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("pending", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Failing_migration_exits_1_naming_file_line_and_server_message()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_bad.up.sql", "CREATE TABLE t (id int);\n\nINSERT INTO t VALUES ('not a number');\n");

        var result = await Ferry(db, folder, "up", "--json");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.Stderr.Trim().Split('\n'));
        Assert.Contains("001_bad.up.sql:3:", line, StringComparison.Ordinal);
        Assert.Contains("invalid input syntax for type integer", line, StringComparison.Ordinal);
        var error = result.Json().GetProperty("error");
        Assert.False(result.Json().GetProperty("ok").GetBoolean());
        Assert.Equal(3, error.GetProperty("line").GetInt32());
        Assert.Equal(23, error.GetProperty("column").GetInt32());
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('t') IS NOT NULL"));

        // Its history row failing (the migration dropped the table) is a failure of the file too, at no line.
        folder.Write("001_bad.up.sql", "DROP TABLE schema_migrations;\n");
        var history = await Ferry(db, folder, "up", "--json");
        Assert.Equal(1, history.ExitCode);
        Assert.Contains(
            "001_bad.up.sql: migration 001 (bad) failed: its row in public.schema_migrations could not be written: 42P01: ",
            Assert.Single(history.Stderr.Trim().Split('\n')),
            StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, history.Json().GetProperty("error").GetProperty("line").ValueKind);
    }

    [Fact]
    public async Task Validate_passes_crlf_only_edits_and_fails_real_edits_then_repair_fixes_it()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n");
        Assert.Equal(0, (await Ferry(db, folder, "up")).ExitCode);

        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);\r\nCREATE TABLE b (id int);\r\n");
        var crlf = await Ferry(db, folder, "validate");
        Assert.True(crlf.ExitCode == 0, crlf.ToString());

        folder.Write("001_a.up.sql", "CREATE TABLE a (id int, x int);\nCREATE TABLE b (id int);\n");
        var edited = await Ferry(db, folder, "validate", "--json");
        Assert.Equal(1, edited.ExitCode);
        var problem = Assert.Single(edited.Json().GetProperty("problems").EnumerateArray());
        Assert.Equal("changed", problem.GetProperty("state").GetString());
        var status = await Ferry(db, folder, "status", "--json");
        Assert.Equal("changed", status.Json().GetProperty("migrations")[0].GetProperty("state").GetString());
        Assert.Equal(1, (await Ferry(db, folder, "up")).ExitCode);

        var repair = await Ferry(db, folder, "repair");
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Equal(0, (await Ferry(db, folder, "validate")).ExitCode);
    }

    [Fact]
    public async Task Down_steps_1_and_dry_runs_change_nothing()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);");
        folder.Write("001_a.down.sql", "DROP TABLE a;");
        folder.Write("002_b.up.sql", "CREATE TABLE b (id int);");
        folder.Write("002_b.down.sql", "DROP TABLE b;");

        var dry = await Ferry(db, folder, "up", "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal(
            "-- 001_a.up.sql: apply migration 001 (a); then record it in public.schema_migrations\nBEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n\n" +
            "-- 002_b.up.sql: apply migration 002 (b); then record it in public.schema_migrations\nBEGIN;\nCREATE TABLE b (id int);\nCOMMIT;\n\n",
            dry.Stdout);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('schema_migrations') IS NOT NULL"));

        Assert.Equal(0, (await Ferry(db, folder, "up")).ExitCode);
        var dryDown = await Ferry(db, folder, "down", "--steps", "2", "--dry-run", "--json");
        Assert.Equal(["002", "001"], dryDown.Json().GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("version").GetString()));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename IN ('a', 'b')"));

        var down = await Ferry(db, folder, "down", "--steps", "1");
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Contains("reverted 002_b.down.sql", down.Stdout, StringComparison.Ordinal);
        Assert.Equal(["a"], (await db.RowsAsync("SELECT tablename::text FROM pg_tables WHERE tablename IN ('a', 'b')")).Select(r => r[0]));
        Assert.Equal(["001"], (await db.RowsAsync("SELECT version FROM schema_migrations")).Select(r => r[0]));
    }

    [Fact]
    public async Task Down_with_nothing_applied_says_so_and_exits_0_like_up_with_nothing_pending()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);");
        folder.Write("001_a.down.sql", "DROP TABLE a;");

        foreach (var before in new[] { "status", "init" })
        {
            Assert.Equal(0, (await Ferry(db, folder, before)).ExitCode);
            var down = await Ferry(db, folder, "down");
            Assert.True(down.ExitCode == 0, down.ToString());
            Assert.Contains("Nothing to revert: no migration is applied in public.schema_migrations", down.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("--steps", down.Stderr, StringComparison.Ordinal);
            Assert.Contains("nothing to do (public.schema_migrations)", down.Stdout, StringComparison.Ordinal);
        }

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
    }

    [Fact]
    public async Task Configuration_problems_exit_2()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "SELECT 1;");
        folder.Write("01_b.up.sql", "SELECT 2;");

        var duplicate = await Ferry(db, folder, "up");
        Assert.Equal(2, duplicate.ExitCode);
        Assert.Contains("Two migration files have version", duplicate.Stderr, StringComparison.Ordinal);

        var missing = await CliRunner.RunAsync("migrate", "status", "--database", db.Url, "--dir", Path.Combine(folder.Path, "nope"));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Stderr, StringComparison.Ordinal);

        Assert.Equal(2, (await Ferry(db, folder, "baseline")).ExitCode);
    }

    [Fact]
    public async Task Copy_from_stdin_is_refused_with_exit_2_before_anything_runs_also_by_dry_run_and_validate()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);");
        folder.Write("002_seed.up.sql", "-- ferry:no-transaction\nCREATE TABLE seeded (id int, name text);\nCOPY seeded (id, name) FROM stdin;\n1\tone; two\n\\.\n");

        foreach (var args in new[] { ["up"], ["up", "--dry-run"], new[] { "validate" } })
        {
            var result = await Ferry(db, folder, args);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("002_seed.up.sql:3:1: COPY … FROM STDIN is not supported in a migration file", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("INSERT", result.Stderr, StringComparison.Ordinal);
            Assert.Equal("", result.Stdout);
        }

        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('a') IS NOT NULL OR to_regclass('seeded') IS NOT NULL"));
    }

    [Fact]
    public async Task Baseline_then_up_from_the_command_line()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("V1__old.sql", "CREATE TABLE old (id int);");
        folder.Write("V2__new.sql", "CREATE TABLE new (id int);");

        Assert.Equal(0, (await Ferry(db, folder, "baseline", "--version", "1")).ExitCode);
        var up = await Ferry(db, folder, "up", "--json");

        Assert.Equal(["2"], up.Json().GetProperty("steps").EnumerateArray().Select(s => s.GetProperty("version").GetString()));
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('old') IS NOT NULL"));
    }

    [Fact]
    public async Task Without_a_terminal_notes_and_results_are_plain_whole_lines()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        var deep = Path.Combine(folder.Path, new string('d', 120), new string('e', 120));
        Directory.CreateDirectory(deep);
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);");
        File.Move(Path.Combine(folder.Path, "001_a.up.sql"), Path.Combine(deep, "001_a.up.sql"));

        var applied = await CliRunner.RunAsync(null, folder.Path, ["migrate", "up", "--database", db.Url, "--dir", deep]);
        var again = await CliRunner.RunAsync(null, folder.Path, ["migrate", "up", "--database", db.Url, "--dir", deep]);

        Assert.True(applied.ExitCode == 0, applied.ToString());
        Assert.Contains("\napplied 001_a.up.sql (", "\n" + applied.Stdout, StringComparison.Ordinal);
        Assert.Contains("applied 1 migration (public.schema_migrations)\n", applied.Stdout, StringComparison.Ordinal);
        // A note longer than a console's width stays one line, without colour codes.
        Assert.Contains($"No pending migrations in {deep}\n", again.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing to do (public.schema_migrations)\n", again.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", applied.Stderr + applied.Stdout + again.Stderr + again.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lock_timeout_exits_1_and_names_the_holder()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);");
        var key = new global::Ferry.Migrations.Migrator(db.Target).LockKey;
        // Runners of other databases on the server hold the same key, and are not the holder (advisory locks are per database).
        var others = new List<(TestDatabase Db, Npgsql.NpgsqlConnection Session)>();
        for (var i = 0; i < 3; i++)
        {
            var other = await TestCluster.CreateDatabaseAsync();
            var session = await other.OpenAsync();
            await using (var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({key})", session))
                await command.ExecuteNonQueryAsync();
            others.Add((other, session));
        }

        await using var holder = await db.OpenAsync();
        await using (var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_lock({key})", holder))
            await command.ExecuteNonQueryAsync();

        var result = await Ferry(db, folder, "up", "--lock-timeout", "0.3");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"pid {holder.ProcessID}", result.Stderr, StringComparison.Ordinal);
        Assert.All(others, o => Assert.DoesNotContain($"pid {o.Session.ProcessID}", result.Stderr, StringComparison.Ordinal));
        foreach (var (other, session) in others)
        {
            await session.DisposeAsync();
            await other.DisposeAsync();
        }

        await using (var command = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_unlock({key})", holder))
            await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Two_concurrent_up_processes_apply_twenty_migrations_exactly_once()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        for (var i = 1; i <= 20; i++)
            folder.Write($"{i:000}_t{i}.up.sql", $"CREATE TABLE t{i} (id int);\nINSERT INTO t{i} VALUES ({i});\nSELECT pg_sleep(0.02);\n");
        folder.Write("021_index.up.sql", "CREATE INDEX CONCURRENTLY t1_id ON t1 (id);");

        string[] args = ["migrate", "up", "--database", db.Url, "--dir", folder.Path, "--json"];
        var runs = await Task.WhenAll(
            CliRunner.RunProcessAsync(null, folder.Path, TimeSpan.FromMinutes(2), args),
            CliRunner.RunProcessAsync(null, folder.Path, TimeSpan.FromMinutes(2), args));

        Assert.All(runs, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Equal(21, runs.Sum(r => r.Json().GetProperty("steps").GetArrayLength()));
        var history = await db.RowsAsync("SELECT version, count(*), bool_and(success) FROM schema_migrations GROUP BY version ORDER BY version");
        Assert.Equal(21, history.Count);
        Assert.All(history, row => Assert.Equal([1L, true], row[1..]));
        Assert.Equal(20L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t[0-9]+$'"));
        Assert.True(await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 't1_id'::regclass"));
    }
}
