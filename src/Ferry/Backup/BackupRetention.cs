using System.Globalization;

namespace Ferry.Backup;

/// <summary>
/// Which backups <c>ferry backups prune</c> keeps, as restic's <c>forget</c> decides: each rule keeps the newest backup of
/// each of the last N calendar days / ISO weeks / months (UTC) that have a backup, counting only periods that have one;
/// the rules count independently, and a backup kept by any rule is kept. Unlike borg, a backup kept by the daily rule
/// still counts for the weekly one; unlike restic 0.17, the oldest backup is not kept when a rule finds too few periods.
/// </summary>
public static class BackupRetention
{
    /// <summary>A rule: its name, and the period a time falls in (a sortable key, and how the user reads it).</summary>
    sealed record Rule(string Name, int Count, Func<DateTime, (int Key, string Label)> Period);

    public static RetentionPlan Plan(IReadOnlyList<(string Name, DateTimeOffset CreatedAt)> backups, int keepDaily, int keepWeekly, int keepMonthly)
    {
        ArgumentNullException.ThrowIfNull(backups);
        Rule[] rules =
        [
            new("daily", keepDaily, Day),
            new("weekly", keepWeekly, Week),
            new("monthly", keepMonthly, Month),
        ];
        if (rules.FirstOrDefault(r => r.Count < 0) is { } negative)
            throw new FerryException($"--keep-{negative.Name} must be 0 or more, not {negative.Count}.", FailureKind.Configuration);
        if (rules.All(r => r.Count == 0))
        {
            throw new FerryException(
                "prune was given no rule to keep by, and would drop every backup: give --keep-daily, --keep-weekly and/or --keep-monthly (e.g. --keep-daily 7 --keep-weekly 4 --keep-monthly 12).",
                FailureKind.Configuration);
        }

        // Newest first; the name breaks a tie of times, so the same backups always give the same plan.
        var ordered = backups.OrderByDescending(b => b.CreatedAt).ThenByDescending(b => b.Name, StringComparer.Ordinal).ToList();
        var keptBy = new List<string>?[ordered.Count];
        foreach (var rule in rules)
        {
            var left = rule.Count;
            int? lastPeriod = null;
            for (var i = 0; i < ordered.Count && left > 0; i++)
            {
                var (key, label) = rule.Period(ordered[i].CreatedAt.UtcDateTime);
                if (key == lastPeriod)
                    continue;
                lastPeriod = key;
                (keptBy[i] ??= []).Add($"{rule.Name} {label}");
                left--;
            }
        }

        var keep = new List<RetainedBackup>();
        var drop = new List<(string, DateTimeOffset)>();
        for (var i = 0; i < ordered.Count; i++)
        {
            if (keptBy[i] is { } reasons)
                keep.Add(new RetainedBackup(ordered[i].Name, ordered[i].CreatedAt, reasons));
            else
                drop.Add(ordered[i]);
        }

        return new RetentionPlan(keep, drop);
    }

    static (int, string) Day(DateTime t) => (t.Year * 10000 + t.Month * 100 + t.Day, t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    static (int, string) Week(DateTime t)
    {
        var year = ISOWeek.GetYear(t);
        var week = ISOWeek.GetWeekOfYear(t);
        return (year * 100 + week, $"{year}-W{week:00}");
    }

    static (int, string) Month(DateTime t) => (t.Year * 100 + t.Month, t.ToString("yyyy-MM", CultureInfo.InvariantCulture));
}
