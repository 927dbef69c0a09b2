namespace Ferry.Sync;

/// <summary>
/// Runs a sync at each slot of its <see cref="SyncSchedule"/> until cancelled. Cancelled between runs, it returns (a clean
/// stop); cancelled during one, the run rolls back and it returns at once, as it does after a run refused for its configuration. Waits re-read the wall clock at least every
/// <see cref="Recheck"/>, so a machine that slept past a slot runs it when it wakes (once), not a sleep's length later.
/// </summary>
public sealed class SyncScheduler(SyncSchedule schedule, TimeProvider clock)
{
    /// <summary>The longest a wait trusts its timer: timers do not count time the machine spends asleep.</summary>
    public static readonly TimeSpan Recheck = TimeSpan.FromMinutes(1);

    public SyncSchedule Schedule { get; } = schedule;

    /// <summary>
    /// Runs <paramref name="run"/> at each slot and tells <paramref name="ran"/> how it went and when the next one is; null when
    /// stopped between runs, else the run that stopped the schedule (<see cref="ScheduledRunOutcome.Cancelled"/> or <see cref="ScheduledRunOutcome.Refused"/>).
    /// </summary>
    public async Task<ScheduledRun?> RunAsync(Func<CancellationToken, Task<ScheduledRun>> run, Action<ScheduledRun, DateTimeOffset> ran, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(ran);
        var slot = Schedule.First(clock.GetUtcNow());
        while (true)
        {
            try
            {
                await WaitUntilAsync(slot, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return null;
            }

            var report = await run(cancellationToken);
            if (report.Outcome is ScheduledRunOutcome.Cancelled or ScheduledRunOutcome.Refused)
                return report;
            slot = Schedule.After(slot, clock.GetUtcNow());
            ran(report, slot);
        }
    }

    async Task WaitUntilAsync(DateTimeOffset due, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        for (var left = due - clock.GetUtcNow(); left > TimeSpan.Zero; left = due - clock.GetUtcNow())
            await Task.Delay(left < Recheck ? left : Recheck, clock, cancellationToken);
    }
}
