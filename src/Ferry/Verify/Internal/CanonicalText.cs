using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Text;
using NpgsqlTypes;

namespace Ferry.Verify.Internal;

/// <summary>
/// The canonical text of a value, in C#: exactly what <see cref="CanonicalSql"/> makes PostgreSQL print for the
/// same value (session settings: DateStyle ISO, IntervalStyle iso_8601, TimeZone UTC, extra_float_digits 1).
/// </summary>
internal static class CanonicalText
{
    const long MicrosPerSecond = 1_000_000;

    public static string Boolean(bool value) => value ? "t" : "f";

    // PostgreSQL 12+ prints floats in shortest round-trip form, fixed notation for decimal exponents in
    // [-4, 15) (float8) or [-4, 6) (float4), else d.ddde±XX.
    public static string Float8(double value)
    {
        Span<char> buffer = stackalloc char[MaxFloatChars];
        return new string(buffer[..Float8(value, buffer)]);
    }

    public static string Float4(float value)
    {
        Span<char> buffer = stackalloc char[MaxFloatChars];
        return new string(buffer[..Float4(value, buffer)]);
    }

    /// <summary>Room for any float's canonical text.</summary>
    public const int MaxFloatChars = 40;

    public static int Float8(double value, Span<char> destination)
    {
        if (!double.IsFinite(value))
            return NonFinite(value, destination);
        Span<char> roundTrip = stackalloc char[32];
        // Below 2^50 no decimal of 17 digits or fewer lies halfway between two doubles.
        var n = ShortestTies.Shortest(value, BitConverter.DoubleToUInt64Bits(value), 52, 11, 17, 1125899906842624.0, roundTrip);
        return Float(roundTrip[..n], 15, destination);
    }

    public static int Float4(float value, Span<char> destination)
    {
        if (!float.IsFinite(value))
            return NonFinite(value, destination);
        Span<char> roundTrip = stackalloc char[32];
        // Below 2^20 no decimal of 9 digits or fewer lies halfway between two floats.
        var n = ShortestTies.Shortest(value, BitConverter.SingleToUInt32Bits(value), 23, 8, 9, 1048576f, roundTrip);
        return Float(roundTrip[..n], 6, destination);
    }

    /// <summary>
    /// .NET's shortest round-trip form may be a decimal lying exactly halfway between the value and its neighbour,
    /// which parses back to the value only by rounding half to even (1e23 is halfway between two doubles).
    /// PostgreSQL's shortest form (its Ryu, src/common/d2s.c and f2s.c) never takes such a decimal: it prints the
    /// shortest one strictly closer to the value, 9.999999999999999e+22 for that double.
    /// </summary>
    static class ShortestTies
    {
        /// <summary>
        /// The shortest decimal (<paramref name="maxDigits"/> significant digits at most) that parses to the value
        /// without lying halfway, written to <paramref name="text"/>; its length. The float's IEEE bits and layout
        /// are given; below <paramref name="halfwayFrom"/> no short decimal can lie halfway, and .NET's is taken as is.
        /// </summary>
        public static int Shortest<T>(T value, ulong bits, int mantissaBits, int exponentBits, int maxDigits, T halfwayFrom, Span<char> text)
            where T : IBinaryFloatingPointIeee754<T>
        {
            value.TryFormat(text, out var n, "R", CultureInfo.InvariantCulture);
            if (T.Abs(value) < halfwayFrom || !IsHalfway(text[..n], bits, mantissaBits, exponentBits))
                return n;
            for (var digits = 1; digits <= maxDigits; digits++)
            {
                value.TryFormat(text, out n, Format(digits), CultureInfo.InvariantCulture);
                if (T.Parse(text[..n], NumberStyles.Float, CultureInfo.InvariantCulture) == value && !IsHalfway(text[..n], bits, mantissaBits, exponentBits))
                    return n;
            }

            value.TryFormat(text, out n, Format(maxDigits), CultureInfo.InvariantCulture);
            return n;
        }

        /// <summary>Whether the decimal <paramref name="text"/> is exactly halfway between the float whose IEEE bits are given and one of its neighbours.</summary>
        static bool IsHalfway(ReadOnlySpan<char> text, ulong bits, int mantissaBits, int exponentBits)
        {
            var biased = (int)((bits >> mantissaBits) & ((1UL << exponentBits) - 1));
            var fraction = bits & ((1UL << mantissaBits) - 1);
            var bias = (1 << (exponentBits - 1)) - 1;
            // value = m × 2^e exactly.
            var m = biased == 0 ? fraction : fraction | (1UL << mantissaBits);
            var e = (biased == 0 ? 1 : biased) - bias - mantissaBits;
            var (digits, exponent10) = Decimal(text);
            // Halfway up: (2m + 1) × 2^(e-1). Halfway down: (2m - 1) × 2^(e-1), or (4m - 1) × 2^(e-2) when the
            // value is a power of two (the gap below it is half the gap above).
            var powerOfTwo = fraction == 0 && biased > 1;
            return Equal(digits, exponent10, 2 * (BigInteger)m + 1, e - 1)
                || (powerOfTwo ? Equal(digits, exponent10, 4 * (BigInteger)m - 1, e - 2) : Equal(digits, exponent10, 2 * (BigInteger)m - 1, e - 1));
        }

        /// <summary>Scientific notation with this many significant digits, correctly rounded.</summary>
        static string Format(int digits) => "E" + (digits - 1).ToString(CultureInfo.InvariantCulture);

        /// <summary>A decimal's text as digits × 10^exponent (sign ignored).</summary>
        static (BigInteger Digits, int Exponent) Decimal(ReadOnlySpan<char> text)
        {
            var e = text.IndexOfAny('E', 'e');
            var exponent = e >= 0 ? int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
            var digits = BigInteger.Zero;
            var afterPoint = false;
            foreach (var c in e >= 0 ? text[..e] : text)
            {
                if (c == '.')
                {
                    afterPoint = true;
                }
                else if (char.IsAsciiDigit(c))
                {
                    digits = digits * 10 + (c - '0');
                    if (afterPoint)
                        exponent--;
                }
            }

            return (digits, exponent);
        }

        /// <summary>digits × 10^exponent10 = n × 2^exponent2, exactly.</summary>
        static bool Equal(BigInteger digits, int exponent10, BigInteger n, int exponent2)
        {
            if (exponent10 >= 0)
                digits *= BigInteger.Pow(10, exponent10);
            else
                n *= BigInteger.Pow(10, -exponent10);
            if (exponent2 >= 0)
                n <<= exponent2;
            else
                digits <<= -exponent2;
            return digits == n;
        }
    }

    static int NonFinite(double value, Span<char> destination)
    {
        var text = double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
        text.CopyTo(destination);
        return text.Length;
    }

    /// <summary>Re-renders .NET's shortest round-trip text ("1.5E-05") in PostgreSQL's form ("1.5e-05").</summary>
    static int Float(ReadOnlySpan<char> roundTrip, int fixedBelow, Span<char> destination)
    {
        var negative = roundTrip[0] == '-';
        var text = negative ? roundTrip[1..] : roundTrip;
        var e = text.IndexOfAny('E', 'e');
        if (e < 0 && (text.IndexOf('.') is var dot and >= 0 ? dot : text.Length) <= fixedBelow)
        {
            // Fixed notation (.NET's from 1e-4 on), no longer than PostgreSQL prints fixed: already its form.
            roundTrip.CopyTo(destination);
            return roundTrip.Length;
        }

        var exponent = e >= 0 ? int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var mantissa = e >= 0 ? text[..e] : text;
        Span<char> digitBuffer = stackalloc char[mantissa.Length];
        var count = 0;
        var point = -1;
        foreach (var c in mantissa)
        {
            if (c == '.')
                point = count;
            else
                digitBuffer[count++] = c;
        }

        // The decimal exponent of the first digit of the mantissa.
        exponent += (point >= 0 ? point : count) - 1;
        ReadOnlySpan<char> digits = digitBuffer[..count];
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
            lead++;
        digits = digits[lead..];
        exponent -= lead;
        digits = digits.TrimEnd('0');
        var n = 0;
        if (negative)
            destination[n++] = '-';
        if (digits.Length == 0)
        {
            destination[n++] = '0';
            return n;
        }

        if (exponent >= -4 && exponent < fixedBelow)
        {
            if (exponent < 0)
            {
                destination[n++] = '0';
                destination[n++] = '.';
                destination.Slice(n, -exponent - 1).Fill('0');
                n += -exponent - 1;
                digits.CopyTo(destination[n..]);
                n += digits.Length;
            }
            else if (digits.Length <= exponent + 1)
            {
                digits.CopyTo(destination[n..]);
                n += digits.Length;
                destination.Slice(n, exponent + 1 - digits.Length).Fill('0');
                n += exponent + 1 - digits.Length;
            }
            else
            {
                digits[..(exponent + 1)].CopyTo(destination[n..]);
                n += exponent + 1;
                destination[n++] = '.';
                digits[(exponent + 1)..].CopyTo(destination[n..]);
                n += digits.Length - exponent - 1;
            }

            return n;
        }

        destination[n++] = digits[0];
        if (digits.Length > 1)
        {
            destination[n++] = '.';
            digits[1..].CopyTo(destination[n..]);
            n += digits.Length - 1;
        }

        destination[n++] = 'e';
        destination[n++] = exponent < 0 ? '-' : '+';
        var abs = Math.Abs(exponent);
        if (abs < 10)
            destination[n++] = '0';
        abs.TryFormat(destination[n..], out var written, default, CultureInfo.InvariantCulture);
        return n + written;
    }

    /// <summary>A numeric as PostgreSQL stores it in a column of <paramref name="scale"/> (rounded), printed without trailing zeros.</summary>
    public static string Numeric(decimal value, int? scale)
    {
        Span<char> buffer = stackalloc char[MaxDecimalChars];
        return new string(buffer[..Numeric(value, scale, buffer)]);
    }

    /// <summary>Room for any decimal's canonical text.</summary>
    public const int MaxDecimalChars = 40;

    /// <summary>A decimal rounded as numeric(p,s) stores it (half away from zero), without trailing zeros.</summary>
    public static int Numeric(decimal value, int? scale, Span<char> destination)
    {
        if (scale is { } s)
        {
            try
            {
                value = Ferry.Internal.NumericRounding.ToScale(value, s);
            }
            catch (OverflowException)
            {
                // Rounded to tens of places left of the point, beyond decimal's range: done on the digits instead.
                var text = Numeric(value.ToString(CultureInfo.InvariantCulture), s);
                text.CopyTo(destination);
                return text.Length;
            }
        }

        value.TryFormat(destination, out var n, default, CultureInfo.InvariantCulture);
        if (destination[..n].Contains('.'))
        {
            while (destination[n - 1] == '0')
                n--;
            if (destination[n - 1] == '.')
                n--;
        }

        if (n == 2 && destination[0] == '-' && destination[1] == '0')
        {
            destination[0] = '0';
            n = 1;
        }

        return n;
    }

    public static string Numeric(string text, int? scale) => NumericValue.Parse(text).Round(scale).Trimmed();

    public static string Bytes(ReadOnlySpan<byte> value) => Convert.ToHexStringLower(value);

    /// <summary>geometry: <c>SRID:WKB in hex</c>, as PostGIS gives <c>ST_SRID</c> and <c>ST_AsBinary</c> of what the copy wrote (EWKB with an SRID, or WKB).</summary>
    public static string Geometry(ReadOnlySpan<byte> value)
    {
        var srid = Ferry.Internal.Wkb.Srid(value, out var wkb);
        return srid.ToString(CultureInfo.InvariantCulture) + ":" + Convert.ToHexStringLower(wkb);
    }

    /// <summary>date: <c>2024-02-29</c> (0001-01-01 and 9999-12-31 are real dates).</summary>
    public static string Date(DateOnly value) => value.ToString("yyyy'-'MM'-'dd", CultureInfo.InvariantCulture);

    /// <summary>date as PostgreSQL stores it (<see cref="Ferry.Internal.PgTemporal"/>): ±infinity too.</summary>
    public static string Date(int pgDays) => Ferry.Internal.PgTemporal.DateText(pgDays);

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
        Timestamp(Ferry.Internal.PgTemporal.Micros(value), precision, utc, destination);

    /// <summary>A timestamp as PostgreSQL stores it (µs since 2000-01-01, long's Min/MaxValue ∓infinity), in ISO form.</summary>
    public static int Timestamp(long pgMicros, int? precision, bool utc, Span<char> destination)
    {
        if (pgMicros is Ferry.Internal.PgTemporal.TimestampInfinity or Ferry.Internal.PgTemporal.TimestampNegativeInfinity)
        {
            var text = Ferry.Internal.PgTemporal.InfinityText(pgMicros < 0);
            text.CopyTo(destination);
            return text.Length;
        }

        var micros = RoundMicros(pgMicros, precision);
        var ticks = Math.Clamp(micros * 10 + Ferry.Internal.PgTemporal.EpochTicks, 0, DateTime.MaxValue.Ticks);
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
