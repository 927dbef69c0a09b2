using System.Globalization;
using System.Text;
using Ferry.Internal;
using NpgsqlTypes;

namespace Ferry.Types.Temporal;

/// <summary>
/// The canonical text of date, time, timetz, timestamp, timestamptz and interval, in C#: exactly what PostgreSQL prints
/// (DateStyle ISO, IntervalStyle iso_8601, TimeZone UTC).
/// </summary>
internal static class TemporalText
{
    const long MicrosPerSecond = 1_000_000;

    /// <summary>date: <c>2024-02-29</c> (0001-01-01 and 9999-12-31 are real dates).</summary>
    public static string Date(DateOnly value) => value.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);

    /// <summary>date as PostgreSQL stores it (<see cref="PgTemporal"/>): ±infinity too.</summary>
    public static string Date(int pgDays) => PgTemporal.DateText(pgDays);

    /// <summary>time(p): microseconds as the copy writes them (ticks / 10), rounded to p as PostgreSQL does.</summary>
    public static string Time(TimeSpan value, int? precision)
    {
        Span<char> buffer = stackalloc char[24];
        return new string(buffer[..Clock(RoundMicros(value.Ticks / 10, precision), buffer)]);
    }

    /// <summary>timetz: the local time and the offset, <c>12:30:00+05:30</c>.</summary>
    public static string TimeTz(DateTimeOffset value, int? precision)
    {
        Span<char> clock = stackalloc char[24];
        var sb = new StringBuilder(32).Append(clock[..Clock(RoundMicros(value.TimeOfDay.Ticks / 10, precision), clock)]);
        AppendOffset(sb, (int)value.Offset.TotalSeconds);
        return sb.ToString();
    }

    /// <summary>timestamp: <c>2024-01-02 03:04:05.5</c> (Min/MaxValue are real timestamps).</summary>
    public static string Timestamp(DateTime value, int? precision)
    {
        Span<char> buffer = stackalloc char[MaxTimestampChars];
        return new string(buffer[..Timestamp(value, precision, false, buffer)]);
    }

    public static string TimestampTz(DateTime utcValue, int? precision)
    {
        Span<char> buffer = stackalloc char[MaxTimestampChars];
        return new string(buffer[..Timestamp(utcValue, precision, true, buffer)]);
    }

    /// <summary>Room for any timestamp's canonical text.</summary>
    public const int MaxTimestampChars = 32;

    /// <summary>Microseconds as the copy writes them ((ticks - 2000-01-01) / 10), rounded to the column's precision, in ISO form.</summary>
    public static int Timestamp(DateTime value, int? precision, bool utc, Span<char> destination) =>
        Timestamp(PgTemporal.Micros(value), precision, utc, destination);

    /// <summary>A timestamp as PostgreSQL stores it (µs since 2000-01-01, long's Min/MaxValue ∓infinity), in ISO form.</summary>
    public static int Timestamp(long pgMicros, int? precision, bool utc, Span<char> destination)
    {
        if (pgMicros is PgTemporal.TimestampInfinity or PgTemporal.TimestampNegativeInfinity)
        {
            var text = PgTemporal.InfinityText(pgMicros < 0);
            text.CopyTo(destination);
            return text.Length;
        }

        var micros = RoundMicros(pgMicros, precision);
        var ticks = Math.Clamp(micros * 10 + PgTemporal.EpochTicks, 0, DateTime.MaxValue.Ticks);
        var day = Math.DivRem(ticks, TimeSpan.TicksPerDay, out var timeTicks);
        var (year, month, dayOfMonth) = DateOnly.FromDayNumber((int)day);
        var n = 0;
        Digits(destination, ref n, year, 4);
        destination[n++] = '-';
        Digits(destination, ref n, month, 2);
        destination[n++] = '-';
        Digits(destination, ref n, dayOfMonth, 2);
        destination[n++] = ' ';
        n += Clock(timeTicks / 10, destination[n..]);
        if (utc)
        {
            destination[n++] = '+';
            destination[n++] = '0';
            destination[n++] = '0';
        }

        return n;
    }

    static void Digits(Span<char> destination, ref int n, long value, int width)
    {
        for (var i = width - 1; i >= 0; i--)
        {
            destination[n + i] = (char)('0' + (int)(value % 10));
            value /= 10;
        }

        n += width;
    }

    /// <summary>HH:MM:SS[.ffffff without trailing zeros].</summary>
    static int Clock(long micros, Span<char> destination)
    {
        var n = 0;
        var hours = micros / 3_600_000_000;
        micros -= hours * 3_600_000_000;
        var minutes = micros / 60_000_000;
        micros -= minutes * 60_000_000;
        var seconds = micros / MicrosPerSecond;
        var fraction = micros % MicrosPerSecond;
        Digits(destination, ref n, hours, hours >= 100 ? 3 : 2);
        destination[n++] = ':';
        Digits(destination, ref n, minutes, 2);
        destination[n++] = ':';
        Digits(destination, ref n, seconds, 2);
        if (fraction != 0)
        {
            destination[n++] = '.';
            var width = 6;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                width--;
            }

            Digits(destination, ref n, fraction, width);
        }

        return n;
    }

    /// <summary>PostgreSQL's IntervalStyle iso_8601: <c>P1Y2M3DT4H5M6.5S</c>, each part signed on its own, <c>PT0S</c> for zero.</summary>
    public static string Interval(NpgsqlInterval value)
    {
        var years = value.Months / 12;
        var months = value.Months % 12;
        var hours = value.Time / 3_600_000_000;
        var rest = value.Time % 3_600_000_000;
        var minutes = rest / 60_000_000;
        rest %= 60_000_000;
        var seconds = rest / MicrosPerSecond;
        var fraction = rest % MicrosPerSecond;
        if (years == 0 && months == 0 && value.Days == 0 && hours == 0 && minutes == 0 && seconds == 0 && fraction == 0)
            return "PT0S";
        var sb = new StringBuilder(32).Append('P');
        static void Part(StringBuilder sb, long v, char unit)
        {
            if (v != 0)
                sb.Append(v.ToString(CultureInfo.InvariantCulture)).Append(unit);
        }

        Part(sb, years, 'Y');
        Part(sb, months, 'M');
        Part(sb, value.Days, 'D');
        if (hours != 0 || minutes != 0 || seconds != 0 || fraction != 0)
            sb.Append('T');
        Part(sb, hours, 'H');
        Part(sb, minutes, 'M');
        if (seconds != 0 || fraction != 0)
        {
            if (seconds < 0 || fraction < 0)
                sb.Append('-');
            sb.Append(Math.Abs(seconds).ToString(CultureInfo.InvariantCulture));
            AppendFraction(sb, Math.Abs(fraction));
            sb.Append('S');
        }

        return sb.ToString();
    }

    /// <summary>PostgreSQL's rounding of a time or timestamp to precision p: half away from zero.</summary>
    static long RoundMicros(long micros, int? precision)
    {
        if (precision is not { } p || p >= 6 || p < 0)
            return micros;
        var scale = (long)Math.Pow(10, 6 - p);
        var offset = scale / 2;
        return micros >= 0 ? (micros + offset) / scale * scale : -((-micros + offset) / scale * scale);
    }

    /// <summary>.ffffff without trailing zeros; nothing for zero.</summary>
    static void AppendFraction(StringBuilder sb, long micros)
    {
        if (micros == 0)
            return;
        sb.Append('.').Append(micros.ToString("000000", CultureInfo.InvariantCulture).TrimEnd('0'));
    }

    /// <summary>+05:30, -08, +00 (seconds when present).</summary>
    static void AppendOffset(StringBuilder sb, int offsetSeconds)
    {
        var abs = Math.Abs(offsetSeconds);
        sb.Append(offsetSeconds >= 0 ? '+' : '-').Append((abs / 3600).ToString("00", CultureInfo.InvariantCulture));
        var minutes = abs / 60 % 60;
        var seconds = abs % 60;
        if (minutes != 0 || seconds != 0)
            sb.Append(':').Append(minutes.ToString("00", CultureInfo.InvariantCulture));
        if (seconds != 0)
            sb.Append(':').Append(seconds.ToString("00", CultureInfo.InvariantCulture));
    }
}
