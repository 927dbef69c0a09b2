using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;
using Ferry.Internal;
using Ferry.Schema;
using Ferry.Types;
using Ferry.Types.Arrays;
using Ferry.Types.Binary;
using Ferry.Types.BitStrings;
using Ferry.Types.Numeric;
using Ferry.Types.Temporal;
using Ferry.Types.Text;
using Npgsql;
using NpgsqlTypes;

namespace Ferry.Copy.Internal;

/// <summary>
/// The sink a reader fills, one row at a time, and the batch of converted rows waiting for PostgreSQL.
/// Values go into typed per-column slots (no boxing); a row whose values all converted is streamed at once
/// into the batch's binary COPY (<see cref="BatchSender"/>), and kept until the batch commits so that, if PostgreSQL
/// refuses the batch, it can be split until the refused rows are isolated and rejected while the good ones land,
/// and, if the connection is lost, the batch can be sent again.
/// </summary>
internal sealed class RowBuffer : IRowSink, IDisposable
{
    const long ByteBudget = 8 * 1024 * 1024;

    /// <summary>Memory a batch's fixed-width slots may take: they are allocated for the whole batch up front.</summary>
    const long SlotBudget = 8 * 1024 * 1024;

    /// <summary>The widest fixed-width slot value (numeric, uuid, interval: 16 bytes) and its null flag.</summary>
    const int BytesPerValue = 17;

    /// <summary>Rows per batch for a table: <paramref name="batchRows"/>, fewer for a wide table (at least 1,000).</summary>
    public static int Capacity(PlannedTable table, int batchRows) =>
        (int)Math.Clamp(SlotBudget / (BytesPerValue * Math.Max(1, table.Copied.Count)), Math.Min(1000, batchRows), batchRows);

    readonly PlannedTable _table;
    readonly RejectLog _log;
    readonly BatchSender _sender;
    readonly string? _range;
    readonly ColumnSlots[] _slots;
    readonly int[] _keyPositions;
    readonly long[] _setStamp;
    readonly long[] _rowNumbers;
    readonly int _capacity;
    readonly List<(int Column, string Original, string Reason)> _repairs = [];

    int _count;
    long _bytes;
    long _stamp;
    long _rowNumber;
    int _rejectColumn = -1;
    string? _rejectValue;
    string? _rejectReason;

    /// <param name="table">The table loaded.</param>
    /// <param name="session">The load job's connection.</param>
    /// <param name="log">The table's rejects.</param>
    /// <param name="capacity">Rows per batch.</param>
    /// <param name="doing">What the load is, for a retry's log line: <c>loading public.t (all rows)</c>.</param>
    /// <param name="range">The key range read, when not the whole table (it names rejected rows without a key).</param>
    public RowBuffer(PlannedTable table, LoadSession session, RejectLog log, int capacity, string doing, string? range = null)
    {
        _table = table;
        _log = log;
        _capacity = capacity;
        _range = range;
        _slots = table.Copied.Select(c => PgTypes.For(c.Type).CreateSlots(c.Type, capacity)).ToArray();
        _sender = new BatchSender(session, table.CopySql, _slots, doing, RefusedRow);
        _keyPositions = table.KeyPositions.ToArray();
        _setStamp = new long[_slots.Length];
        _rowNumbers = new long[capacity];
    }

    /// <summary>Rows PostgreSQL accepted (committed batches).</summary>
    public long Written { get; private set; }

    /// <summary>Rows rejected by conversion, by the pre-checks, or by PostgreSQL.</summary>
    public long Rejected { get; private set; }

    public bool IsFull => _count >= _capacity || _bytes >= ByteBudget;

    /// <summary>Starts the next row (its number in the range names it in the reject log when the table has no key).</summary>
    public void BeginRow(long rowNumber)
    {
        _rowNumber = rowNumber;
        _stamp++;
        _rejectColumn = -1;
        _rejectReason = null;
        _rejectValue = null;
        if (_repairs.Count > 0)
            _repairs.Clear();
    }

    /// <summary>Ends the row: a fully converted row joins the batch and the COPY stream; a rejected one is logged.</summary>
    public void EndRow()
    {
        if (_repairs.Count > 0)
        {
            foreach (var (column, original, reason) in _repairs)
                _log.Repair(new RowIssue(Key(_count), ColumnName(column), original, reason));
        }

        if (_rejectReason is not null)
        {
            RejectRow(_count, _rejectColumn, _rejectValue, _rejectReason);
            for (var i = 0; i < _slots.Length; i++)
            {
                if (_setStamp[i] == _stamp)
                    _slots[i].TruncateFrom(_count);
            }

            return;
        }

        for (var i = 0; i < _slots.Length; i++)
        {
            // A reader that skipped a column leaves it NULL rather than last row's value.
            if (_setStamp[i] != _stamp)
                _slots[i].Nulls[_count] = true;
        }

        _rowNumbers[_count] = _rowNumber;
        _sender.Stream(_count++);
    }

    /// <summary>Commits the batch (see <see cref="BatchSender"/>); the rows PostgreSQL refused are rejected once it has.</summary>
    public void Flush()
    {
        if (_count == 0)
            return;
        var (written, refused) = _sender.Commit(_count);
        Written += written;
        foreach (var issue in refused)
        {
            Rejected++;
            _log.Reject(issue);
        }

        foreach (var slot in _slots)
            slot.Reset();
        _count = 0;
        _bytes = 0;
    }

    /// <summary>The reject entry of a row PostgreSQL refused (made while the batch's slots still hold it).</summary>
    RowIssue RefusedRow(int row, PostgresException? refusal, Exception? problem)
    {
        var column = -1;
        if (refusal?.ColumnName is { } name)
            column = IndexOfTarget(name);
        if (column < 0 && refusal?.Where is { } where && where.IndexOf(", column ", StringComparison.Ordinal) is var at and >= 0)
        {
            var rest = where[(at + 9)..];
            var colon = rest.IndexOf(':', StringComparison.Ordinal);
            column = IndexOfTarget(colon >= 0 ? rest[..colon] : rest);
        }

        var reason = refusal is not null
            ? "PostgreSQL refused the row: " + refusal.MessageText + (refusal.Detail is { Length: > 0 } detail ? " (" + detail + ")" : "")
            : "the row could not be sent: " + problem?.Message;
        if (column >= _slots.Length)
            column = -1;
        return new RowIssue(Key(row), column >= 0 ? ColumnName(column) : null, column >= 0 ? _slots[column].Render(row) : null, reason);
    }

    int IndexOfTarget(string targetName)
    {
        for (var i = 0; i < _table.Copied.Count; i++)
        {
            if (_table.Copied[i].TargetName == targetName)
                return i;
        }

        return -1;
    }

    void RejectRow(int row, int column, string? value, string reason)
    {
        if (column >= _slots.Length)
            column = -1;
        Rejected++;
        _log.Reject(new RowIssue(Key(row), column >= 0 ? ColumnName(column) : null, Sources.ValueLimits.Shown(value), reason));
    }

    string ColumnName(int column) => _table.Copied[column].SourceName;

    /// <summary>The row's primary-key values when known (set), else its number in the range read.</summary>
    List<KeyValuePair<string, string?>> Key(int row)
    {
        var key = new List<KeyValuePair<string, string?>>(_keyPositions.Length + 1);
        var pending = row == _count;
        foreach (var position in _keyPositions)
        {
            if (!pending || _setStamp[position] == _stamp)
                key.Add(new(_table.Copied[position].TargetName, _slots[position].Render(row)));
        }

        if (key.Count == 0 || key.Count < _keyPositions.Length)
        {
            key.Add(new("row", (pending ? _rowNumber : _rowNumbers[row]).ToString(CultureInfo.InvariantCulture)));
            if (_range is not null)
                key.Add(new("range", _range));
        }

        return key;
    }

    /// <summary>Cancels an unfinished batch (nothing of it is committed).</summary>
    public void Dispose()
    {
        _sender.Abandon();
        foreach (var slot in _slots)
        {
            if (slot is IDisposable disposable)
                disposable.Dispose();
        }
    }

    // ---- IRowSink: each setter stores into the column's typed slot, converting between close types ----

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
        Reject(column, value, $"the source gave {given} for a {_table.Copied[column].Type.ToSql()} column");

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
                Reject(column, value.ToString(CultureInfo.InvariantCulture), $"{value} is out of range for {_table.Copied[column].Type.ToSql()}");
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
                Reject(column, value.ToString("R", CultureInfo.InvariantCulture), $"{value.ToString("R", CultureInfo.InvariantCulture)} does not fit {_table.Copied[column].Type.ToSql()}");
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

    public void SetBits(int column, BitArray value)
    {
        if (Slot<BitSlots>(column) is { } s)
            s.Values[_count] = value;
        else
            Mismatch(column, "a bit string", null);
    }

    public void Reject(int column, string? value, string reason)
    {
        if (_rejectReason is not null)
            return; // The first problem names the row.
        _rejectColumn = column;
        _rejectValue = value;
        _rejectReason = reason;
    }

    public void NoteRepair(int column, string original, string reason) => _repairs.Add((column, original, reason));
}
