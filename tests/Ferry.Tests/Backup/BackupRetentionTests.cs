using System.Globalization;
using Ferry.Backup;

namespace Ferry.Tests.Backup;

/// <summary>Which backups prune keeps: the newest of each of the last N days / ISO weeks / months that have one, in UTC.</summary>
public sealed class BackupRetentionTests
{
    static (string Name, DateTimeOffset CreatedAt) At(string utc) =>
        ("b_" + utc.Replace(' ', '_'), DateTimeOffset.Parse(utc + "Z", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal));

    static string[] Kept(RetentionPlan plan) => [.. plan.Keep.Select(k => k.Name).Order(StringComparer.Ordinal)];

    static string[] Names(params string[] utc) => [.. utc.Select(u => At(u).Name).Order(StringComparer.Ordinal)];

    [Fact]
    public void Forty_daily_backups_keep_seven_days_four_weeks_and_the_newest_of_each_month()
    {
        // 2026-11-01 … 2026-12-10, one each night at 02:00 UTC; 2026-12-10 is a Thursday.
        var backups = Enumerable.Range(0, 40)
            .Select(d => At(new DateTime(2026, 11, 1, 2, 0, 0, DateTimeKind.Utc).AddDays(d).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)))
            .ToList();

        var plan = BackupRetention.Plan(backups, keepDaily: 7, keepWeekly: 4, keepMonthly: 12);

        Assert.Equal(
            Names(
                "2026-12-10 02:00", "2026-12-09 02:00", "2026-12-08 02:00", "2026-12-07 02:00", "2026-12-06 02:00", "2026-12-05 02:00", "2026-12-04 02:00",
                "2026-11-29 02:00", "2026-11-22 02:00", // the Sundays ending ISO weeks 48 and 47
                "2026-11-30 02:00"), // November's newest
            Kept(plan));
        Assert.Equal(30, plan.Drop.Count);
        var reasons = plan.Keep.ToDictionary(k => k.Name, k => k.KeptBy);
        Assert.Equal(["daily 2026-12-10", "weekly 2026-W50", "monthly 2026-12"], reasons[At("2026-12-10 02:00").Name]);
        Assert.Equal(["daily 2026-12-06", "weekly 2026-W49"], reasons[At("2026-12-06 02:00").Name]);
        Assert.Equal(["weekly 2026-W48"], reasons[At("2026-11-29 02:00").Name]);
        Assert.Equal(["monthly 2026-11"], reasons[At("2026-11-30 02:00").Name]);
        Assert.Equal(plan.Keep.Select(k => k.CreatedAt).OrderDescending(), plan.Keep.Select(k => k.CreatedAt));
    }

    [Fact]
    public void Two_a_day_keep_the_newest_of_the_day_and_a_gap_counts_only_days_that_have_backups()
    {
        var plan = BackupRetention.Plan(
            [
                At("2026-03-10 23:50"), At("2026-03-10 01:00"),
                At("2026-03-09 12:00"),
                // 2026-03-04 … 2026-03-08: no backups
                At("2026-03-03 18:00"), At("2026-03-03 06:00"),
                At("2026-03-02 06:00"),
            ],
            keepDaily: 3, keepWeekly: 0, keepMonthly: 0);

        Assert.Equal(Names("2026-03-10 23:50", "2026-03-09 12:00", "2026-03-03 18:00"), Kept(plan));
        Assert.Equal(
            Names("2026-03-10 01:00", "2026-03-03 06:00", "2026-03-02 06:00"),
            plan.Drop.Select(d => d.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Year_boundaries_follow_iso_weeks_and_calendar_months_in_utc()
    {
        var newYearEve = DateTimeOffset.Parse("2026-01-01T00:30:00+02:00", CultureInfo.InvariantCulture); // 2025-12-31 22:30 UTC
        var plan = BackupRetention.Plan(
            [
                At("2026-01-02 03:00"), // Friday of ISO week 2026-W01, which began on Monday 2025-12-29
                ("eve", newYearEve),
                At("2025-12-29 03:00"),
                At("2025-12-28 03:00"), // Sunday of 2025-W52
                At("2025-11-30 03:00"),
                At("2024-12-30 03:00"), // Monday of ISO week 2025-W01
            ],
            keepDaily: 0, keepWeekly: 3, keepMonthly: 3);

        var reasons = plan.Keep.ToDictionary(k => k.Name, k => k.KeptBy);
        Assert.Equal(["weekly 2026-W01", "monthly 2026-01"], reasons[At("2026-01-02 03:00").Name]);
        Assert.Equal(["monthly 2025-12"], reasons["eve"]); // the 31st in UTC, though the 1st where it was taken
        Assert.Equal(["weekly 2025-W52"], reasons[At("2025-12-28 03:00").Name]);
        Assert.Equal(["weekly 2025-W48", "monthly 2025-11"], reasons[At("2025-11-30 03:00").Name]);
        Assert.Equal([At("2025-12-29 03:00").Name, At("2024-12-30 03:00").Name], plan.Drop.Select(d => d.Name));
    }

    [Fact]
    public void A_backup_kept_by_one_rule_still_counts_for_the_others()
    {
        var plan = BackupRetention.Plan([At("2026-05-20 01:00"), At("2026-05-13 01:00"), At("2026-04-30 01:00")], keepDaily: 1, keepWeekly: 1, keepMonthly: 2);

        Assert.Equal(["daily 2026-05-20", "weekly 2026-W21", "monthly 2026-05"], plan.Keep[0].KeptBy);
        Assert.Equal(Names("2026-05-20 01:00", "2026-04-30 01:00"), Kept(plan));
        Assert.Equal([At("2026-05-13 01:00").Name], plan.Drop.Select(d => d.Name));
    }

    [Fact]
    public void No_rule_or_a_negative_count_is_refused()
    {
        var none = Assert.Throws<FerryException>(() => BackupRetention.Plan([At("2026-05-20 01:00")], 0, 0, 0));
        Assert.Contains("would drop every backup", none.Message, StringComparison.Ordinal);
        var negative = Assert.Throws<FerryException>(() => BackupRetention.Plan([], 7, -1, 0));
        Assert.Contains("--keep-weekly must be 0 or more", negative.Message, StringComparison.Ordinal);
    }
}
