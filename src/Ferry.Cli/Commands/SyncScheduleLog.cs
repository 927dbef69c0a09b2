using System.Globalization;
using Ferry.Journal;
using Ferry.Sync;

namespace Ferry.Cli.Commands;

/// <summary>
/// A scheduled <c>ferry sync</c> (<c>--every</c>, <c>--cron</c>) on the command line: each slot is a run of its own (its
/// journal row, its <c>--report</c> and <c>--metrics</c> files, its document under <c>--json</c>) and one log line; a signal
/// between runs exits 0, one during a run cancels it (rolled back) and exits 130. The lines go to stderr, as a log.
/// </summary>
internal static class SyncScheduleLog
{
    public static async Task<int> RunAsync(Invocation invocation, SyncSchedule schedule, Func<Invocation, CancellationToken, Action<SyncResult>?, Task<int>> once, CancellationToken cancellationToken)
    {
        // Each slot journals itself; the process as a whole is no run.
        invocation.Run!.Skipped = true;
        var host = invocation.Host;
        // A run's tables and notes go to its journal summary; the log gets its one line (and, under --json, its document).
        var quiet = host with { Out = invocation.Json ? host.Out : TextWriter.Null, Error = TextWriter.Null, OutIsTerminal = false, ErrorIsTerminal = false };
        var clock = TimeProvider.System;
        invocation.Note($"{Time(clock.GetUtcNow())} sync scheduled {schedule.Description}: first run {Time(schedule.First(clock.GetUtcNow()))}; SIGTERM or Ctrl+C stops it");

        async Task<ScheduledRun> RunOnceAsync(CancellationToken token)
        {
            var started = clock.GetUtcNow();
            var run = new Invocation(quiet, invocation.ParseResult, new RunRecording("sync", invocation.Run.Files));
            SyncResult? result = null;
            string? holder = null;
            var (exit, _, error) = await FerryCommandLine.RunRecordedAsync(run, async (i, c) =>
            {
                try
                {
                    return await once(i, c, r => result = r);
                }
                catch (SyncLockedException e)
                {
                    holder = e.Holder;
                    throw;
                }
            }, token);
            var outcome = holder is not null ? ScheduledRunOutcome.Locked
                : exit == ExitCodes.Success ? ScheduledRunOutcome.Ok
                : exit is ExitCodes.Cancelled or ExitCodes.Terminated ? ScheduledRunOutcome.Cancelled
                : exit == ExitCodes.UsageOrConfiguration ? ScheduledRunOutcome.Refused
                : ScheduledRunOutcome.Failed;
            return new ScheduledRun(started, outcome, result, holder ?? error?.Error.Message);
        }

        var stopped = await new SyncScheduler(schedule, clock).RunAsync(
            RunOnceAsync, (run, next) => invocation.Note(Line(run, next)), cancellationToken);
        switch (stopped?.Outcome)
        {
            case ScheduledRunOutcome.Cancelled:
                invocation.Note($"{Time(stopped.Started)} sync cancelled: rolled back, the watermarks stay where the last run left them; stopping");
                return ExitCodes.Cancelled;
            case ScheduledRunOutcome.Refused:
                // The error line, as a single run prints it: the schedule stops, since no later slot would do better.
                await invocation.Host.Error.WriteLineAsync($"error: {stopped.Message}");
                invocation.Note($"{Time(stopped.Started)} sync refused: the schedule stops (fix the configuration and start it again)");
                return ExitCodes.UsageOrConfiguration;
            default:
                invocation.Note($"{Time(clock.GetUtcNow())} sync stopped between runs");
                return ExitCodes.Success;
        }
    }

    /// <summary>One run's line: when, the tables and rows, how it ended, and when the next run is.</summary>
    internal static string Line(ScheduledRun run, DateTimeOffset next)
    {
        var what = run.Outcome switch
        {
            ScheduledRunOutcome.Ok => $"ok: {Tables(run.Result)}{Rows(run.Result!)}",
            ScheduledRunOutcome.Locked => $"skipped: running elsewhere, held by {run.Message}",
            _ when run.Result is { } result && result.Tables.FirstOrDefault(t => !t.Ok) is { } stopped =>
                $"failed: {Tables(result)}{Rows(result)}; {result.Tables.Count(t => !t.Ok)} stopped, {stopped.Target}: {stopped.Error}",
            _ when run.Result is { } result => $"failed: {Tables(result)}{Rows(result)}; {result.Tables.Sum(t => t.RowsRejected)} rows rejected",
            _ => $"failed: {run.Message}",
        };
        var seconds = run.Result is { } done ? $" in {done.Seconds.ToString("0.0", CultureInfo.InvariantCulture)} s" : "";
        return $"{Time(run.Started)} sync {what}{seconds}; next run {Time(next)}";
    }

    static string Tables(SyncResult? result) =>
        result is null ? "" : $"{result.Tables.Count} table{(result.Tables.Count == 1 ? "" : "s")}, ";

    static string Rows(SyncResult result) =>
        $"{result.Tables.Sum(t => t.RowsInserted + t.RowsUpdated + t.RowsDeleted).ToString(CultureInfo.InvariantCulture)} rows changed " +
        $"({result.Tables.Sum(t => t.RowsInserted).ToString(CultureInfo.InvariantCulture)} inserted, {result.Tables.Sum(t => t.RowsUpdated).ToString(CultureInfo.InvariantCulture)} updated, " +
        $"{result.Tables.Sum(t => t.RowsDeleted).ToString(CultureInfo.InvariantCulture)} deleted)";

    static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
