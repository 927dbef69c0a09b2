using System.Globalization;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// SQLite's date and time values (it has no date type: apps store ISO-8601 text, julian day REALs or Unix
/// epoch INTEGERs) parsed straight from the stored UTF-8 bytes, without allocating.
/// </summary>
internal static class SqliteTemporal
{
    /// <summary>Unix epoch as a julian day number.</summary>
    const double UnixEpochJulianDay = 2440587.5;

    /// <summary>Epoch integers at or above this are milliseconds: as seconds they would be past the year 5000.</summary>
    internal const long MillisecondThreshold = 100_000_000_000;

    /// <summary>… and at or above this, microseconds.</summary>
    internal const long MicrosecondThreshold = 100_000_000_000_000;

    /// <summary>
    /// 'YYYY-MM-DD', 'YYYY-MM-DD HH:MM', 'YYYY-MM-DD HH:MM:SS', with fractional seconds of any length (rounded
    /// to microseconds as PostgreSQL rounds them), 'T' or space between date and time, and an optional 'Z' or
    /// ±HH:MM / ±HHMM / ±HH zone.
    /// <paramref name="offset"/> is null when the text has no zone.
    /// </summary>
    public static bool TryParseDateTime(ReadOnlySpan<byte> s, out DateTime value, out TimeSpan? offset)
    {
        value = default;
        offset = null;
        s = Trim(s);
        if (s.Length < 10 || s[4] != '-' || s[7] != '-')
            return false;
        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day))
            return false;
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month))
            return false;
        var date = new DateTime(year, month, day, 0, 0, 0, DateTimeKind.Unspecified);
        if (s.Length == 10)
        {
            value = date;
            return true;
        }

        if (s[10] is not ((byte)' ' or (byte)'T' or (byte)'t'))
            return false;
        var rest = s[11..];
        if (!TryParseTimeAndZone(rest, out var time, out offset) || time.Ticks > DateTime.MaxValue.Ticks - date.Ticks)
            return false;
        value = date + time;
        return true;
    }

    /// <summary>'HH:MM', 'HH:MM:SS', 'HH:MM:SS.fff…' (no zone).</summary>
    public static bool TryParseTime(ReadOnlySpan<byte> s, out TimeSpan value)
    {
        s = Trim(s);
        return TryParseTimeAndZone(s, out value, out var offset) && offset is null;
    }

    static bool TryParseTimeAndZone(ReadOnlySpan<byte> s, out TimeSpan value, out TimeSpan? offset)
    {
        value = default;
        offset = null;
        if (s.Length < 5 || s[2] != ':' || !Digits(s, 0, 2, out var hour) || !Digits(s, 3, 2, out var minute))
            return false;
        var i = 5;
        var second = 0;
        long micros = 0;
        if (i < s.Length && s[i] == ':')
        {
            if (!Digits(s, i + 1, 2, out second))
                return false;
            i += 3;
            if (i < s.Length && s[i] == '.')
            {
                var point = i++;
                var digits = 0;
                while (i < s.Length && s[i] is >= (byte)'0' and <= (byte)'9')
                {
                    if (digits++ < 6)
                        micros = micros * 10 + (s[i] - '0');
                    i++;
                }

                if (digits == 0 || (digits > 6 && !TryRoundToMicros(s[point..i], out micros)))
                    return false;
                for (; digits < 6; digits++)
                    micros *= 10; // '.5' is 500,000 µs
            }
        }

        if (hour > 23 || minute > 59 || second > 59)
        {
            // SQLite and PostgreSQL accept 24:00:00 as the end of the day; nothing else beyond.
            if (!(hour == 24 && minute == 0 && second == 0 && micros == 0))
                return false;
        }

        // A fraction rounded up to a whole second carries into the seconds, minutes and hours (the day, for a timestamp).
        value = new TimeSpan(hour, minute, second) + new TimeSpan(micros * TimeSpan.TicksPerMicrosecond);
        if (i == s.Length)
            return true;
        if (s[i] is (byte)'Z' or (byte)'z' && i + 1 == s.Length)
        {
            offset = TimeSpan.Zero;
            return true;
        }

        // A space before the zone is common in hand-written text ('2024-01-01 10:00:00 +02:00').
        if (s[i] == ' ')
            i++;
        if (i >= s.Length || s[i] is not ((byte)'+' or (byte)'-'))
            return false;
        var sign = s[i] == '-' ? -1 : 1;
        var zone = s[(i + 1)..];
        int zh, zm = 0;
        if (zone.Length == 2 && Digits(zone, 0, 2, out zh))
        {
        }
        else if (zone.Length == 4 && Digits(zone, 0, 2, out zh) && Digits(zone, 2, 2, out zm))
        {
        }
        else if (zone.Length == 5 && zone[2] == ':' && Digits(zone, 0, 2, out zh) && Digits(zone, 3, 2, out zm))
        {
        }
        else
        {
            return false;
        }

        if (zh > 14 || zm > 59)
            return false;
        offset = sign * new TimeSpan(zh, zm, 0);
        return true;
    }

    /// <summary>A Unix epoch in seconds, or milliseconds / microseconds when the magnitude says so.</summary>
    public static bool TryFromEpoch(long epoch, out DateTime value)
    {
        value = default;
        var magnitude = epoch == long.MinValue ? long.MaxValue : Math.Abs(epoch);
        long ticks;
        try
        {
            ticks = magnitude >= MicrosecondThreshold ? checked(epoch * 10)
                : magnitude >= MillisecondThreshold ? checked(epoch * TimeSpan.TicksPerMillisecond)
                : checked(epoch * TimeSpan.TicksPerSecond);
            ticks = checked(DateTime.UnixEpoch.Ticks + ticks);
        }
        catch (OverflowException)
        {
            return false;
        }

        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            return false;
        value = new DateTime(ticks, DateTimeKind.Unspecified);
        return true;
    }

    /// <summary>A julian day number (SQLite's REAL date form), to the millisecond as SQLite computes it.</summary>
    public static bool TryFromJulianDay(double julianDay, out DateTime value)
    {
        value = default;
        if (!double.IsFinite(julianDay))
            return false;
        var ms = Math.Round((julianDay - UnixEpochJulianDay) * 86_400_000.0);
        var ticks = DateTime.UnixEpoch.Ticks + ms * TimeSpan.TicksPerMillisecond;
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
            return false;
        value = new DateTime((long)ticks, DateTimeKind.Unspecified);
        return true;
    }

    /// <summary>
    /// A fraction of a second beyond microseconds ('.1234567'), as PostgreSQL's input rounds it: the text as a
    /// double, times 10^6, rounded half to even (its rint), so '.0000015' and '.0000025' both give 2 µs.
    /// </summary>
    static bool TryRoundToMicros(ReadOnlySpan<byte> fraction, out long micros)
    {
        var parsed = double.TryParse(fraction, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds);
        micros = (long)Math.Round(seconds * 1_000_000, MidpointRounding.ToEven);
        return parsed;
    }

    static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> s)
    {
        while (s.Length > 0 && s[0] == ' ')
            s = s[1..];
        while (s.Length > 0 && s[^1] == ' ')
            s = s[..^1];
        return s;
    }

    static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        if (start + count > s.Length)
            return false;
        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if (d is < 0 or > 9)
                return false;
            value = value * 10 + d;
        }

        return true;
    }
}
