using System.Collections;
using System.Globalization;
using System.Text;
using NpgsqlTypes;

namespace Ferry.Verify.Internal;

/// <summary>
/// The canonical text of a value, in C#: exactly what <see cref="CanonicalSql"/> makes PostgreSQL print for the
/// same value (session settings: DateStyle ISO, IntervalStyle iso_8601, TimeZone UTC, extra_float_digits 1).
/// </summary>
internal static class CanonicalText
{
    /// <summary>2000-01-01, PostgreSQL's epoch for timestamps, in .NET ticks.</summary>
    const long PgEpochTicks = 630822816000000000;
    const long MicrosPerSecond = 1_000_000;

    public static string Boolean(bool value) => value ? "t" : "f";

    // PostgreSQL 12+ prints floats in shortest round-trip form, fixed notation for decimal exponents in
    // [-4, 15) (float8) or [-4, 6) (float4), else d.ddde±XX.
    public static string Float8(double value) =>
        double.IsFinite(value) ? Float(value.ToString("R", CultureInfo.InvariantCulture), 15) : NonFinite(value);

    public static string Float4(float value) =>
        float.IsFinite(value) ? Float(value.ToString("R", CultureInfo.InvariantCulture), 6) : NonFinite(value);

    static string NonFinite(double value) => double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";

    static string Float(string roundTrip, int fixedBelow)
    {
        var negative = roundTrip.StartsWith('-');
        var text = negative ? roundTrip[1..] : roundTrip;
        var e = text.IndexOfAny(['E', 'e']);
        var exponent = e >= 0 ? int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var mantissa = e >= 0 ? text[..e] : text;
        var point = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = point >= 0 ? mantissa.Remove(point, 1) : mantissa;
        // The decimal exponent of the first digit of mantissa.
        exponent += (point >= 0 ? point : mantissa.Length) - 1;
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
            lead++;
        digits = digits[lead..];
        exponent -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
            return negative ? "-0" : "0";

        var sb = new StringBuilder(32);
        if (negative)
            sb.Append('-');
        if (exponent >= -4 && exponent < fixedBelow)
        {
            if (exponent < 0)
                sb.Append("0.").Append('0', -exponent - 1).Append(digits);
            else if (digits.Length <= exponent + 1)
                sb.Append(digits).Append('0', exponent + 1 - digits.Length);
            else
                sb.Append(digits, 0, exponent + 1).Append('.').Append(digits, exponent + 1, digits.Length - exponent - 1);
        }
        else
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            sb.Append('e').Append(exponent < 0 ? '-' : '+');
            var abs = Math.Abs(exponent);
            if (abs < 10)
                sb.Append('0');
            sb.Append(abs.ToString(CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>A numeric as PostgreSQL stores it in a column of <paramref name="scale"/> (rounded), printed without trailing zeros.</summary>
    public static string Numeric(decimal value, int? scale) =>
        NumericValue.Parse(value.ToString(CultureInfo.InvariantCulture)).Round(scale).Trimmed();

    public static string Numeric(string text, int? scale) => NumericValue.Parse(text).Round(scale).Trimmed();

    public static string Bytes(ReadOnlySpan<byte> value) => Convert.ToHexStringLower(value);

    /// <summary>date: <c>2024-02-29</c>; Min/MaxValue are ∓infinity (as Npgsql writes them).</summary>
    public static string Date(DateOnly value) =>
        value == DateOnly.MaxValue ? "infinity"
        : value == DateOnly.MinValue ? "-infinity"
        : value.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);

    /// <summary>time(p): microseconds as the copy writes them (ticks / 10), rounded to p as PostgreSQL does.</summary>
    public static string Time(TimeSpan value, int? precision)
    {
        var micros = RoundMicros(value.Ticks / 10, precision);
        var sb = new StringBuilder(16);
        AppendClock(sb, micros);
        return sb.ToString();
    }

    /// <summary>timetz: the local time and the offset, <c>12:30:00+05:30</c>.</summary>
    public static string TimeTz(DateTimeOffset value, int? precision)
    {
        var sb = new StringBuilder(24);
        AppendClock(sb, RoundMicros(value.TimeOfDay.Ticks / 10, precision));
        AppendOffset(sb, (int)value.Offset.TotalSeconds);
        return sb.ToString();
    }

    /// <summary>timestamp: <c>2024-01-02 03:04:05.5</c>; Min/MaxValue are ∓infinity.</summary>
    public static string Timestamp(DateTime value, int? precision)
    {
        if (value == DateTime.MaxValue)
            return "infinity";
        if (value == DateTime.MinValue)
            return "-infinity";
        var micros = RoundMicros((value.Ticks - PgEpochTicks) / 10, precision);
        var ticks = micros * 10 + PgEpochTicks;
        var day = Math.DivRem(ticks, TimeSpan.TicksPerDay, out var timeTicks);
        var sb = new StringBuilder(32);
        sb.Append(DateOnly.FromDayNumber((int)day).ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture)).Append(' ');
        AppendClock(sb, timeTicks / 10);
        return sb.ToString();
    }

    public static string TimestampTz(DateTime utcValue, int? precision)
    {
        var text = Timestamp(utcValue, precision);
        return text.EndsWith("infinity", StringComparison.Ordinal) ? text : text + "+00";
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

    public static string Uuid(Guid value) => value.ToString("D");

    public static string Bits(BitArray value)
    {
        var chars = new char[value.Length];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = value[i] ? '1' : '0';
        return new string(chars);
    }

    /// <summary>char(n): PostgreSQL pads to n and drops the padding again when the value becomes text.</summary>
    public static string Char(string value) => value.TrimEnd(' ');

    /// <summary>
    /// A one-dimensional array as PostgreSQL prints a <c>text[]</c> of its elements' canonical texts:
    /// <c>{1,NULL,"a b","q\"uote"}</c>.
    /// </summary>
    public static string Array(IEnumerable<string?> elements)
    {
        var sb = new StringBuilder().Append('{');
        var first = true;
        foreach (var element in elements)
        {
            if (!first)
                sb.Append(',');
            first = false;
            if (element is null)
            {
                sb.Append("NULL");
                continue;
            }

            if (!NeedsQuotes(element))
            {
                sb.Append(element);
                continue;
            }

            sb.Append('"');
            foreach (var c in element)
            {
                if (c is '"' or '\\')
                    sb.Append('\\');
                sb.Append(c);
            }

            sb.Append('"');
        }

        return sb.Append('}').ToString();
    }

    static bool NeedsQuotes(string element)
    {
        if (element.Length == 0 || element.Equals("NULL", StringComparison.OrdinalIgnoreCase))
            return true;
        foreach (var c in element)
        {
            if (c is '{' or '}' or '"' or '\\' or ',' or ' ' or '\t' or '\n' or '\r' or '\v' or '\f')
                return true;
        }

        return false;
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

    static void AppendClock(StringBuilder sb, long micros)
    {
        var hours = micros / 3_600_000_000;
        micros -= hours * 3_600_000_000;
        var minutes = micros / 60_000_000;
        micros -= minutes * 60_000_000;
        var seconds = micros / MicrosPerSecond;
        sb.Append(hours.ToString("00", CultureInfo.InvariantCulture)).Append(':')
            .Append(minutes.ToString("00", CultureInfo.InvariantCulture)).Append(':')
            .Append(seconds.ToString("00", CultureInfo.InvariantCulture));
        AppendFraction(sb, micros % MicrosPerSecond);
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
