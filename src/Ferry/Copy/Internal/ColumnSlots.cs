using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using Ferry.Internal;
using Ferry.Schema;
using NpgsqlTypes;

namespace Ferry.Copy.Internal;

/// <summary>
/// One column of a batch: a typed array of values (no boxing), a null flag per row, and the binary COPY
/// writer for the column's PostgreSQL type, resolved once when the batch is created.
/// </summary>
internal abstract class ColumnSlots(int capacity)
{
    public bool[] Nulls { get; } = new bool[capacity];

    /// <summary>Writes row <paramref name="row"/>'s value (or NULL) through the direct binary COPY encoder.</summary>
    public void Write(BinaryCopyWriter writer, int row)
    {
        if (Nulls[row])
            writer.WriteNull();
        else
            WriteValue(writer, row);
    }

    protected abstract void WriteValue(BinaryCopyWriter writer, int row);

    /// <summary>The value as text, for the reject log (not on the hot path).</summary>
    public string? Render(int row) => Nulls[row] ? null : RenderValue(row);

    protected abstract string RenderValue(int row);

    /// <summary>Drops references held for a row so a flushed batch keeps nothing alive.</summary>
    public virtual void Reset() { }

    /// <summary>Forgets what row <paramref name="row"/> (the batch's last, rejected) stored beyond its slot, e.g. bytes in an arena.</summary>
    public virtual void TruncateFrom(int row) { }

    /// <summary>Resolves the writer for a PostgreSQL type.</summary>
    public static ColumnSlots For(PgType type, int capacity) => type.Kind switch
    {
        PgTypeKind.Boolean => new ValueSlots<bool>(capacity),
        PgTypeKind.SmallInt => new ValueSlots<short>(capacity),
        PgTypeKind.Integer => new ValueSlots<int>(capacity),
        PgTypeKind.BigInt => new ValueSlots<long>(capacity),
        PgTypeKind.Numeric => new NumericSlots(capacity, type.Precision, type.Scale),
        PgTypeKind.Real => new ValueSlots<float>(capacity),
        PgTypeKind.DoublePrecision => new ValueSlots<double>(capacity),
        PgTypeKind.Text or PgTypeKind.Json => new TextSlots(capacity, null, false, false),
        PgTypeKind.Varchar => new TextSlots(capacity, type.Length, false, false),
        PgTypeKind.Char => new TextSlots(capacity, type.Length, true, false),
        PgTypeKind.Jsonb => new TextSlots(capacity, null, false, true),
        PgTypeKind.Enum => new EnumSlots(capacity),
        PgTypeKind.Bytea or PgTypeKind.Geometry => new ByteSlots(capacity), // geometry's binary input takes WKB
        PgTypeKind.Date => new DateSlots(capacity),
        PgTypeKind.Time => new ValueSlots<TimeSpan>(capacity),
        PgTypeKind.TimeTz => new ValueSlots<DateTimeOffset>(capacity),
        PgTypeKind.Timestamp => new TimestampSlots(capacity, withTimeZone: false),
        PgTypeKind.TimestampTz => new TimestampSlots(capacity, withTimeZone: true),
        PgTypeKind.Interval => new ValueSlots<NpgsqlInterval>(capacity),
        PgTypeKind.Uuid => new ValueSlots<Guid>(capacity),
        PgTypeKind.Bit or PgTypeKind.VarBit => new BitSlots(capacity),
        PgTypeKind.Array => new ArraySlots(capacity, ElementOid(type.Element!), type.Element!.Kind == PgTypeKind.Jsonb),
        _ => throw new InvalidOperationException($"No binary COPY writer for {type.ToSql()}."),
    };

    /// <summary>The OID an array names its elements by, as Npgsql's importer sent it (arrays of enums as text arrays).</summary>
    internal static uint ElementOid(PgType type) => type.Kind switch
    {
        PgTypeKind.Boolean => 16,
        PgTypeKind.SmallInt => 21,
        PgTypeKind.Integer => 23,
        PgTypeKind.BigInt => 20,
        PgTypeKind.Numeric => 1700,
        PgTypeKind.Real => 700,
        PgTypeKind.DoublePrecision => 701,
        PgTypeKind.Text or PgTypeKind.Enum => 25,
        PgTypeKind.Varchar => 1043,
        PgTypeKind.Char => 1042,
        PgTypeKind.Json => 114,
        PgTypeKind.Jsonb => 3802,
        PgTypeKind.Bytea => 17,
        PgTypeKind.Date => 1082,
        PgTypeKind.Time => 1083,
        PgTypeKind.TimeTz => 1266,
        PgTypeKind.Timestamp => 1114,
        PgTypeKind.TimestampTz => 1184,
        PgTypeKind.Interval => 1186,
        PgTypeKind.Uuid => 2950,
        PgTypeKind.Bit => 1560,
        PgTypeKind.VarBit => 1562,
        _ => throw new InvalidOperationException($"No binary COPY writer for arrays of {type.ToSql()}."),
    };
}

/// <summary>A fixed-size value type (bigint, double precision, timestamp, uuid…).</summary>
internal sealed class ValueSlots<T>(int capacity) : ColumnSlots(capacity)
    where T : struct
{
    public T[] Values { get; } = new T[capacity];

    // typeof(T) tests are constants per instantiation: the JIT keeps only the matching branch (no boxing).
    protected override void WriteValue(BinaryCopyWriter writer, int row)
    {
        ref var value = ref Values[row];
        if (typeof(T) == typeof(bool))
            writer.WriteBoolean(Unsafe.As<T, bool>(ref value));
        else if (typeof(T) == typeof(short))
            writer.WriteInt16(Unsafe.As<T, short>(ref value));
        else if (typeof(T) == typeof(int))
            writer.WriteInt32(Unsafe.As<T, int>(ref value));
        else if (typeof(T) == typeof(long))
            writer.WriteInt64(Unsafe.As<T, long>(ref value));
        else if (typeof(T) == typeof(float))
            writer.WriteFloat4(Unsafe.As<T, float>(ref value));
        else if (typeof(T) == typeof(double))
            writer.WriteFloat8(Unsafe.As<T, double>(ref value));
        else if (typeof(T) == typeof(TimeSpan))
            writer.WriteTime(Unsafe.As<T, TimeSpan>(ref value));
        else if (typeof(T) == typeof(DateTimeOffset))
            writer.WriteTimeTz(Unsafe.As<T, DateTimeOffset>(ref value));
        else if (typeof(T) == typeof(NpgsqlInterval))
            writer.WriteInterval(Unsafe.As<T, NpgsqlInterval>(ref value));
        else if (typeof(T) == typeof(Guid))
            writer.WriteUuid(Unsafe.As<T, Guid>(ref value));
        else
            throw new NotSupportedException($"No direct binary COPY writer for {typeof(T).Name}.");
    }

    protected override string RenderValue(int row) => Values[row] switch
    {
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var v => v.ToString() ?? "",
    };
}

/// <summary>
/// date as PostgreSQL stores it (<see cref="PgTemporal"/>): days since 2000-01-01, or ±infinity, written as they are
/// (Npgsql would take DateOnly.MinValue/MaxValue, the real dates 0001-01-01 and 9999-12-31, for -infinity/infinity).
/// </summary>
internal sealed class DateSlots(int capacity) : ColumnSlots(capacity)
{
    public int[] Values { get; } = new int[capacity];

    protected override void WriteValue(BinaryCopyWriter writer, int row) => writer.WriteInt32(Values[row]);

    protected override string RenderValue(int row) => PgTemporal.DateText(Values[row]);
}

/// <summary>timestamp, timestamptz as PostgreSQL stores them: microseconds since 2000-01-01 (the UTC instant for timestamptz), or ±infinity.</summary>
internal sealed class TimestampSlots(int capacity, bool withTimeZone) : ColumnSlots(capacity)
{
    public long[] Values { get; } = new long[capacity];

    /// <summary>timestamptz (the UTC instant), else timestamp.</summary>
    public bool WithTimeZone => withTimeZone;

    protected override void WriteValue(BinaryCopyWriter writer, int row) => writer.WriteInt64(Values[row]);

    protected override string RenderValue(int row) => PgTemporal.TimestampText(Values[row]);
}

/// <summary>bit(n), varbit: the bits.</summary>
internal sealed class BitSlots(int capacity) : ColumnSlots(capacity)
{
    public BitArray?[] Values { get; } = new BitArray?[capacity];

    protected override void WriteValue(BinaryCopyWriter writer, int row) => writer.WriteBits(Values[row]!);

    protected override string RenderValue(int row) => string.Concat(Values[row]!.Cast<bool>().Select(b => b ? '1' : '0'));

    public override void Reset() => Array.Clear(Values);
}

/// <summary>text, varchar(n), char(n), json, jsonb: the string, checked for what PostgreSQL would refuse.</summary>
internal sealed class TextSlots(int capacity, int? maxLength, bool blankPadded, bool jsonb) : ColumnSlots(capacity), IDisposable
{
    /// <summary>Values given as strings; null where the row's value is in <see cref="_utf8"/>.</summary>
    readonly string?[] _strings = new string?[capacity];

    /// <summary>Values given as UTF-8 bytes (a null <see cref="_strings"/> entry on a non-null row).</summary>
    readonly ByteArena _utf8 = new(capacity);

    public void Set(int row, string value)
    {
        _strings[row] = value;
        _utf8.Forget(row);
    }

    /// <summary>Stores valid UTF-8 as it is: no string is made, the bytes go to COPY unchanged.</summary>
    public void SetUtf8(int row, ReadOnlySpan<byte> value)
    {
        _strings[row] = null;
        _utf8.Set(row, value);
    }

    /// <summary>Why PostgreSQL would refuse the value, or null.</summary>
    public string? Check(string value)
    {
        if (value.Contains('\0', StringComparison.Ordinal))
            return NulProblem;
        if (maxLength is { } n && value.Length > n)
        {
            // PostgreSQL counts characters (code points) and accepts excess trailing spaces.
            var kept = value.TrimEnd(' ');
            var length = kept.Length;
            foreach (var c in kept)
            {
                if (char.IsLowSurrogate(c))
                    length--;
            }

            if (length > n)
                return TooLong(n, length);
        }

        return null;
    }

    /// <summary><see cref="Check(string)"/> for valid UTF-8.</summary>
    public string? Check(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Contains((byte)0))
            return NulProblem;
        if (maxLength is { } n && utf8.Length > n)
        {
            // As for a string: characters (code points) count, excess trailing spaces do not.
            var length = Ferry.Internal.Utf8Characters.Count(utf8.TrimEnd((byte)' '));
            if (length > n)
                return TooLong(n, length);
        }

        return null;
    }

    const string NulProblem = "text contains a NUL character (0x00), which PostgreSQL cannot store in text";

    string TooLong(int n, int length) =>
        string.Create(CultureInfo.InvariantCulture, $"value too long for {(blankPadded ? "char" : "varchar")}({n}): {length} characters");

    string Text(int row) => _strings[row] ?? System.Text.Encoding.UTF8.GetString(_utf8.Get(row));

    protected override void WriteValue(BinaryCopyWriter writer, int row)
    {
        if (_strings[row] is { } text)
            writer.WriteText(text, jsonb);
        else
            writer.WriteUtf8(_utf8.Get(row), jsonb);
    }

    protected override string RenderValue(int row) => Text(row);

    public override void TruncateFrom(int row)
    {
        if (!Nulls[row])
            _utf8.TruncateFrom(row);
    }

    public override void Reset()
    {
        Array.Clear(_strings);
        _utf8.Reset();
    }

    public void Dispose() => _utf8.Dispose();
}

/// <summary>
/// A PostgreSQL enum: the label. An enum's binary form is its label's UTF-8 bytes, as text's is, and a binary COPY
/// names no types, so the label goes as text: no mapping of the enum type in Npgsql (which would need code
/// generated at run time, which the ahead-of-time compiled release cannot do).
/// </summary>
internal sealed class EnumSlots(int capacity) : ColumnSlots(capacity)
{
    public string?[] Values { get; } = new string?[capacity];

    protected override void WriteValue(BinaryCopyWriter writer, int row) => writer.WriteText(Values[row]!);

    protected override string RenderValue(int row) => Values[row] ?? "";

    public override void Reset() => Array.Clear(Values);
}

/// <summary>numeric(p,s): decimals, or the exact digits of values beyond decimal; precision checked before sending.</summary>
internal sealed class NumericSlots : ColumnSlots
{
    readonly int? _precision;
    readonly int? _scale;
    readonly decimal? _limit;
    readonly int? _integerDigits;

    public NumericSlots(int capacity, int? precision, int? scale) : base(capacity)
    {
        Values = new decimal[capacity];
        Wide = new WideNumeric?[capacity];
        if (precision is { } p)
        {
            _precision = p;
            _scale = scale ?? 0;
            // Negative when the scale exceeds the precision (numeric(3,5) holds values below 10^-2).
            _integerDigits = p - _scale.Value;
            if (_integerDigits is >= -28 and <= 28)
                _limit = Ferry.Internal.NumericRounding.Pow10(_integerDigits.Value);
        }
    }

    public decimal[] Values { get; }

    /// <summary>Values beyond decimal's 28 digits (HUGEINT, DECIMAL(38,s)), written digit group by digit group.</summary>
    public WideNumeric?[] Wide { get; }

    /// <summary>Why numeric(p,s) cannot hold the value (PostgreSQL rounds to the scale, then checks the integer digits).</summary>
    public string? Check(decimal value)
    {
        if (_limit is not { } limit)
            return null;
        return Ferry.Internal.NumericRounding.Overflows(value, _scale ?? 0, limit) ? Overflow() : null;
    }

    /// <summary>The integer digits alone; a fraction rounding up into one more digit is left to PostgreSQL (the batch split isolates it).</summary>
    public string? Check(WideNumeric value) => _integerDigits is { } digits and >= 0 && value.IntegerDigits > digits ? Overflow() : null;

    /// <summary>PostgreSQL's own words for it.</summary>
    string Overflow() => string.Create(CultureInfo.InvariantCulture, $"numeric field overflow: a field with precision {_precision}, scale {_scale} must round to an absolute value less than 10^{_integerDigits}");

    protected override void WriteValue(BinaryCopyWriter writer, int row)
    {
        if (Wide[row] is { } wide)
            writer.WriteNumeric(wide);
        else
            writer.WriteNumeric(Values[row]);
    }

    protected override string RenderValue(int row) =>
        Wide[row] is { } wide ? wide.Text : Values[row].ToString(CultureInfo.InvariantCulture);

    public override void Reset() => Array.Clear(Wide);
}

/// <summary>bytea: the bytes are copied into one pooled arena per batch (no array per value).</summary>
internal sealed class ByteSlots(int capacity) : ColumnSlots(capacity), IDisposable
{
    readonly ByteArena _arena = new(capacity);

    public void Set(int row, ReadOnlySpan<byte> value) => _arena.Set(row, value);

    public override void TruncateFrom(int row)
    {
        if (!Nulls[row])
            _arena.TruncateFrom(row);
    }

    protected override void WriteValue(BinaryCopyWriter writer, int row) => writer.WriteBytes(_arena.Get(row));

    protected override string RenderValue(int row) => "\\x" + Convert.ToHexStringLower(_arena.Get(row));

    public override void Reset() => _arena.Reset();

    public void Dispose() => _arena.Dispose();
}

/// <summary>A batch's variable-length values, one column's: copied into one pooled byte array (no array per value).</summary>
internal sealed class ByteArena(int capacity) : IDisposable
{
    byte[] _bytes = ArrayPool<byte>.Shared.Rent(64 * 1024);
    int _used;
    readonly int[] _offsets = new int[capacity];
    readonly int[] _lengths = new int[capacity];

    public void Set(int row, ReadOnlySpan<byte> value)
    {
        if (_used + value.Length > _bytes.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(Math.Max(_bytes.Length * 2, _used + value.Length));
            _bytes.AsSpan(0, _used).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = bigger;
        }

        value.CopyTo(_bytes.AsSpan(_used));
        _offsets[row] = _used;
        _lengths[row] = value.Length;
        _used += value.Length;
    }

    /// <summary>The row holds nothing here (its value is kept elsewhere).</summary>
    public void Forget(int row)
    {
        _offsets[row] = 0;
        _lengths[row] = 0;
    }

    public ReadOnlySpan<byte> Get(int row) => _bytes.AsSpan(_offsets[row], _lengths[row]);

    public ArraySegment<byte> Segment(int row) => new(_bytes, _offsets[row], _lengths[row]);

    /// <summary>Forgets the bytes of rows from <paramref name="row"/> on (a rejected row at the end of the batch).</summary>
    public void TruncateFrom(int row)
    {
        if (_lengths[row] > 0 && _offsets[row] + _lengths[row] == _used)
            _used = _offsets[row];
    }

    public void Reset()
    {
        _used = 0;
        if (_bytes.Length > 4 * 1024 * 1024)
        {
            // A batch of large values should not keep its arena for the whole table.
            ArrayPool<byte>.Shared.Return(_bytes);
            _bytes = ArrayPool<byte>.Shared.Rent(64 * 1024);
        }
    }

    public void Dispose() => ArrayPool<byte>.Shared.Return(_bytes);
}

/// <summary>One-dimensional arrays: the writer for the element type is built on the first value and reused.</summary>
internal sealed class ArraySlots(int capacity, uint elementOid, bool jsonb) : ColumnSlots(capacity)
{
    Action<BinaryCopyWriter, object>? _writer;
    Type? _arrayType;

    public object?[] Values { get; } = new object?[capacity];

    public string? Set<T>(int row, T[] value)
    {
        // Npgsql would write DateOnly/DateTime Min/MaxValue (real dates) as ∓infinity: send PostgreSQL's own values.
        switch (value)
        {
            case DateOnly?[] dates:
                return Set(row, Array.ConvertAll(dates, d => d is { } v ? PgTemporal.Days(v) : (int?)null));
            case DateOnly[] dates:
                return Set(row, Array.ConvertAll(dates, d => (int?)PgTemporal.Days(d)));
            case DateTime?[] timestamps:
                return Set(row, Array.ConvertAll(timestamps, t => t is { } v ? PgTemporal.InstantMicros(v) : (long?)null));
            case DateTime[] timestamps:
                return Set(row, Array.ConvertAll(timestamps, t => (long?)PgTemporal.InstantMicros(t)));
        }

        if (_arrayType is null)
        {
            if (!ArrayElements.Writes<T>())
                return $"arrays of {typeof(T).Name} cannot be written";
            _arrayType = typeof(T[]);
            _writer = (writer, array) => writer.WriteArray((T[])array, elementOid, jsonb);
        }
        else if (_arrayType != typeof(T[]))
        {
            return $"array of {typeof(T).Name} where this column's arrays are of {_arrayType.GetElementType()!.Name}";
        }

        Values[row] = value;
        return null;
    }

    protected override void WriteValue(BinaryCopyWriter writer, int row) => _writer!(writer, Values[row]!);

    protected override string RenderValue(int row) => Values[row] is Array a
        ? "{" + string.Join(",", a.Cast<object?>().Select(e => e is IFormattable f ? f.ToString(null, CultureInfo.InvariantCulture) : e?.ToString() ?? "NULL")) + "}"
        : "";

    public override void Reset() => Array.Clear(Values);
}
