using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using NpgsqlTypes;

namespace Ferry.Sources.DuckDb.Native;

/// <summary>A value that does not fit its target (a date beyond .NET's years 1-9999, a timetz offset in seconds…).</summary>
internal sealed class ValueException : Exception
{
    public ValueException(string message) : base(message) { }

    public ValueException() { }

    public ValueException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>DuckDB's in-memory value layouts decoded into .NET values, exactly.</summary>
internal static class DuckDbValues
{
    const long UnixEpochTicks = 621_355_968_000_000_000;
    const long MinMicros = -62_135_596_800_000_000; // 0001-01-01
    const long MaxMicros = 253_402_300_799_999_999; // 9999-12-31 23:59:59.999999
    const int UnixEpochDayNumber = 719_162;

    /// <summary>DuckDB's ±infinity for TIMESTAMP (all units): INT64 max and its negation.</summary>
    public const long TimestampInfinity = long.MaxValue;

    public const int DateInfinity = int.MaxValue;

    /// <summary>Whether a DATE is DuckDB's infinity or -infinity (<paramref name="negative"/>).</summary>
    public static bool IsInfinite(int days, out bool negative)
    {
        negative = days == -DateInfinity;
        return days == DateInfinity || days == -DateInfinity;
    }

    /// <summary>Whether a TIMESTAMP of any unit is DuckDB's infinity or -infinity (<paramref name="negative"/>).</summary>
    public static bool IsInfinite(long value, out bool negative)
    {
        negative = value == -TimestampInfinity;
        return value == TimestampInfinity || value == -TimestampInfinity;
    }

    /// <summary>A finite DATE (see <see cref="IsInfinite(int, out bool)"/>).</summary>
    public static DateOnly Date(int days)
    {
        var number = (long)days + UnixEpochDayNumber;
        if (number < DateOnly.MinValue.DayNumber || number > DateOnly.MaxValue.DayNumber)
            throw new ValueException("the date is outside years 1-9999, which Ferry's writer carries");
        return DateOnly.FromDayNumber((int)number);
    }

    /// <summary>A DATE as PostgreSQL stores it (days since 2000-01-01), infinity included.</summary>
    public static int PgDate(int days) => IsInfinite(days, out var negative)
        ? Ferry.Internal.PgTemporal.DateInfinityOf(negative)
        : Ferry.Internal.PgTemporal.Days(Date(days));

    /// <summary>A finite timestamp in microseconds since 1970 (see <see cref="IsInfinite(long, out bool)"/>).</summary>
    public static DateTime TimestampMicros(long micros)
    {
        if (micros is < MinMicros or > MaxMicros)
            throw new ValueException("the timestamp is outside years 1-9999, which Ferry's writer carries");
        return new DateTime(UnixEpochTicks + (micros * 10), DateTimeKind.Unspecified);
    }

    /// <summary>A timestamp in microseconds since 1970 as PostgreSQL stores it (microseconds since 2000-01-01), infinity included.</summary>
    public static long PgTimestamp(long micros) => IsInfinite(micros, out var negative)
        ? Ferry.Internal.PgTemporal.TimestampInfinityOf(negative)
        : Ferry.Internal.PgTemporal.Micros(TimestampMicros(micros));

    /// <summary>TIMESTAMP_S / _MS as microseconds (infinity kept).</summary>
    public static long ScaleToMicros(long value, long factor)
    {
        if (value == TimestampInfinity || value == -TimestampInfinity)
            return value;
        if (value > MaxMicros / factor || value < MinMicros / factor)
            throw new ValueException("the timestamp is outside years 1-9999, which Ferry's writer carries");
        return value * factor;
    }

    /// <summary>
    /// Nanoseconds to microseconds, rounded half to even as PostgreSQL rounds a 9-digit fraction it is given;
    /// <paramref name="exact"/> is false when nanoseconds were dropped (the caller reports it).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long NanosToMicros(long nanos, out bool exact)
    {
        if (nanos == TimestampInfinity || nanos == -TimestampInfinity)
        {
            exact = true;
            return nanos;
        }

        var q = Math.DivRem(nanos, 1000, out var r);
        if (r < 0)
        {
            q--;
            r += 1000;
        }

        exact = r == 0;
        if (r > 500 || (r == 500 && (q & 1) != 0))
            q++;
        return q;
    }

    public static TimeSpan Time(long micros) => new(micros * 10);

    /// <summary>TIME WITH TIME ZONE: 40 bits of microseconds, 24 bits of offset stored as (15:59:59 − offset).</summary>
    public static (long Micros, int OffsetSeconds) TimeTzParts(ulong bits) => ((long)(bits >> 24), 57_599 - (int)(bits & 0xFF_FFFF));

    public static DateTimeOffset TimeTz(ulong bits)
    {
        var (micros, offset) = TimeTzParts(bits);
        if (offset % 60 != 0 || Math.Abs(offset) > 14 * 3600)
            throw new ValueException("the time zone offset has seconds or exceeds ±14:00, which .NET's DateTimeOffset cannot carry");
        // A fixed date far from year 1 so that any offset keeps the UTC instant representable.
        return new DateTimeOffset(new DateTime(2000, 1, 1).AddTicks(micros * 10), TimeSpan.FromSeconds(offset));
    }

    public static unsafe NpgsqlInterval Interval(byte* p) => new(*(int*)p, *(int*)(p + 4), *(long*)(p + 8));

    public static unsafe Int128 HugeInt(byte* p) => new(*(ulong*)(p + 8), *(ulong*)p);

    public static unsafe UInt128 UHugeInt(byte* p) => new(*(ulong*)(p + 8), *(ulong*)p);

    /// <summary>UUID: a HUGEINT with the top bit flipped (so that it sorts), big-endian bytes.</summary>
    public static unsafe Guid Uuid(byte* p)
    {
        Span<byte> bytes = stackalloc byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, *(ulong*)(p + 8) ^ 0x8000_0000_0000_0000UL);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[8..], *(ulong*)p);
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>BIT: first byte = padding bits at the start of the next byte; bits most significant first.</summary>
    public static BitArray Bits(ReadOnlySpan<byte> raw)
    {
        var padding = raw[0];
        var length = ((raw.Length - 1) * 8) - padding;
        var bits = new BitArray(length);
        for (var i = 0; i < length; i++)
        {
            var position = i + padding;
            bits[i] = (raw[1 + (position >> 3)] & (0x80 >> (position & 7))) != 0;
        }

        return bits;
    }

    /// <summary>Whether a scaled integer fits System.Decimal (96-bit mantissa, scale ≤ 28).</summary>
    public static bool TryDecimal(Int128 unscaled, int scale, out decimal value)
    {
        var negative = Int128.IsNegative(unscaled);
        var magnitude = negative ? (UInt128)(-unscaled) : (UInt128)unscaled;
        if (unscaled == Int128.MinValue || scale > 28 || magnitude >> 96 != 0)
        {
            value = default;
            return false;
        }

        value = new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), (int)(uint)(magnitude >> 64), negative, (byte)scale);
        return true;
    }

    public static bool TryDecimal(UInt128 unscaled, out decimal value)
    {
        if (unscaled >> 96 != 0)
        {
            value = default;
            return false;
        }

        value = new decimal((int)(uint)unscaled, (int)(uint)(unscaled >> 32), (int)(uint)(unscaled >> 64), false, 0);
        return true;
    }

    public static decimal Decimal(long unscaled, int scale)
    {
        var negative = unscaled < 0;
        var magnitude = negative ? (ulong)(-(unscaled + 1)) + 1 : (ulong)unscaled;
        return new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, negative, (byte)scale);
    }

    /// <summary>Exact decimal text of an unscaled integer: <c>-12.50</c>.</summary>
    public static string DecimalText(Int128 unscaled, int scale)
    {
        var digits = unscaled.ToString(CultureInfo.InvariantCulture);
        if (scale == 0)
            return digits;
        var negative = digits[0] == '-';
        var magnitude = negative ? digits[1..] : digits;
        magnitude = magnitude.PadLeft(scale + 1, '0');
        var text = magnitude[..^scale] + "." + magnitude[^scale..];
        return negative ? "-" + text : text;
    }

    /// <summary>A DECIMAL's unscaled value from its physical storage.</summary>
    public static unsafe Int128 DecimalUnscaled(VectorView v, DuckDbType physical, int row) => physical switch
    {
        DuckDbType.SmallInt => v.Get<short>(row),
        DuckDbType.Integer => v.Get<int>(row),
        DuckDbType.BigInt => v.Get<long>(row),
        _ => HugeInt(v.Data + (row * 16)),
    };

    /// <summary>An ENUM value's dictionary index from its physical storage.</summary>
    public static uint EnumIndex(VectorView v, DuckDbType physical, int row) => physical switch
    {
        DuckDbType.UTinyInt => v.Get<byte>(row),
        DuckDbType.USmallInt => v.Get<ushort>(row),
        _ => v.Get<uint>(row),
    };

    public static string Hex(ReadOnlySpan<byte> bytes) => "\\x" + Convert.ToHexStringLower(bytes);

    public static string BitText(ReadOnlySpan<byte> raw)
    {
        var bits = Bits(raw);
        var sb = new StringBuilder(bits.Length);
        for (var i = 0; i < bits.Length; i++)
            sb.Append(bits[i] ? '1' : '0');
        return sb.ToString();
    }
}
