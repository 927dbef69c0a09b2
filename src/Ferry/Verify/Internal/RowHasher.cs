using System.Collections;
using System.Globalization;
using System.Text;
using Ferry.Copy;
using Ferry.Schema;
using Ferry.Types;
using Ferry.Types.Numeric;
using Ferry.Types.Temporal;
using NpgsqlTypes;

namespace Ferry.Verify.Internal;

/// <summary>
/// The source side of a fingerprint: a row sink that renders each value to its canonical text and hashes
/// the row. Row text: each column's canonical text with <c>\</c> and <c>|</c> escaped by a backslash, or
/// <c>\N</c> for NULL, joined by <c>|</c>; row hash: <see cref="Lookup3"/> over its UTF-8 (PostgreSQL:
/// <c>hashtextextended(text, 0)</c>), or, for a database not in UTF-8, over the hex of its UTF-8 (so both sides
/// hash the same bytes whatever the server's encoding). A long value of a text, char, json or bytea column (see
/// <see cref="CanonicalSql.LongValueBytes"/>) is hashed apart, as it streams from the reader, and its piece is <c>\H</c>
/// and that hash: no value is held whole, whatever its size. The key hash is the same over the key columns' texts.
/// </summary>
internal sealed class RowHasher : IRowSink
{
    const int Unset = -1;

    /// <summary>Row texts longer than this (a jsonb document, a long array) are hashed as they are encoded.</summary>
    const int LongRowChars = 64 * 1024;
    readonly PgType[] _types;
    readonly int[] _key;
    readonly int[] _start;
    readonly int[] _length;
    readonly bool[] _apart;
    readonly bool[] _isKey;
    readonly long[] _apartHashes;
    readonly bool[] _hashedApart;
    /// <summary>Each value's piece followed by '|', in the order they came: the row text itself when they came in column order.</summary>
    char[] _values = new char[1024];
    int _used;

    /// <summary>The column expected next: readers set them in order, and then _values needs no assembling.</summary>
    int _next;
    bool _inOrder;
    char[] _text = new char[1024];
    byte[] _bytes = new byte[4096];
    char[] _decoded = new char[256];

    readonly bool _integerKey;
    readonly bool _utf8;

    /// <param name="types">The copied columns' target types, in reader order.</param>
    /// <param name="keyColumns">Positions of the key columns; empty without a key.</param>
    /// <param name="integerKey">The key is one integer column: <see cref="IntegerKey"/> holds its value.</param>
    /// <param name="utf8Database">The target database is in UTF-8 (else its side hashes the hex of the UTF-8).</param>
    /// <param name="apart">Per column, whether its long values are hashed apart (<see cref="CanonicalSql.HashesLongValuesApart"/>
    /// of the target column); by default the types whose values can be long.</param>
    public RowHasher(IReadOnlyList<PgType> types, IReadOnlyList<int> keyColumns, bool integerKey = false, bool utf8Database = true, IReadOnlyList<bool>? apart = null)
    {
        _utf8 = utf8Database;
        _types = [.. types];
        _key = [.. keyColumns];
        _integerKey = integerKey && _key.Length == 1;
        _start = new int[_types.Length];
        _length = new int[_types.Length];
        _apart = apart is null ? [.. _types.Select(PgTypes.HashesLongValuesApart)] : [.. apart];
        _isKey = new bool[_types.Length];
        foreach (var k in _key)
            _isKey[k] = true;
        _apartHashes = new long[_types.Length];
        _hashedApart = new bool[_types.Length];
        Reset();
    }

    /// <summary>A value of this row was rejected by the reader: the copy did not write the row.</summary>
    public bool Rejected { get; private set; }

    public bool HasKey => _key.Length > 0;

    /// <summary>The value of a single integer key column (0 for NULL): its bucket needs no hashing.</summary>
    public long IntegerKey { get; private set; }

    public void Reset()
    {
        _used = 0;
        _next = 0;
        _inOrder = true;
        IntegerKey = 0;
        Array.Fill(_length, Unset);
        Array.Clear(_hashedApart);
        Rejected = false;
    }

    /// <summary>The hash of the row's canonical text: its pieces as they came (without the last '|'), else assembled.</summary>
    public long RowHash() =>
        _inOrder && _next == _types.Length && _used > 0 ? Hash(_values, _used - 1) : Hash(_text, Assemble(null, rowPieces: true));

    /// <summary>The hash of the key columns' canonical text (the row hash when the table has no key).</summary>
    public long KeyHash() => _key.Length == 0 ? RowHash() : Hash(_text, Assemble(_key, rowPieces: false));

    public string RowText() => Text(null, rowPieces: true);

    public string KeyText() => Text(_key, rowPieces: false);

    // Assemble first: it may replace _text with a larger array (a 'new(_text, 0, Assemble(…))' read the old one).
    string Text(int[]? columns, bool rowPieces)
    {
        var length = Assemble(columns, rowPieces);
        return new(_text, 0, length);
    }

    /// <summary>The key columns' canonical texts (unescaped; null for NULL).</summary>
    public string?[] KeyValues()
    {
        var values = new string?[_key.Length];
        for (var i = 0; i < _key.Length; i++)
        {
            var c = _key[i];
            values[i] = _length[c] == Unset ? null : Verify.Internal.KeyValues.Unescape(_values.AsSpan(_start[c], _length[c]));
        }

        return values;
    }

    /// <summary>The pieces of <paramref name="columns"/> (all: null) joined into _text; a long value's hash with <paramref name="rowPieces"/>, else its text.</summary>
    int Assemble(int[]? columns, bool rowPieces)
    {
        var count = columns?.Length ?? _types.Length;
        var needed = count * 3;
        for (var i = 0; i < count; i++)
        {
            var c = columns?[i] ?? i;
            needed += rowPieces && _hashedApart[c] ? 22 : Math.Max(0, _length[c]);
        }

        if (_text.Length < needed)
            _text = new char[Math.Max(needed, _text.Length * 2)];
        var n = 0;
        for (var i = 0; i < count; i++)
        {
            var c = columns?[i] ?? i;
            if (i > 0)
                _text[n++] = '|';
            if (_length[c] == Unset)
            {
                _text[n++] = '\\';
                _text[n++] = 'N';
            }
            else if (rowPieces && _hashedApart[c])
            {
                _text[n++] = '\\';
                _text[n++] = 'H';
                _apartHashes[c].TryFormat(_text.AsSpan(n), out var written, default, CultureInfo.InvariantCulture);
                n += written;
            }
            else
            {
                _values.AsSpan(_start[c], _length[c]).CopyTo(_text.AsSpan(n));
                n += _length[c];
            }
        }

        return n;
    }

    long Hash(char[] text, int chars)
    {
        if (chars > LongRowChars)
            return TextHash.OfChars(text.AsSpan(0, chars), _utf8); // Encoded a chunk at a time, not into a copy three times its size.
        var max = Encoding.UTF8.GetMaxByteCount(chars) * (_utf8 ? 1 : 2);
        if (_bytes.Length < max)
            _bytes = new byte[Math.Max(max, _bytes.Length * 2)];
        var length = Encoding.UTF8.GetBytes(text.AsSpan(0, chars), _bytes);
        if (!_utf8) // encode(convert_to(text, 'UTF8'), 'hex'): two lowercase hex digits per byte.
            length = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(_bytes, 0, length), _bytes);
        return Lookup3.Hash64(_bytes.AsSpan(0, length));
    }

    void Append(int column, ReadOnlySpan<char> raw)
    {
        if ((uint)column >= (uint)_types.Length)
            return; // A column the target does not have: not part of the fingerprint.
        if (_apart[column] && IsLong(raw) && HashedApart(column, TextHash.OfChars(raw, _utf8)))
            return;
        AppendEscaped(column, raw);
    }

    /// <summary>Longer than <see cref="CanonicalSql.LongValueBytes"/> in UTF-8 (a character takes one to three bytes, a surrogate pair four).</summary>
    static bool IsLong(ReadOnlySpan<char> text) =>
        text.Length > CanonicalSql.LongValueBytes || (text.Length * 3 > CanonicalSql.LongValueBytes && Encoding.UTF8.GetByteCount(text) > CanonicalSql.LongValueBytes);

    /// <summary>
    /// Makes a long value's own hash its piece of the row text. True when nothing more is kept of it; a key column's
    /// text is kept all the same (keys are matched and reported by their values).
    /// </summary>
    bool HashedApart(int column, long hash)
    {
        _apartHashes[column] = hash;
        _hashedApart[column] = true;
        if (_isKey[column])
        {
            _inOrder = false; // Its text is kept, and its piece is its hash: assembled.
            return false;
        }

        var piece = Reserve(22);
        piece[0] = '\\';
        piece[1] = 'H';
        hash.TryFormat(piece[2..], out var written, default, CultureInfo.InvariantCulture);
        Commit(column, written + 2);
        return true;
    }

    void AppendEscaped(int column, ReadOnlySpan<char> raw)
    {
        if (_values.Length < _used + (raw.Length * 2) + 1)
            System.Array.Resize(ref _values, Math.Max(_used + (raw.Length * 2) + 1, _values.Length * 2));
        var start = _used;
        while (true)
        {
            // Runs without \ or | are copied whole (a vectorized search); each of those two gets a backslash.
            var special = raw.IndexOfAny('\\', '|');
            var run = special < 0 ? raw : raw[..special];
            run.CopyTo(_values.AsSpan(_used));
            _used += run.Length;
            if (special < 0)
                break;
            _values[_used++] = '\\';
            _values[_used++] = raw[special];
            raw = raw[(special + 1)..];
        }

        var written = _used - start;
        _used = start;
        Commit(column, written);
    }

    /// <summary>Room for a value that needs no escaping (numbers, timestamps), written in place by a formatter (and the '|' after it).</summary>
    Span<char> Reserve(int max)
    {
        if (_values.Length < _used + max + 1)
            System.Array.Resize(ref _values, Math.Max(_used + max + 1, _values.Length * 2));
        return _values.AsSpan(_used, max);
    }

    /// <summary>Keeps the <paramref name="written"/> characters at _used as the column's piece, followed by '|'.</summary>
    void Commit(int column, int written)
    {
        if ((uint)column >= (uint)_types.Length)
            return;
        _start[column] = _used;
        _length[column] = written;
        _used += written;
        _values[_used++] = '|';
        if (column == _next)
            _next++;
        else
            _inOrder = false;
    }

    PgType TypeOf(int column) => (uint)column < (uint)_types.Length ? _types[column] : PgType.Text;

    void AppendInteger(int column, long value)
    {
        if (!CanonicalValue.PrintsIntegerAsIs(TypeOf(column)))
        {
            Append(column, CanonicalValue.Of(TypeOf(column), value));
            return;
        }

        if (_integerKey && column == _key[0])
            IntegerKey = value;
        value.TryFormat(Reserve(24), out var written, default, CultureInfo.InvariantCulture);
        Commit(column, written);
    }

    public void SetNull(int column)
    {
        if ((uint)column >= (uint)_length.Length)
            return;
        var piece = Reserve(2);
        piece[0] = '\\';
        piece[1] = 'N';
        Commit(column, 2);
        _length[column] = Unset;
    }

    public void SetBoolean(int column, bool value) => Append(column, value ? "t" : "f");

    public void SetInt16(int column, short value) => AppendInteger(column, value);

    public void SetInt32(int column, int value) => AppendInteger(column, value);

    public void SetInt64(int column, long value) => AppendInteger(column, value);

    public void SetFloat4(int column, float value)
    {
        if (CanonicalValue.IsReal(TypeOf(column)))
            Commit(column, FloatText.Float4(value, Reserve(FloatText.MaxFloatChars)));
        else
            Append(column, CanonicalValue.Of(TypeOf(column), value));
    }

    public void SetFloat8(int column, double value)
    {
        if (CanonicalValue.IsDoublePrecision(TypeOf(column)))
            Commit(column, FloatText.Float8(value, Reserve(FloatText.MaxFloatChars)));
        else
            Append(column, CanonicalValue.Of(TypeOf(column), value));
    }

    public void SetDecimal(int column, decimal value)
    {
        var type = TypeOf(column);
        if (CanonicalValue.IsNumeric(type))
            Commit(column, CanonicalText.Numeric(value, type.Scale, Reserve(CanonicalText.MaxDecimalChars)));
        else
            Append(column, CanonicalValue.Of(type, value));
    }

    public void SetNumericText(int column, string value) => Append(column, CanonicalValue.OfNumericText(TypeOf(column), value));

    public void SetText(int column, string value) => Append(column, CanonicalValue.Of(TypeOf(column), value));

    /// <summary>
    /// Text whose canonical form is itself (or, for char(n), itself without the padding) is decoded straight into the
    /// row, or if long hashed apart from its bytes as they are: no string per value.
    /// </summary>
    public void SetTextUtf8(int column, ReadOnlySpan<byte> value)
    {
        var type = TypeOf(column);
        if (CanonicalValue.IsBlankPadded(type))
        {
            value = value.TrimEnd((byte)' ');
        }
        else if (!CanonicalValue.TextIsCanonical(type))
        {
            SetText(column, Encoding.UTF8.GetString(value));
            return;
        }

        if ((uint)column >= (uint)_types.Length || (_apart[column] && value.Length > CanonicalSql.LongValueBytes && HashedApart(column, TextHash.OfUtf8(value, _utf8))))
            return;
        if (_decoded.Length < value.Length)
            _decoded = new char[Math.Max(value.Length, _decoded.Length * 2)];
        AppendEscaped(column, _decoded.AsSpan(0, Encoding.UTF8.GetChars(value, _decoded)));
    }

    /// <summary>bytea: its hex digits, written in place (no escaping needed), or if long hashed apart as they are made; geometry: SRID and WKB.</summary>
    public void SetBytes(int column, ReadOnlySpan<byte> value)
    {
        if ((uint)column >= (uint)_types.Length)
            return;
        if (CanonicalValue.IsGeometry(TypeOf(column)))
        {
            Append(column, CanonicalText.Geometry(value));
            return;
        }

        if (_apart[column] && value.Length * 2L > CanonicalSql.LongValueBytes && HashedApart(column, TextHash.OfHexDigits(value, _utf8)))
            return;
        Convert.TryToHexStringLower(value, Reserve(value.Length * 2), out var written);
        Commit(column, written);
    }

    public void SetDate(int column, DateOnly value) => Append(column, TemporalText.Date(value));

    public void SetTime(int column, TimeSpan value) => Append(column, TemporalText.Time(value, TypeOf(column).Precision));

    public void SetTimeTz(int column, DateTimeOffset value) => Append(column, CanonicalValue.Of(TypeOf(column), value));

    public void SetTimestamp(int column, DateTime value)
    {
        var type = TypeOf(column);
        if (CanonicalValue.IsTimestamp(type))
            Commit(column, TemporalText.Timestamp(value, type.Precision, false, Reserve(TemporalText.MaxTimestampChars)));
        else
            Append(column, CanonicalValue.Of(type, value));
    }

    public void SetTimestampTz(int column, DateTime utcValue) =>
        Commit(column, TemporalText.Timestamp(utcValue, TypeOf(column).Precision, true, Reserve(TemporalText.MaxTimestampChars)));

    public void SetInfinity(int column, bool negative) => Append(column, Ferry.Internal.PgTemporal.InfinityText(negative));

    public void SetInterval(int column, NpgsqlInterval value) => Append(column, TemporalText.Interval(value));

    public void SetUuid(int column, Guid value) => Append(column, CanonicalText.Uuid(value));

    public void SetArray<T>(int column, T[] value)
    {
        var element = TypeOf(column).Element ?? PgType.Text;
        Append(column, CanonicalText.Array(value.Select(v => v is null ? null : CanonicalValue.Of(element, (object)v))));
    }

    public void SetBits(int column, BitArray value) => Append(column, CanonicalText.Bits(value));

    public void Reject(int column, string? value, string reason) => Rejected = true;

    public void NoteRepair(int column, string original, string reason)
    {
        // The repaired value is what the copy wrote, and what this row's hash covers.
    }
}
