using System.Collections;
using System.Globalization;
using System.Text;
using Ferry.Copy;
using Ferry.Schema;
using Ferry.Types;
using Ferry.Types.Temporal;
using NpgsqlTypes;

namespace Ferry.Transforms.Folding;

/// <summary>
/// Between a table's reader (positions among <see cref="PlannedTable.Copied"/>) and what takes its written rows
/// (positions among <see cref="PlannedTable.Written"/>): passes each written column's value on, keeps each folded
/// column's canonical text, and at <see cref="EndRow"/> sets each fold's column to its JSON object (keys in the
/// transform's order, NULLs omitted; PostgreSQL's jsonb orders them). Only a table with folds reads through it.
/// </summary>
internal sealed class JsonFoldSink : IRowSink
{
    readonly IRowSink _next;
    readonly PlannedTable _table;

    /// <summary>Per read column: its written position, or -1 when a fold takes it out of the table.</summary>
    readonly int[] _written;

    /// <summary>Per read column: the members (positions in <see cref="_values"/>) its value fills; empty when not folded.</summary>
    readonly int[][] _members;

    /// <summary>Per member: the canonical text of this row's value (null: NULL or not set), and how it is written.</summary>
    readonly string?[] _values;
    readonly JsonShape[] _shapes;
    readonly Fold[] _folds;

    /// <summary>
    /// The members whose JSON the source's server made (<see cref="PlannedTable.ServerJsonMembers"/>): the reader sets
    /// the j-th at position <c>Copied.Count + j</c>, after the columns read.
    /// </summary>
    readonly int[] _serverMembers;
    readonly StringBuilder _json = new();
    char[] _chars = new char[256];
    byte[] _bytes = new byte[1024];

    sealed record Fold(int Written, string Name, string[] Keys, int FirstMember);

    JsonFoldSink(IRowSink next, PlannedTable table)
    {
        _next = next;
        _table = table;
        _written = [.. table.Copied.Select(c => IndexOf(table.Written, c))];
        var members = table.Copied.Select(_ => new List<int>()).ToArray();
        var shapes = new List<JsonShape>();
        var folds = new List<Fold>();
        var server = table.ServerJsonMembers;
        var serverMembers = new List<int>();
        for (var f = 0; f < table.Folds.Count; f++)
        {
            var fold = table.Folds[f];
            folds.Add(new Fold(IndexOf(table.Written, fold.Column), fold.Column.TargetName, [.. fold.Keys], shapes.Count));
            for (var k = 0; k < fold.Members.Count; k++)
            {
                if (server.Contains((f, k)))
                {
                    serverMembers.Add(shapes.Count);
                    shapes.Add(JsonShape.Json);
                    continue;
                }

                members[fold.Members[k]].Add(shapes.Count);
                shapes.Add(JsonMember.ShapeOf(table.Copied[fold.Members[k]].Type));
            }
        }

        _serverMembers = [.. serverMembers];

        _members = [.. members.Select(m => m.ToArray())];
        _shapes = [.. shapes];
        _values = new string?[shapes.Count];
        _folds = [.. folds];
    }

    /// <summary>A sink folding <paramref name="table"/>'s columns into <paramref name="sink"/>; null when the table has no fold.</summary>
    public static JsonFoldSink? Over(IRowSink sink, PlannedTable table) => table.Folds.Count == 0 ? null : new JsonFoldSink(sink, table);

    static int IndexOf(IReadOnlyList<PlannedColumn> columns, PlannedColumn column)
    {
        for (var i = 0; i < columns.Count; i++)
        {
            if (columns[i] == column)
                return i;
        }

        return -1;
    }

    /// <summary>Sets each fold's column from the values the row gave, and forgets them for the next row.</summary>
    public void EndRow()
    {
        foreach (var fold in _folds)
        {
            _json.Clear().Append('{');
            var first = true;
            for (var k = 0; k < fold.Keys.Length; k++)
            {
                var member = fold.FirstMember + k;
                if (_values[member] is not { } text)
                    continue;
                if (!first)
                    _json.Append(", ");
                first = false;
                Types.Text.JsonbText.WriteString(_json, fold.Keys[k]);
                _json.Append(": ");
                JsonMember.Write(_json, _shapes[member], text);
            }

            _json.Append('}');
            _next.SetTextUtf8(fold.Written, Utf8());
        }

        Array.Clear(_values);
    }

    /// <summary>The object built, in UTF-8, in a buffer reused row after row (valid until the next row).</summary>
    ReadOnlySpan<byte> Utf8()
    {
        if (_chars.Length < _json.Length)
            _chars = new char[Math.Max(_json.Length, _chars.Length * 2)];
        _json.CopyTo(0, _chars, _json.Length);
        var chars = _chars.AsSpan(0, _json.Length);
        var most = Encoding.UTF8.GetMaxByteCount(chars.Length);
        if (_bytes.Length < most)
            _bytes = new byte[Math.Max(most, _bytes.Length * 2)];
        return _bytes.AsSpan(0, Encoding.UTF8.GetBytes(chars, _bytes));
    }

    PgType TypeOf(int column) => _table.Copied[column].Type;

    /// <summary>Keeps a folded column's text; true when the column is also written.</summary>
    bool Folded(int column, string? text)
    {
        foreach (var member in _members[column])
            _values[member] = text;
        return _written[column] >= 0;
    }

    bool IsFolded(int column) => _members[column].Length > 0;

    /// <summary>Whether <paramref name="column"/> is past the columns read: a member's JSON made by the source's server, kept.</summary>
    bool FromServer(int column, string? json)
    {
        if (column < _written.Length)
            return false;
        _values[_serverMembers[column - _written.Length]] = json;
        return true;
    }

    public void SetNull(int column)
    {
        if (FromServer(column, null))
            return;
        // A member whose JSON the server makes is not captured here; folded away, its own field is only skipped.
        if (IsFolded(column) ? Folded(column, null) : _written[column] >= 0)
            _next.SetNull(_written[column]);
    }

    public void SetBoolean(int column, bool value)
    {
        if (!IsFolded(column) || Folded(column, CanonicalText.Boolean(value)))
            _next.SetBoolean(_written[column], value);
    }

    public void SetInt16(int column, short value)
    {
        if (!IsFolded(column) || Folded(column, CanonicalValue.Of(TypeOf(column), value)))
            _next.SetInt16(_written[column], value);
    }

    public void SetInt32(int column, int value)
    {
        if (!IsFolded(column) || Folded(column, CanonicalValue.Of(TypeOf(column), value)))
            _next.SetInt32(_written[column], value);
    }

    public void SetInt64(int column, long value)
    {
        if (!IsFolded(column) || Folded(column, CanonicalValue.Of(TypeOf(column), value)))
            _next.SetInt64(_written[column], value);
    }

    public void SetFloat4(int column, float value)
    {
        if (!IsFolded(column) || Folded(column, CanonicalValue.Of(TypeOf(column), value)))
            _next.SetFloat4(_written[column], value);
    }

    public void SetFloat8(int column, double value)
    {
        if (!IsFolded(column) || Folded(column, CanonicalValue.Of(TypeOf(column), value)))
            _next.SetFloat8(_written[column], value);
    }

    public void SetDecimal(int column, decimal value)
    {
        if (!IsFolded(column) || Folded(column, CanonicalValue.Of(TypeOf(column), value)))
            _next.SetDecimal(_written[column], value);
    }

    public void SetNumericText(int column, string value)
    {
        if (!IsFolded(column) || Folded(column, CanonicalValue.OfNumericText(TypeOf(column), value)))
            _next.SetNumericText(_written[column], value);
    }

    public void SetText(int column, string value)
    {
        if (FromServer(column, value))
            return;
        if (!IsFolded(column) || Folded(column, CanonicalValue.Of(TypeOf(column), value)))
            _next.SetText(_written[column], value);
    }

    public void SetTextUtf8(int column, ReadOnlySpan<byte> value)
    {
        if (column >= _written.Length)
        {
            FromServer(column, Encoding.UTF8.GetString(value));
            return;
        }

        if (!IsFolded(column) || Folded(column, CanonicalValue.Of(TypeOf(column), Encoding.UTF8.GetString(value))))
            _next.SetTextUtf8(_written[column], value);
    }

    public void SetBytes(int column, ReadOnlySpan<byte> value)
    {
        if (!IsFolded(column) || Folded(column, "\\x" + CanonicalText.Bytes(value)))
            _next.SetBytes(_written[column], value);
    }

    public void SetDate(int column, DateOnly value)
    {
        if (!IsFolded(column) || Folded(column, TemporalText.Date(value)))
            _next.SetDate(_written[column], value);
    }

    public void SetTime(int column, TimeSpan value)
    {
        if (!IsFolded(column) || Folded(column, TemporalText.Time(value, TypeOf(column).Precision)))
            _next.SetTime(_written[column], value);
    }

    public void SetTimeTz(int column, DateTimeOffset value)
    {
        if (!IsFolded(column) || Folded(column, CanonicalValue.Of(TypeOf(column), value)))
            _next.SetTimeTz(_written[column], value);
    }

    public void SetTimestamp(int column, DateTime value)
    {
        if (!IsFolded(column) || Folded(column, CanonicalValue.Of(TypeOf(column), value)))
            _next.SetTimestamp(_written[column], value);
    }

    public void SetTimestampTz(int column, DateTime utcValue)
    {
        if (!IsFolded(column) || Folded(column, CanonicalValue.Of(TypeOf(column), utcValue)))
            _next.SetTimestampTz(_written[column], utcValue);
    }

    public void SetInfinity(int column, bool negative)
    {
        if (!IsFolded(column) || Folded(column, Ferry.Internal.PgTemporal.InfinityText(negative)))
            _next.SetInfinity(_written[column], negative);
    }

    public void SetInterval(int column, NpgsqlInterval value)
    {
        if (!IsFolded(column) || Folded(column, TemporalText.Interval(value)))
            _next.SetInterval(_written[column], value);
    }

    public void SetUuid(int column, Guid value)
    {
        if (!IsFolded(column) || Folded(column, CanonicalText.Uuid(value)))
            _next.SetUuid(_written[column], value);
    }

    public void SetArray<T>(int column, T[] value)
    {
        if (!IsFolded(column) || Folded(column, JsonArray(TypeOf(column).Element ?? PgType.Text, value)))
            _next.SetArray(_written[column], value);
    }

    /// <summary>An array as a JSON array of its elements (boxed: arrays are rare enough that it costs nothing that matters).</summary>
    static string JsonArray<T>(PgType element, T[] value)
    {
        var shape = JsonMember.ShapeOf(element);
        var json = new StringBuilder("[");
        for (var i = 0; i < value.Length; i++)
        {
            if (i > 0)
                json.Append(", ");
            if (value[i] is { } item)
                JsonMember.Write(json, shape, CanonicalValue.Of(element, item));
            else
                json.Append("null");
        }

        return json.Append(']').ToString();
    }

    public void SetBits(int column, BitArray value)
    {
        if (!IsFolded(column) || Folded(column, CanonicalText.Bits(value)))
            _next.SetBits(_written[column], value);
    }

    public void SetBinary(int column, ReadOnlySpan<byte> field)
    {
        // A PostgreSQL source's members come as JSON its server made (FromServer); one folded away is only skipped here.
        if (_written[column] >= 0)
            _next.SetBinary(_written[column], field);
    }

    /// <summary>A folded column's problem is the row's: named on the fold's column when the column itself is not written.</summary>
    public void Reject(int column, string? value, string reason)
    {
        if (_written[column] >= 0)
            _next.Reject(_written[column], value, reason);
        else
            _next.Reject(FoldOf(column), value, $"{_table.Copied[column].SourceName}, folded into {_table.Written[FoldOf(column)].TargetName}: {reason}");
    }

    public void NoteRepair(int column, string original, string reason)
    {
        if (_written[column] >= 0)
            _next.NoteRepair(_written[column], original, reason);
        else
            _next.NoteRepair(FoldOf(column), original, $"{_table.Copied[column].SourceName}: {reason}");
    }

    /// <summary>The written position of the first fold that takes <paramref name="column"/>.</summary>
    int FoldOf(int column)
    {
        var member = _members[column][0];
        return _folds.Last(f => f.FirstMember <= member).Written;
    }
}
