using Ferry.Connections;
using Ferry.Tests.Infrastructure;
using Npgsql;

namespace Ferry.Tests.Migrations;

/// <summary>
/// <c>ferry migrate up</c> killed (kill -9) or interrupted (SIGINT) while the server runs what it sent, then run again:
/// real processes, stopped while a statement waits on a lock the test holds, so that the moment is certain.
/// </summary>
public sealed class MigrateInterruptTests
{
    static string[] Up(TestDatabase db, MigrationFolder folder) => ["migrate", "up", "--database", db.Url, "--dir", folder.Path];

    static Task<CliResult> UpInProcess(TestDatabase db, MigrationFolder folder, params string[] more) =>
        CliRunner.RunAsync(null, folder.Path, [.. Up(db, folder), .. more]);

    /// <summary>How many sessions wait on a lock while running a statement that contains <paramref name="text"/>.</summary>
    static Task<long> BlockedAsync(TestDatabase db, string text) =>
        db.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%{text}%'");

    /// <summary>The history's rows, those columns of each separated by spaces: "001 true, 002 true".</summary>
    static Task<string> HistoryAsync(TestDatabase db, string columns) =>
        db.ScalarAsync<string>($"SELECT string_agg(concat_ws(' ', {string.Join(", ", columns.Split(", ").Select(c => $"coalesce({c}::text, 'NULL')"))}), ', ' ORDER BY installed_rank) FROM schema_migrations");

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Fact]
    public async Task A_runner_waits_for_the_session_a_killed_runner_left_and_applies_nothing_twice()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_create_t.up.sql", "CREATE TABLE t (id int);\n");
        Assert.Equal(0, (await UpInProcess(db, folder)).ExitCode);
        folder.Write("002_add_c.up.sql", "ALTER TABLE t ADD COLUMN c int;\n");

        // The killed runner's session waits for this lock, and runs 002 (with its history row) once it is released.
        await using var holder = await db.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await ExecuteAsync(holder, "LOCK TABLE t IN ACCESS SHARE MODE");
        await using (var killed = FerryProcess.Start(folder.Path, Up(db, folder)))
        {
            await FerryProcess.UntilAsync(async () => await BlockedAsync(db, "ADD COLUMN c") == 1, "the runner's ALTER TABLE waits for the test's lock");
            await killed.KillAsync();
        }

        await using var again = FerryProcess.Start(folder.Path, Up(db, folder));
        // Until it waits for the orphan (or, not waiting, runs 002 beside it): then the orphan may go on.
        await FerryProcess.UntilAsync(
            async () => again.Stderr.Contains("earlier migration runner", StringComparison.Ordinal) || again.HasExited || await BlockedAsync(db, "ADD COLUMN c") == 2,
            "the second runner waits");
        await transaction.CommitAsync();
        var result = await again.ExitAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Waiting for a session of an earlier migration runner on public.schema_migrations to finish", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("ALTER TABLE t ADD COLUMN c int", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing to do", result.Stdout, StringComparison.Ordinal);
        Assert.Equal("001 true, 002 true", await HistoryAsync(db, "version, success"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'c'"));
    }

    [Fact]
    public async Task A_runner_gives_up_on_an_earlier_runners_session_after_the_lock_timeout_naming_it()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_create_t.up.sql", "CREATE TABLE t (id int);\n");

        // A session marked as a runner of the same history table (another run) that is still working.
        var earlier = new RunMark("migrate", "public.schema_migrations");
        await using var orphan = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.Target.ConnectionString) { ApplicationName = earlier.Mark }.ConnectionString);
        await orphan.OpenAsync();
        using var stop = new CancellationTokenSource();
        await using var sleep = new NpgsqlCommand("SELECT pg_sleep(3600)", orphan);
        var sleeping = sleep.ExecuteNonQueryAsync(stop.Token);
        try
        {
            await FerryProcess.UntilAsync(async () => await db.ScalarAsync<long>($"SELECT count(*) FROM pg_stat_activity WHERE pid = {orphan.ProcessID} AND state = 'active'") == 1, "the session sleeps");
            var result = await UpInProcess(db, folder, "--lock-timeout", "0.5");

            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Contains($"pid {orphan.ProcessID} (active since ", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("SELECT pg_sleep(3600)", result.Stderr, StringComparison.Ordinal);
            Assert.Contains($"SELECT pg_terminate_backend({orphan.ProcessID})", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("--lock-timeout", result.Stderr, StringComparison.Ordinal);
            Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 't'"));
        }
        finally
        {
            await stop.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sleeping);
        }
    }

    [Fact]
    public async Task A_file_run_outside_a_transaction_killed_part_way_continues_after_the_statements_that_ran()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        await db.ExecuteAsync("CREATE TABLE gate (id int)");
        folder.Write("001_three_steps.up.sql", "-- ferry:no-transaction\nCREATE TABLE s1 (id int);\nINSERT INTO gate VALUES (2);\nCREATE TABLE s3 (id int);\n");

        // Statement 2 waits for the test's lock; the runner is killed there, and its session finishes statement 2.
        await using var holder = await db.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await ExecuteAsync(holder, "LOCK TABLE gate IN SHARE MODE");
        await using (var killed = FerryProcess.Start(folder.Path, Up(db, folder)))
        {
            await FerryProcess.UntilAsync(async () => await BlockedAsync(db, "INSERT INTO gate") == 1, "statement 2 waits for the test's lock");
            await killed.KillAsync();
        }

        await using var again = FerryProcess.Start(folder.Path, Up(db, folder));
        await FerryProcess.UntilAsync(() => Task.FromResult(again.Stderr.Contains("earlier migration runner", StringComparison.Ordinal) || again.HasExited), "the second runner waits");
        await transaction.CommitAsync();
        var result = await again.ExitAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Continuing migration 001 (three_steps) at statement 3 of 3 (line 4): statements 1-2 ran in an earlier run that stopped part-way", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("applied 001_three_steps.up.sql (", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("statements 1-2 had run in an earlier run that stopped part-way", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM gate"));
        Assert.True(await db.ScalarAsync<bool>("SELECT to_regclass('s3') IS NOT NULL"));
        Assert.Equal("001 true NULL NULL", await HistoryAsync(db, "version, success, error, statements_done"));
    }

    [Fact]
    public async Task A_file_run_outside_a_transaction_that_failed_continues_at_the_failed_statement_while_unchanged()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_three_steps.up.sql", "-- ferry:no-transaction\nCREATE TABLE s1 (id int);\nINSERT INTO later VALUES (2);\nCREATE TABLE s3 (id int);\n");

        var failed = await UpInProcess(db, folder);
        Assert.True(failed.ExitCode == 1, failed.ToString());
        Assert.Contains("public.schema_migrations records that statement 1 ran: once the cause is fixed in the database, 'ferry migrate up' with the file unchanged continues at this statement.", failed.Stderr, StringComparison.Ordinal);

        // The cause fixed in the database, not in the file: statement 1 is not run again.
        await db.ExecuteAsync("CREATE TABLE later (id int)");
        var again = await UpInProcess(db, folder);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Continuing migration 001 (three_steps) at statement 2 of 3 (line 3): statement 1 ran in an earlier run", again.Stderr, StringComparison.Ordinal);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM later"));
        Assert.Equal("001 true NULL NULL", await HistoryAsync(db, "version, success, error, statements_done"));
    }

    [Fact]
    public async Task A_file_run_outside_a_transaction_that_stopped_part_way_is_refused_once_edited()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        await db.ExecuteAsync("CREATE TABLE gate (id int)");
        var file = folder.Write("001_three_steps.up.sql", "-- ferry:no-transaction\nCREATE TABLE s1 (id int);\nINSERT INTO gate VALUES (2);\nCREATE TABLE s3 (id int);\n");
        await using (var holder = await db.OpenAsync())
        await using (var transaction = await holder.BeginTransactionAsync())
        {
            await ExecuteAsync(holder, "LOCK TABLE gate IN SHARE MODE");
            await using var interrupted = FerryProcess.Start(folder.Path, Up(db, folder));
            await FerryProcess.UntilAsync(async () => await BlockedAsync(db, "INSERT INTO gate") == 1, "statement 2 waits for the test's lock");
            await interrupted.SignalAsync("INT");
            Assert.Equal(130, (await interrupted.ExitAsync()).ExitCode);
        }

        var status = await CliRunner.RunAsync(null, folder.Path, ["migrate", "status", "--database", db.Url, "--dir", folder.Path]);
        Assert.Contains("stopped part-way", status.Stdout, StringComparison.Ordinal);
        Assert.Contains("statement 1 of 3 completed", status.Stdout, StringComparison.Ordinal);

        File.AppendAllText(file, "CREATE TABLE s4 (id int);\n");
        var refused = await UpInProcess(db, folder);
        Assert.True(refused.ExitCode == 1, refused.ToString());
        Assert.Contains("001_three_steps.up.sql stopped part-way in an earlier run (statement 1 of the file as it was then ran", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("Restore the file as it was", refused.Stderr, StringComparison.Ordinal);
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('s3') IS NOT NULL"));
    }

    [Fact]
    public async Task A_signal_during_create_index_concurrently_drops_the_invalid_index_it_left()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        await db.ExecuteAsync("CREATE TABLE t (id int); INSERT INTO t VALUES (1)");
        folder.Write("001_index.up.sql", "CREATE INDEX CONCURRENTLY t_id ON t (id);\n");

        // A writer's open transaction: CREATE INDEX CONCURRENTLY waits for it, its invalid index already committed.
        await using var holder = await db.OpenAsync();
        await using var transaction = await holder.BeginTransactionAsync();
        await ExecuteAsync(holder, "INSERT INTO t VALUES (2)");
        CliResult cancelled;
        await using (var interrupted = FerryProcess.Start(folder.Path, Up(db, folder)))
        {
            await FerryProcess.UntilAsync(async () => await BlockedAsync(db, "CREATE INDEX CONCURRENTLY") == 1, "the index build waits for the test's transaction");
            await interrupted.SignalAsync("INT");
            // Dropping the index waits for the same transaction: end it once the runner is at it.
            await interrupted.WaitForStderrAsync("Dropping the invalid index");
            await transaction.CommitAsync();
            cancelled = await interrupted.ExitAsync();
        }

        Assert.True(cancelled.ExitCode == 130, cancelled.ToString());
        Assert.Contains("Dropping the invalid index public.t_id that the cancelled statement 1 of 001_index.up.sql (CREATE INDEX CONCURRENTLY) left", cancelled.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("WAL", cancelled.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid"));

        var again = await UpInProcess(db, folder);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass"));
        Assert.Equal("001 true", await HistoryAsync(db, "version, success"));
    }

    [Fact]
    public async Task An_invalid_index_that_could_not_be_dropped_on_cancel_is_named_and_dropped_by_the_next_run()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        await db.ExecuteAsync("CREATE TABLE t (id int); INSERT INTO t VALUES (1)");
        folder.Write("001_index.up.sql", "CREATE UNIQUE INDEX CONCURRENTLY t_id ON t (id);\n");

        CliResult cancelled;
        await using (var holder = await db.OpenAsync())
        await using (var transaction = await holder.BeginTransactionAsync())
        {
            // Held until the runner has given up dropping the index it left.
            await ExecuteAsync(holder, "INSERT INTO t VALUES (2)");
            await using var interrupted = FerryProcess.Start(folder.Path, Up(db, folder));
            await FerryProcess.UntilAsync(async () => await BlockedAsync(db, "CREATE UNIQUE INDEX CONCURRENTLY") == 1, "the index build waits for the test's transaction");
            await interrupted.SignalAsync("INT");
            cancelled = await interrupted.ExitAsync();
            await transaction.CommitAsync();
        }

        Assert.True(cancelled.ExitCode == 130, cancelled.ToString());
        Assert.Contains("could not be dropped now", cancelled.Stderr, StringComparison.Ordinal);
        Assert.Contains("DROP INDEX CONCURRENTLY IF EXISTS public.t_id;", cancelled.Stderr, StringComparison.Ordinal);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_index WHERE NOT indisvalid"));

        var again = await UpInProcess(db, folder);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("Dropping the invalid index public.t_id that the run that stopped left", again.Stderr, StringComparison.Ordinal);
        Assert.True(await db.ScalarAsync<bool>("SELECT indisvalid FROM pg_index WHERE indexrelid = 't_id'::regclass"));
    }

    [Fact]
    public async Task A_signal_during_a_transactional_migration_rolls_it_back_without_a_flush_warning()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        await db.ExecuteAsync("CREATE TABLE t (id int)");
        folder.Write("001_add_c.up.sql", "ALTER TABLE t ADD COLUMN c int;\n");

        CliResult cancelled;
        await using (var holder = await db.OpenAsync())
        await using (var transaction = await holder.BeginTransactionAsync())
        {
            await ExecuteAsync(holder, "LOCK TABLE t IN ACCESS SHARE MODE");
            await using var interrupted = FerryProcess.Start(folder.Path, Up(db, folder));
            await FerryProcess.UntilAsync(async () => await BlockedAsync(db, "ADD COLUMN c") == 1, "the migration waits for the test's lock");
            await interrupted.SignalAsync("INT");
            cancelled = await interrupted.ExitAsync();
        }

        Assert.True(cancelled.ExitCode == 130, cancelled.ToString());
        Assert.Contains("cancelled", cancelled.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("WAL", cancelled.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("warning", cancelled.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 't' AND column_name = 'c'"));
    }
}
