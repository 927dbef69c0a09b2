using System.Globalization;
using Ferry.Schema;
using Ferry.Types;
using Npgsql;

namespace Ferry.Copy.Internal;

/// <summary>
/// The sink a reader fills, one row at a time, and the batch of converted rows waiting for PostgreSQL.
/// Values go into typed per-column slots (no boxing); a row whose values all converted is streamed at once
/// into the batch's binary COPY (<see cref="BatchSender"/>), and kept until the batch commits so that, if PostgreSQL
/// refuses the batch, it can be split until the refused rows are isolated and rejected while the good ones land,
/// and, if the connection is lost, the batch can be sent again.
/// </summary>
internal sealed partial class RowBuffer : IRowSink, IDisposable
{
    const long ByteBudget = 8 * 1024 * 1024;

    /// <summary>Memory a batch's fixed-width slots may take: they are allocated for the whole batch up front.</summary>
    const long SlotBudget = 8 * 1024 * 1024;

    /// <summary>The widest fixed-width slot value (numeric, uuid, interval: 16 bytes) and its null flag.</summary>
    const int BytesPerValue = 17;

    /// <summary>Rows per batch for a table: <paramref name="batchRows"/>, fewer for a wide table (at least 1,000).</summary>
    public static int Capacity(PlannedTable table, int batchRows) =>
        (int)Math.Clamp(SlotBudget / (BytesPerValue * Math.Max(1, table.Written.Count)), Math.Min(1000, batchRows), batchRows);

    readonly PlannedTable _table;
    readonly RejectLog _log;
    readonly BatchSender _sender;
    readonly string? _range;
    readonly ColumnSlots[] _slots;
    readonly int[] _keyPositions;
    readonly bool[] _masked;
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
        _slots = table.Written.Select(c => Slots(table, c, capacity)).ToArray();
        _sender = new BatchSender(session, table.CopySql, _slots, doing, RefusedRow);
        _keyPositions = table.KeyPositions.ToArray();
        _masked = [.. table.Written.Select(c => c.Steps.Any(s => s.Masks))];
        _setStamp = new long[_slots.Length];
        _rowNumbers = new long[capacity];
    }

    /// <summary>
    /// A column's slots: a PostgreSQL source's field as it came, in binary form; for a column whose values steps rewrite
    /// (or from another source, or a JSON fold's object, made here), the type the values are written as (a source type
    /// whose values are text, as that text).
    /// </summary>
    static ColumnSlots Slots(PlannedTable table, PlannedColumn column, int capacity)
    {
        if (table.Source.BinaryValues && column.Steps.Count == 0 && !table.Folds.Any(f => f.Column == column))
            return new BinaryFieldSlots(capacity, column.Type.Verbatim);
        var type = column.Type.Verbatim?.Text ?? column.Type;
        return PgTypes.For(type).CreateSlots(type, capacity);
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
                _log.Repair(new RowIssue(Key(_count), ColumnName(column), _masked[column] ? Connections.Redaction.Mask : original, reason));
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
        return new RowIssue(Key(row), column >= 0 ? ColumnName(column) : null, column >= 0 ? Shown(column, row) : null, reason);
    }

    int IndexOfTarget(string targetName)
    {
        for (var i = 0; i < _table.Written.Count; i++)
        {
            if (_table.Written[i].TargetName == targetName)
                return i;
        }

        return -1;
    }

    void RejectRow(int row, int column, string? value, string reason)
    {
        if (column >= _slots.Length)
            column = -1;
        Rejected++;
        if (column >= 0 && _masked[column])
        {
            // A reader's reject (invalid UTF-8, too long) comes before the steps that mask the value.
            if (value is { Length: > 0 } && value != Connections.Redaction.Mask)
                reason = reason.Replace(value, Connections.Redaction.Mask, StringComparison.Ordinal);
            value = Connections.Redaction.Mask;
        }

        _log.Reject(new RowIssue(Key(row), column >= 0 ? ColumnName(column) : null, Sources.ValueLimits.Shown(value), reason));
    }

    string ColumnName(int column) => _table.Written[column].SourceName;

    /// <summary>A value as a reject names it: a masked column's (a secret, or its hash) is never shown.</summary>
    string? Shown(int column, int row) => _masked[column] ? Connections.Redaction.Mask : _slots[column].Render(row);

    /// <summary>The row's primary-key values when known (set), else (or when a key column is masked) with its number in the range read.</summary>
    List<KeyValuePair<string, string?>> Key(int row)
    {
        var key = new List<KeyValuePair<string, string?>>(_keyPositions.Length + 1);
        var pending = row == _count;
        var masked = false;
        foreach (var position in _keyPositions)
        {
            if (!pending || _setStamp[position] == _stamp)
            {
                key.Add(new(_table.Written[position].TargetName, Shown(position, row)));
                masked |= _masked[position];
            }
        }

        // A masked key names no row: its number does.
        if (key.Count == 0 || key.Count < _keyPositions.Length || masked)
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

    /// <summary>Rejects the row being read (the reader or a setter found a value PostgreSQL would refuse).</summary>
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
