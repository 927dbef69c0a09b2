using Ferry.Tests.Infrastructure;
using Npgsql;

namespace Ferry.Tests.Sync;

/// <summary>
/// Scheduled syncs as real processes: the advisory lock (a second scheduler skips its slot, a one-off run exits 1 naming the
/// holder, a killed holder's lock goes with its session), SIGTERM between runs (exit 0) and during one (cancelled, rolled back,
/// the watermark kept, the journal saying so).
/// </summary>
public sealed class SyncScheduleCliTests : IDisposable
{
    readonly TempDirectory _folder = new("ferry-sync-schedule-");

    public void Dispose() => _folder.Dispose();

    string Source() => SyncSqlite.Items(_folder.Path);

    /// <summary>Sessions of the database waiting on a lock (the test's) while applying rows to items.</summary>
    static Task<long> WaitingAsync(TestDatabase db) =>
        db.ScalarAsync<long>("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%items%'");

    /// <summary>The target's items locked in a transaction of the test's: a run applying rows to it waits there.</summary>
    static async Task<NpgsqlTransaction> HoldItemsAsync(NpgsqlConnection connection)
    {
        var transaction = await connection.BeginTransactionAsync();
        await using var lockTable = new NpgsqlCommand("LOCK TABLE public.items IN ACCESS EXCLUSIVE MODE", connection, transaction);
        await lockTable.ExecuteNonQueryAsync();
        return transaction;
    }

    [Fact]
    public async Task One_sync_runs_at_a_time_and_SIGTERM_stops_between_runs_or_cancels_a_run()
    {
        var path = Source();
        await using var db = await TestCluster.CreateDatabaseAsync("syncsched");
        string[] sync = ["sync", "sqlite:" + path, "--to", db.Url, "--watermark", "updated_at"];
        var first = await CliRunner.RunAsync([.. sync]);
        Assert.True(first.ExitCode == 0, first.ToString());
        SyncSqlite.Run(path, "UPDATE items SET name = 'b2', updated_at = '2026-12-02 08:00:00' WHERE id = 2;");

        // The test holds the target table: a scheduled run gets as far as applying its rows, and waits there, holding the sync's lock.
        await using var blocker = await db.OpenAsync();
        await using var blocking = await HoldItemsAsync(blocker);

        await using var holder = FerryProcess.Start(_folder.Path, [.. sync, "--every", "1h"]);
        await FerryProcess.UntilAsync(async () => await WaitingAsync(db) >= 1, "the scheduled run waits on the test's lock");

        // A one-off run of the same sync: exit 1, naming the process that runs it.
        var oneOff = await CliRunner.RunAsync([.. sync]);
        Assert.Equal(1, oneOff.ExitCode);
        Assert.Contains($"is running already", oneOff.Stderr, StringComparison.Ordinal);
        Assert.Contains($"held by ferry sync (pid {holder.Id} on {Environment.MachineName})", oneOff.Stderr, StringComparison.Ordinal);

        // A second scheduler skips its slot, says who holds the sync, and waits for the next; SIGTERM between runs: exit 0.
        await using (var second = FerryProcess.Start(_folder.Path, [.. sync, "--every", "1h"]))
        {
            Assert.True(await second.WaitForStderrAsync("sync skipped: running elsewhere"), second.Stderr);
            Assert.Contains($"held by ferry sync (pid {holder.Id} on", second.Stderr, StringComparison.Ordinal);
            Assert.Contains("next run ", second.Stderr, StringComparison.Ordinal);
            await second.SignalAsync("TERM");
            var stopped = await second.ExitAsync();
            Assert.True(stopped.ExitCode == 0, stopped.ToString());
            Assert.Contains("sync stopped between runs", stopped.Stderr, StringComparison.Ordinal);
        }

        // SIGTERM during the run: cancelled (exit 130), nothing applied, the watermark where the first run left it, the journal says so.
        await holder.SignalAsync("TERM");
        var cancelled = await holder.ExitAsync();
        Assert.True(cancelled.ExitCode == 130, cancelled.ToString());
        Assert.Contains("sync cancelled: rolled back", cancelled.Stderr, StringComparison.Ordinal);
        await blocking.RollbackAsync();
        Assert.Equal("b", await db.ScalarAsync<string>("SELECT name FROM public.items WHERE id = 2"));
        Assert.Equal("2026-12-01 11:00:00", await db.ScalarAsync<string>("SELECT watermark FROM ferry.sync_state WHERE table_name = 'public.items'"));
        Assert.Equal("cancelled", await db.ScalarAsync<string>("SELECT outcome FROM ferry.runs WHERE kind = 'sync' ORDER BY id DESC LIMIT 1"));
        Assert.Equal(130, await db.ScalarAsync<int>("SELECT exit_code FROM ferry.runs WHERE kind = 'sync' ORDER BY id DESC LIMIT 1"));

        // The lock went with the process: the next run applies the change.
        var after = await CliRunner.RunAsync([.. sync]);
        Assert.True(after.ExitCode == 0, after.ToString());
        Assert.Equal("b2", await db.ScalarAsync<string>("SELECT name FROM public.items WHERE id = 2"));
        Assert.Equal("2026-12-02 08:00:00", await db.ScalarAsync<string>("SELECT watermark FROM ferry.sync_state WHERE table_name = 'public.items'"));
    }

    [Fact]
    public async Task A_killed_holders_lock_goes_with_its_session_and_each_scheduled_run_is_journaled()
    {
        var path = Source();
        await using var db = await TestCluster.CreateDatabaseAsync("syncsched");
        string[] sync = ["sync", "sqlite:" + path, "--to", db.Url, "--watermark", "updated_at"];
        Assert.Equal(0, (await CliRunner.RunAsync([.. sync])).ExitCode);

        await using (var blocker = await db.OpenAsync())
        {
            await using var blocking = await HoldItemsAsync(blocker);
            await using var killed = FerryProcess.Start(_folder.Path, [.. sync]);
            await FerryProcess.UntilAsync(async () => await WaitingAsync(db) >= 1, "the run waits on the test's lock");
            Assert.Equal(1, (await CliRunner.RunAsync([.. sync])).ExitCode);
            await killed.KillAsync();
            // Its lock session was idle: the server sees it closed, and frees the lock.
            await FerryProcess.UntilAsync(async () => await db.ScalarAsync<long>("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database WHERE datname = current_database())") == 0, "the killed run's lock is gone");
            await blocking.RollbackAsync();
        }

        await using var scheduled = FerryProcess.Start(_folder.Path, [.. sync, "--every", "1h", "--json"]);
        Assert.True(await scheduled.WaitForStderrAsync("sync ok: 1 table, 0 rows changed (0 inserted, 0 updated, 0 deleted)"), scheduled.Stderr);
        Assert.Contains("sync scheduled every 1h: first run ", scheduled.Stderr, StringComparison.Ordinal);
        await scheduled.SignalAsync("INT");
        var stopped = await scheduled.ExitAsync();
        Assert.True(stopped.ExitCode == 0, stopped.ToString());
        // Under --json, one document per run on stdout.
        Assert.True(new CliResult(0, stopped.Stdout, "").Json().GetProperty("ok").GetBoolean(), stopped.Stdout);
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM ferry.runs WHERE kind = 'sync' AND outcome = 'ok' AND command LIKE '%--every 1h%'"));
    }

    [Fact]
    public async Task A_scheduled_sync_refused_for_its_configuration_exits_2_and_bad_schedules_are_refused()
    {
        var path = Source();
        await using var db = await TestCluster.CreateDatabaseAsync("syncsched");
        var textWatermark = await CliRunner.RunAsync("sync", "sqlite:" + path, "--to", db.Url, "--watermark", "items=name", "--every", "1h");
        Assert.True(textWatermark.ExitCode == 2, textWatermark.ToString());
        Assert.Contains("a watermark is a whole-number, date or timestamp column", textWatermark.Stderr, StringComparison.Ordinal);
        Assert.Contains("sync refused: the schedule stops", textWatermark.Stderr, StringComparison.Ordinal);

        var badCron = await CliRunner.RunAsync("sync", "sqlite:" + path, "--to", db.Url, "--watermark", "updated_at", "--cron", "every day", "--json");
        Assert.Equal(2, badCron.ExitCode);
        Assert.StartsWith("--cron 'every day': ", badCron.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var both = await CliRunner.RunAsync("sync", "sqlite:" + path, "--to", db.Url, "--watermark", "updated_at", "--every", "6h", "--cron", "0 * * * *");
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("give one schedule, not both", both.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, await db.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'"));
    }
}
