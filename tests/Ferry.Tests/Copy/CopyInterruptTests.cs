using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Npgsql;

namespace Ferry.Tests.Copy;

/// <summary><c>ferry copy</c> killed (kill -9) while the server builds its keys, then resumed: real processes.</summary>
public sealed class CopyInterruptTests
{
    static SqliteTestFile Items() => new(
        "CREATE TABLE item (id INTEGER PRIMARY KEY, code TEXT NOT NULL, qty INTEGER)",
        "CREATE UNIQUE INDEX item_code ON item (code)",
        "CREATE INDEX item_qty ON item (qty)",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) INSERT INTO item SELECT i, 'c' || i, i % 7 FROM n");

    /// <summary>
    /// Every key and index build waits at gate A (advisory lock 4201), then, unless its session is listed in
    /// gate_first, at gate B (4202): the test holds both, and lets the killed run's session through alone first.
    /// </summary>
    const string Gates = """
        CREATE TABLE gate_first (pid int);
        CREATE FUNCTION gate() RETURNS event_trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF tg_tag IN ('ALTER TABLE', 'CREATE INDEX') AND current_query() ~* '(PRIMARY KEY|UNIQUE|INDEX)' AND current_query() !~ 'ferry\.runs' THEN
                PERFORM pg_advisory_lock_shared(4201);
                PERFORM pg_advisory_unlock_shared(4201);
                IF NOT EXISTS (SELECT FROM gate_first WHERE pid = pg_backend_pid()) THEN
                    PERFORM pg_advisory_lock_shared(4202);
                    PERFORM pg_advisory_unlock_shared(4202);
                END IF;
            END IF;
        END $$;
        CREATE EVENT TRIGGER gate ON ddl_command_start EXECUTE FUNCTION gate();
        """;

    /// <summary>Sessions of ferry (other than <paramref name="except"/>) waiting at a gate.</summary>
    static async Task<List<int>> AtGateAsync(TestDatabase db, int except = 0) =>
        [.. (await db.RowsAsync($"SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name LIKE 'ferry%' AND wait_event = 'advisory' AND pid <> {except}")).Select(r => (int)r[0]!)];

    /// <summary>Sets up the gates and closes both: the connection that holds them, to open them with.</summary>
    static async Task<NpgsqlConnection> CloseGatesAsync(TestDatabase db)
    {
        await db.ExecuteAsync(Gates);
        var gates = await db.OpenAsync();
        await ExecuteAsync(gates, "SELECT pg_advisory_lock(4201), pg_advisory_lock(4202)");
        return gates;
    }

    static string[] Copy(SqliteTestFile file, TestDatabase db) => ["copy", "sqlite:" + file.Path, "--to", db.Url, "--jobs", "1"];

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task Resume_after_a_kill_during_keys_ends_the_builds_the_killed_copy_left_and_builds_each_key_once()
    {
        using var file = Items();
        await using var db = await TestCluster.CreateDatabaseAsync();
        var directory = Path.GetDirectoryName(file.Path)!;
        var copy = Copy(file, db);
        await using var gates = await CloseGatesAsync(db);
        int orphan;
        await using (var killed = FerryProcess.Start(directory, copy))
        {
            await FerryProcess.UntilAsync(async () => (await AtGateAsync(db)).Count == 1, "the copy's first key build waits at the gate");
            orphan = (await AtGateAsync(db)).Single();
            await db.ExecuteAsync($"INSERT INTO gate_first VALUES ({orphan})");
            await killed.KillAsync();
        }

        await using var resume = FerryProcess.Start(directory, [.. copy, "--resume"]);
        await FerryProcess.UntilAsync(async () => resume.HasExited || (await AtGateAsync(db, except: orphan)).Count == 1, "the resumed copy reaches its keys");
        // The killed run's build goes first, if it still runs; then the resumed copy's.
        await ExecuteAsync(gates, "SELECT pg_advisory_unlock(4201)");
        await FerryProcess.UntilAsync(async () => await db.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE pid = {orphan}") == 0, "the killed run's session is gone");
        await ExecuteAsync(gates, "SELECT pg_advisory_unlock(4202)");
        var result = await resume.ExitAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Ending a session that an earlier run of the copy of sqlite:{file.Path} left working on the server", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"pid {orphan} (active since ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE conrelid = 'item'::regclass AND contype = 'p'"));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE indrelid = 'item'::regclass AND indisvalid"));
        Assert.Equal(100L, await db.ScalarAsync<long>("SELECT count(*) FROM item"));
    }

    [Fact]
    public async Task A_second_copy_while_the_first_runs_is_refused_naming_it()
    {
        using var file = Items();
        await using var db = await TestCluster.CreateDatabaseAsync();
        var directory = Path.GetDirectoryName(file.Path)!;
        var copy = Copy(file, db);
        await using var gates = await CloseGatesAsync(db);
        await using var first = FerryProcess.Start(directory, copy);
        await FerryProcess.UntilAsync(async () => (await AtGateAsync(db)).Count == 1, "the copy's first key build waits at the gate");

        await using var second = FerryProcess.Start(directory, [.. copy, "--resume"]);
        await FerryProcess.UntilAsync(async () => second.HasExited || (await AtGateAsync(db)).Count == 2, "the second copy stops, or goes on to the keys");
        await ExecuteAsync(gates, "SELECT pg_advisory_unlock(4201), pg_advisory_unlock(4202)");
        var refused = await second.ExitAsync();
        var result = await first.ExitAsync();

        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains($"Another run of the copy of sqlite:{file.Path} is working on this database (pid ", refused.Stderr, StringComparison.Ordinal);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Resume_keeps_the_keys_that_exist_as_planned_and_reports_one_defined_otherwise()
    {
        using var file = Items();
        await using var db = await TestCluster.CreateDatabaseAsync();
        var directory = Path.GetDirectoryName(file.Path)!;
        string[] copy = ["copy", "sqlite:" + file.Path, "--to", db.Url];
        Assert.Equal(0, (await CliRunner.RunAsync(null, directory, copy)).ExitCode);
        // The index of the planned name now indexes another column; the key and the other index are as planned.
        await db.ExecuteAsync("DROP INDEX item_qty; CREATE INDEX item_qty ON item (code); UPDATE ferry.copy_state SET status = 'loading'");
        var keys = await db.ScalarAsync<string>("SELECT string_agg(indexrelid::text, ',' ORDER BY indexrelid) FROM pg_index WHERE indrelid = 'item'::regclass");

        var resumed = await CliRunner.RunAsync(null, directory, [.. copy, "--resume"]);

        Assert.Contains(
            "public.item: index item_qty was not created: one of that name exists with another definition (INDEX USING btree (code); planned: INDEX USING btree (qty)).",
            resumed.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("already exists", resumed.Stderr, StringComparison.Ordinal);
        Assert.Equal(keys, await db.ScalarAsync<string>("SELECT string_agg(indexrelid::text, ',' ORDER BY indexrelid) FROM pg_index WHERE indrelid = 'item'::regclass"));
        Assert.Equal(100L, await db.ScalarAsync<long>("SELECT count(*) FROM item"));
    }
}
