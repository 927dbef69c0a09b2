using System.Globalization;
using Cronos;

namespace Ferry.Sync;

/// <summary>
/// When a scheduled <c>ferry sync</c> runs: every fixed interval (<c>--every 6h</c>, the first run at once) or at a cron
/// expression's occurrences (<c>--cron '0 */6 * * *'</c>, in UTC or <c>--timezone</c>). A slot missed (a run longer than the
/// interval, the machine asleep) is run once when it is noticed, not once per slot missed.
/// </summary>
public sealed class SyncSchedule
{
    readonly TimeSpan? _every;
    readonly CronExpression? _cron;
    readonly TimeZoneInfo _zone;

    SyncSchedule(TimeSpan? every, CronExpression? cron, TimeZoneInfo zone, string description)
    {
        _every = every;
        _cron = cron;
        _zone = zone;
        Description = description;
    }

    /// <summary>As the user sees it: <c>every 6h</c>, <c>cron '0 */6 * * *' (UTC)</c>.</summary>
    public string Description { get; }

    /// <summary>
    /// The schedule <paramref name="every"/> or <paramref name="cron"/> gives (in <paramref name="timeZone"/>, an IANA name;
    /// UTC when null); null when neither is given (a single run). Refused, naming the option, when both are or either is unreadable.
    /// </summary>
    public static SyncSchedule? Parse(string? every, string? cron, string? timeZone = null)
    {
        if (every is not null && cron is not null)
            throw new FerryException("--every and --cron: give one schedule, not both.", FailureKind.Configuration);
        if (every is null && cron is null)
        {
            return timeZone is null ? null
                : throw new FerryException("--timezone: it applies to --cron; give a --cron expression, or drop --timezone.", FailureKind.Configuration);
        }

        if (every is not null)
        {
            if (timeZone is not null)
                throw new FerryException("--timezone: it applies to --cron; --every counts from each run's slot whatever the zone.", FailureKind.Configuration);
            var interval = ParseInterval(every);
            return new SyncSchedule(interval, null, TimeZoneInfo.Utc, $"every {every.Trim()}");
        }

        var zone = Zone(timeZone);
        CronExpression expression;
        try
        {
            // Five fields (minute first) as crontab writes them; six when the first is seconds.
            var format = cron!.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
            expression = CronExpression.Parse(cron.Trim(), format);
        }
        catch (CronFormatException e)
        {
            throw new FerryException($"--cron '{cron}': {e.Message.TrimEnd('.')}. Write five fields, minute hour day-of-month month day-of-week, e.g. '0 */6 * * *'.", FailureKind.Configuration);
        }

        var schedule = new SyncSchedule(null, expression, zone, $"cron '{cron!.Trim()}' ({zone.Id})");
        if (expression.GetNextOccurrence(DateTimeOffset.UtcNow, zone) is null)
            throw new FerryException($"--cron '{cron}': the expression has no future occurrence (a date that never comes, such as 30 February).", FailureKind.Configuration);
        return schedule;
    }

    /// <summary>Parses an interval (<c>--every</c>, <c>--max-lag</c>): amounts with a unit, <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c> (<c>6h</c>, <c>1h30m</c>, <c>90s</c>).</summary>
    public static TimeSpan ParseInterval(string text, string option = "--every")
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = text.Trim().AsSpan();
        var total = TimeSpan.Zero;
        var ok = span.Length > 0;
        while (ok && span.Length > 0)
        {
            var digits = 0;
            while (digits < span.Length && char.IsAsciiDigit(span[digits]))
                digits++;
            var scale = digits < span.Length ? span[digits] switch { 's' => 1L, 'm' => 60L, 'h' => 3600L, 'd' => 86400L, _ => 0L } : 0L;
            if (digits == 0 || scale == 0 || !long.TryParse(span[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var amount) || amount > 366L * 86400 / scale)
            {
                ok = false;
                break;
            }

            total += TimeSpan.FromSeconds(amount * scale);
            span = span[(digits + 1)..];
        }

        if (!ok || total <= TimeSpan.Zero)
            throw new FerryException($"{option} '{text}': write an interval such as 6h, 30m, 1h30m or 1d (at least 1s).", FailureKind.Configuration);
        return total;
    }

    static TimeZoneInfo Zone(string? id)
    {
        if (id is null || id is "UTC" or "utc")
            return TimeZoneInfo.Utc;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new FerryException($"--timezone '{id}': no such time zone on this machine; give an IANA name such as Europe/Berlin or America/New_York (the default is UTC).", FailureKind.Configuration);
        }
    }

    /// <summary>The first run's slot, the process starting at <paramref name="now"/>: at once for <c>--every</c>, the next occurrence for <c>--cron</c>.</summary>
    public DateTimeOffset First(DateTimeOffset now) => _every is not null ? now : Next(now);

    /// <summary>The slot after <paramref name="slot"/>, in UTC.</summary>
    public DateTimeOffset Next(DateTimeOffset slot)
    {
        if (_every is { } every)
            return slot + every;
        return _cron!.GetNextOccurrence(slot, _zone)?.ToUniversalTime()
            ?? throw new FerryException($"{Description}: no occurrence after {slot:u}.", FailureKind.Failed);
    }

    /// <summary>
    /// The slot to run after the run of <paramref name="slot"/> ended at <paramref name="now"/>: the next one, or — when that
    /// has passed already (the run took longer, the machine slept) — <paramref name="now"/> itself, once, whatever the number of
    /// slots missed; the slots after it count from there.
    /// </summary>
    public DateTimeOffset After(DateTimeOffset slot, DateTimeOffset now)
    {
        var next = Next(slot);
        return next <= now ? now : next;
    }
}
