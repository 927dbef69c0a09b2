using System.Collections;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Ferry.Internal;
using Ferry.Types;
using Ferry.Types.Arrays;
using Ferry.Types.Binary;
using Ferry.Types.BitStrings;
using Ferry.Types.Numeric;
using Ferry.Types.Temporal;
using Ferry.Types.Text;
using NpgsqlTypes;

namespace Ferry.Copy.Internal;

/// <summary>The <see cref="IRowSink"/> setters: each stores a value into its column's typed slot, converting between close types.</summary>
internal sealed partial class RowBuffer
{
    // Inlined, so that T is known where it is called: the 'as' is then one type-handle comparison (every slot class
    // is sealed), not the shared generic code's runtime cast helper (2.5% of a copy's client CPU in perf).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    T? Slot<T>(int column)
        where T : ColumnSlots
    {
        _setStamp[column] = _stamp;
        var slot = _slots[column];
        slot.Nulls[_count] = false;
        return slot as T;
    }

    void Mismatch(int column, string given, string? value) =>
        Reject(column, value, $"the source gave {given} for a {_table.Written[column].Type.ToSql()} column");

    public void SetNull(int column)
    {
        _setStamp[column] = _stamp;
        _slots[column].Nulls[_count] = true;
    }

    public void SetBoolean(int column, bool value)
    {
        if (Slot<ValueSlots<bool>>(column) is { } s)
            s.Values[_count] = value;
        else
            Mismatch(column, "a boolean", value ? "true" : "false");
    }

    public void SetInt16(int column, short value)
    {
        if (Slot<ValueSlots<short>>(column) is { } s)
            s.Values[_count] = value;
        else
            SetInt64(column, value);
    }

    public void SetInt32(int column, int value)
    {
        if (Slot<ValueSlots<int>>(column) is { } s)
            s.Values[_count] = value;
        else
            SetInt64(column, value);
    }

    public void SetInt64(int column, long value)
    {
        switch (Slot<ColumnSlots>(column))
        {
            case ValueSlots<long> s:
                s.Values[_count] = value;
                break;
            case ValueSlots<int> s when value is >= int.MinValue and <= int.MaxValue:
                s.Values[_count] = (int)value;
                break;
            case ValueSlots<short> s when value is >= short.MinValue and <= short.MaxValue:
                s.Values[_count] = (short)value;
                break;
            case ValueSlots<int> or ValueSlots<short>:
                Reject(column, value.ToString(CultureInfo.InvariantCulture), $"{value} is out of range for {_table.Written[column].Type.ToSql()}");
                break;
            case NumericSlots:
                SetDecimal(column, value);
                break;
            case ValueSlots<double> s:
                s.Values[_count] = value;
                break;
            case ValueSlots<float> s:
                s.Values[_count] = value;
                break;
            default:
                Mismatch(column, "an integer", value.ToString(CultureInfo.InvariantCulture));
                break;
        }
    }

    public void SetFloat4(int column, float value)
    {
        if (Slot<ValueSlots<float>>(column) is { } s)
            s.Values[_count] = value;
        else
            SetFloat8(column, value);
    }

    public void SetFloat8(int column, double value)
    {
        switch (Slot<ColumnSlots>(column))
        {
            case ValueSlots<double> s:
                s.Values[_count] = value;
                break;
            case ValueSlots<float> s:
                s.Values[_count] = (float)value;
                break;
            case NumericSlots when double.IsNaN(value) || double.IsInfinity(value) || Math.Abs(value) >= 7.9e28:
                Reject(column, value.ToString("R", CultureInfo.InvariantCulture), $"{value.ToString("R", CultureInfo.InvariantCulture)} does not fit {_table.Written[column].Type.ToSql()}");
                break;
            case NumericSlots:
                // The shortest round-trip text of the double, not its binary expansion (0.1 stays 0.1).
                SetDecimal(column, decimal.Parse(value.ToString("R", CultureInfo.InvariantCulture), NumberStyles.Float, CultureInfo.InvariantCulture));
                break;
            default:
                Mismatch(column, "a floating-point number", value.ToString("R", CultureInfo.InvariantCulture));
                break;
        }
    }

    public void SetDecimal(int column, decimal value)
    {
        switch (Slot<ColumnSlots>(column))
        {
            case NumericSlots s when s.Check(value) is { } problem:
                Reject(column, value.ToString(CultureInfo.InvariantCulture), problem);
                break;
            case NumericSlots s:
                s.Values[_count] = value;
                s.Wide[_count] = null;
                break;
            case ValueSlots<double> s:
                s.Values[_count] = (double)value;
                break;
            default:
                Mismatch(column, "a decimal", value.ToString(CultureInfo.InvariantCulture));
                break;
        }
    }

    public void SetNumericText(int column, string value)
    {
        if (Slot<NumericSlots>(column) is not { } s)
        {
            Mismatch(column, "a numeric", value);
            return;
        }

        // decimal holds 28 digits from 10^-28: an exponent may ask for more (1.5e-30 would become 0), so a value
        // with one goes the exact way.
        var digits = 0;
        var exponent = false;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
                digits++;
            else if (c is 'e' or 'E')
                exponent = true;
        }

        if (digits <= 28 && !exponent && decimal.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var small))
        {
            SetDecimal(column, small);
        }
        else if (WideNumeric.TryParse(value, out var wide))
        {
            if (s.Check(wide) is { } problem)
            {
                Reject(column, value, problem);
                return;
            }

            s.Wide[_count] = wide;
        }
        else
        {
            Reject(column, value, "not a decimal number (digits, an optional sign and decimal point)");
        }
    }

    public void SetText(int column, string value)
    {
        switch (Slot<ColumnSlots>(column))
        {
            case TextSlots s when s.Check(value) is { } problem:
                Reject(column, value, problem);
                break;
            case TextSlots s:
                s.Set(_count, value);
                _bytes += value.Length * 2;
                break;
            case EnumSlots when value.Contains('\0', StringComparison.Ordinal):
                Reject(column, value, "text contains a NUL character (0x00)");
                break;
            case EnumSlots s:
                s.Values[_count] = value;
                break;
            case { TakesText: true } s when s.SetText(_count, value) is { } problem:
                Reject(column, value, problem);
                break;
            case { TakesText: true }:
                break;
            default:
                Mismatch(column, "text", value);
                break;
        }
    }

    public void SetTextUtf8(int column, ReadOnlySpan<byte> value)
    {
        if (Slot<ColumnSlots>(column) is not TextSlots s)
            SetText(column, Encoding.UTF8.GetString(value));
        else if (s.Check(value) is { } problem)
            Reject(column, Encoding.UTF8.GetString(value), problem);
        else
        {
            s.SetUtf8(_count, value);
            _bytes += value.Length;
        }
    }

    public void SetBytes(int column, ReadOnlySpan<byte> value)
    {
        if (Slot<ByteSlots>(column) is { } s)
        {
            s.Set(_count, value);
            _bytes += value.Length;
        }
        else
            Mismatch(column, "bytes", "\\x" + Convert.ToHexStringLower(value));
    }

    public void SetDate(int column, DateOnly value)
    {
        if (Slot<DateSlots>(column) is { } s)
            s.Values[_count] = PgTemporal.Days(value);
        else if (_slots[column] is TimestampSlots { WithTimeZone: false } ts)
            ts.Values[_count] = PgTemporal.Micros(value.ToDateTime(TimeOnly.MinValue));
        else
            Mismatch(column, "a date", value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    public void SetTime(int column, TimeSpan value)
    {
        if (Slot<ValueSlots<TimeSpan>>(column) is { } s)
            s.Values[_count] = value;
        else
            Mismatch(column, "a time", value.ToString("c", CultureInfo.InvariantCulture));
    }

    public void SetTimeTz(int column, DateTimeOffset value)
    {
        if (Slot<ValueSlots<DateTimeOffset>>(column) is { } s)
            s.Values[_count] = value;
        else
            Mismatch(column, "a time with time zone", value.ToString("O", CultureInfo.InvariantCulture));
    }

    public void SetTimestamp(int column, DateTime value)
    {
        if (Slot<TimestampSlots>(column) is { WithTimeZone: false } s)
            s.Values[_count] = PgTemporal.Micros(value);
        else
            Mismatch(column, "a timestamp", value.ToString("O", CultureInfo.InvariantCulture));
    }

    public void SetTimestampTz(int column, DateTime utcValue)
    {
        if (Slot<TimestampSlots>(column) is { WithTimeZone: true } s)
            s.Values[_count] = PgTemporal.InstantMicros(utcValue);
        else
            Mismatch(column, "a timestamp with time zone", utcValue.ToString("O", CultureInfo.InvariantCulture));
    }

    public void SetInfinity(int column, bool negative)
    {
        switch (Slot<ColumnSlots>(column))
        {
            case DateSlots s:
                s.Values[_count] = PgTemporal.DateInfinityOf(negative);
                break;
            case TimestampSlots s:
                s.Values[_count] = PgTemporal.TimestampInfinityOf(negative);
                break;
            default:
                Mismatch(column, "infinity", PgTemporal.InfinityText(negative));
                break;
        }
    }

    public void SetInterval(int column, NpgsqlInterval value)
    {
        if (Slot<ValueSlots<NpgsqlInterval>>(column) is { } s)
            s.Values[_count] = value;
        else
            Mismatch(column, "an interval", $"{value.Months} months {value.Days} days {value.Time} µs");
    }

    public void SetUuid(int column, Guid value)
    {
        if (Slot<ValueSlots<Guid>>(column) is { } s)
            s.Values[_count] = value;
        else
            Mismatch(column, "a uuid", value.ToString());
    }

    public void SetArray<T>(int column, T[] value)
    {
        if (Slot<ArraySlots>(column) is not { } s)
            Mismatch(column, "an array", null);
        else if (s.Set(_count, value) is { } problem)
            Reject(column, null, problem);
        else
            _bytes += value.Length * 8;
    }

    public void SetBinary(int column, ReadOnlySpan<byte> field)
    {
        if (Slot<BinaryFieldSlots>(column) is { } s)
        {
            s.Set(_count, field);
            _bytes += field.Length;
        }
        else
            Mismatch(column, "a binary COPY field", "\\x" + Convert.ToHexStringLower(field));
    }

    public void SetBits(int column, BitArray value)
    {
        if (Slot<BitSlots>(column) is { } s)
            s.Values[_count] = value;
        else
            Mismatch(column, "a bit string", null);
    }
}
