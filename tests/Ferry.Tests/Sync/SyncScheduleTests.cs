using Ferry.Sync;
using Microsoft.Extensions.Time.Testing;

namespace Ferry.Tests.Sync;

/// <summary><c>--every</c> and <c>--cron</c>: parsing, the slots they give, and the scheduler's loop on a clock moved by hand.</summary>
public sealed class SyncScheduleTests
{
    static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 23, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("6h", 6 * 3600)]
    [InlineData("30m", 1800)]
    [InlineData("1h30m", 5400)]
    [InlineData("90s", 90)]
    [InlineData(" 1d ", 86400)]
    public void Intervals_parse(string text, int seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), SyncSchedule.ParseInterval(text));

    [Theory]
    [InlineData("6")]
    [InlineData("h")]
    [InlineData("0s")]
    [InlineData("6x")]
    [InlineData("-1h")]
    [InlineData("")]
    public void Bad_intervals_are_refused_naming_the_option(string text)
    {
        var e = Assert.Throws<FerryException>(() => SyncSchedule.ParseInterval(text, "--max-lag"));
        Assert.StartsWith($"--max-lag '{text}': write an interval", e.Message, StringComparison.Ordinal);
        Assert.Equal(FailureKind.Configuration, e.Kind);
    }

    [Fact]
    public void Every_runs_at_once_then_every_interval()
    {
        var schedule = SyncSchedule.Parse("6h", null)!;
        Assert.Equal("every 6h", schedule.Description);
        Assert.Equal(Now, schedule.First(Now));
        Assert.Equal(Now.AddHours(6), schedule.Next(Now));
    }

    [Fact]
    public void Cron_runs_at_its_occurrences_in_utc_or_its_time_zone()
    {
        var schedule = SyncSchedule.Parse(null, "0 */6 * * *")!;
        Assert.Equal("cron '0 */6 * * *' (UTC)", schedule.Description);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero), schedule.First(Now));
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 18, 0, 0, TimeSpan.Zero), schedule.Next(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 0, 0, 0, TimeSpan.Zero), schedule.Next(new DateTimeOffset(2026, 12, 7, 18, 0, 0, TimeSpan.Zero)));

        // 06:00 in Berlin is 05:00 UTC in December (CET) and 04:00 UTC in July (CEST).
        var berlin = SyncSchedule.Parse(null, "0 6 * * *", "Europe/Berlin")!;
        Assert.Equal(new DateTimeOffset(2026, 12, 8, 5, 0, 0, TimeSpan.Zero), berlin.Next(Now));
        Assert.Equal(TimeSpan.Zero, berlin.Next(Now).Offset);
        Assert.Equal(new DateTimeOffset(2027, 7, 1, 4, 0, 0, TimeSpan.Zero), berlin.Next(new DateTimeOffset(2027, 6, 30, 12, 0, 0, TimeSpan.Zero)));

        // Six fields: the first is seconds.
        Assert.Equal(Now.AddSeconds(30), SyncSchedule.Parse(null, "30 * * * * *")!.Next(Now));
    }

    [Fact]
    public void No_schedule_is_a_single_run_and_bad_ones_are_refused()
    {
        Assert.Null(SyncSchedule.Parse(null, null));
        Assert.Contains("give one schedule, not both", Assert.Throws<FerryException>(() => SyncSchedule.Parse("6h", "0 * * * *")).Message, StringComparison.Ordinal);
        Assert.StartsWith("--cron '61 * * * *': ", Assert.Throws<FerryException>(() => SyncSchedule.Parse(null, "61 * * * *")).Message, StringComparison.Ordinal);
        Assert.Contains("no future occurrence", Assert.Throws<FerryException>(() => SyncSchedule.Parse(null, "0 0 30 2 *")).Message, StringComparison.Ordinal);
        Assert.StartsWith("--timezone 'Mars/Olympus': no such time zone", Assert.Throws<FerryException>(() => SyncSchedule.Parse(null, "0 * * * *", "Mars/Olympus")).Message, StringComparison.Ordinal);
        Assert.StartsWith("--timezone: it applies to --cron", Assert.Throws<FerryException>(() => SyncSchedule.Parse("6h", null, "Europe/Berlin")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missed_slot_runs_once_then_the_schedule_goes_on()
    {
        var cron = SyncSchedule.Parse(null, "0 */6 * * *")!;
        var noon = new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
        // The run of 12:00 ended at 12:05: the next slot, 18:00.
        Assert.Equal(noon.AddHours(6), cron.After(noon, noon.AddMinutes(5)));
        // It ended (or the machine woke) at 19:30, past 18:00: once at once, then 00:00, not 18:00 again.
        var late = noon.AddHours(7.5);
        Assert.Equal(late, cron.After(noon, late));
        Assert.Equal(noon.AddHours(12), cron.After(late, late.AddMinutes(2)));
        // Two days asleep (eight slots missed): still one run.
        var woke = noon.AddDays(2).AddMinutes(7);
        Assert.Equal(woke, cron.After(noon, woke));
        Assert.Equal(noon.AddDays(2).AddHours(6), cron.After(woke, woke.AddMinutes(1)));

        var every = SyncSchedule.Parse("6h", null)!;
        Assert.Equal(noon.AddHours(13), every.After(noon, noon.AddHours(13)));
        Assert.Equal(noon.AddHours(19), every.After(noon.AddHours(13), noon.AddHours(13).AddMinutes(1)));
    }

    [Fact]
    public async Task The_scheduler_runs_a_missed_slot_once_and_stops_cleanly_between_runs()
    {
        var clock = new FakeTimeProvider(Now);
        using var stop = new CancellationTokenSource();
        var started = new List<DateTimeOffset>();
        var nexts = new List<DateTimeOffset>();
        var scheduler = new SyncScheduler(SyncSchedule.Parse("6h", null)!, clock);

        var stoppedBy = await scheduler.RunAsync(_ =>
        {
            started.Add(clock.GetUtcNow());
            // The first run takes 13 hours (two slots pass); the second asks the scheduler to stop once it ends.
            if (started.Count == 1)
                clock.Advance(TimeSpan.FromHours(13));
            else
                stop.Cancel();
            return Task.FromResult(new ScheduledRun(started[^1], ScheduledRunOutcome.Ok, null, null));
        }, (_, next) => nexts.Add(next), stop.Token);

        Assert.Null(stoppedBy);
        Assert.Equal([Now, Now.AddHours(13)], started);
        Assert.Equal([Now.AddHours(13), Now.AddHours(19)], nexts);
    }

    [Fact]
    public async Task The_scheduler_waits_for_the_slot_then_stops_when_a_run_is_cancelled()
    {
        var clock = new FakeTimeProvider(Now);
        using var stop = new CancellationTokenSource();
        var started = new List<DateTimeOffset>();
        var reported = 0;
        var scheduler = new SyncScheduler(SyncSchedule.Parse(null, "0 */6 * * *")!, clock);

        var running = scheduler.RunAsync(_ =>
        {
            started.Add(clock.GetUtcNow());
            return Task.FromResult(new ScheduledRun(started[^1], ScheduledRunOutcome.Cancelled, null, null));
        }, (_, _) => reported++, stop.Token);

        // Waiting for 12:00; its timer wakes at least every minute to read the clock again (a machine that slept).
        for (var i = 0; i < 200 && !running.IsCompleted; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(1));
            await Task.Delay(5);
        }

        Assert.Equal(ScheduledRunOutcome.Cancelled, (await running)?.Outcome);
        // Not before its slot (the test may have moved the clock past it before the loop looked).
        Assert.True(Assert.Single(started) >= new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero), $"ran at {started[0]:u}");
        Assert.Equal(0, reported);
    }

    [Fact]
    public async Task A_run_refused_for_its_configuration_stops_the_schedule()
    {
        var clock = new FakeTimeProvider(Now);
        var runs = 0;
        var stoppedBy = await new SyncScheduler(SyncSchedule.Parse("1h", null)!, clock).RunAsync(
            _ => Task.FromResult(new ScheduledRun(clock.GetUtcNow(), runs++ == 0 ? ScheduledRunOutcome.Refused : ScheduledRunOutcome.Ok, null, "no watermark")),
            (_, _) => { },
            CancellationToken.None);
        Assert.Equal(ScheduledRunOutcome.Refused, stoppedBy?.Outcome);
        Assert.Equal("no watermark", stoppedBy?.Message);
        Assert.Equal(1, runs);
    }
}
