using System.Buffers;
using System.Buffers.Binary;
using System.Collections;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Unicode;
using Ferry.Types.Arrays;
using Npgsql;
using NpgsqlTypes;

namespace Ferry.Copy.Internal;

/// <summary>
/// PostgreSQL's binary COPY format written straight into a pooled buffer flushed to a raw COPY stream:
/// one small writer per PostgreSQL type, no per-value parameter binding or type lookup.
/// PostgreSQL reports a refused row only when the stream is completed (after CopyDone).
/// </summary>
internal sealed class BinaryCopyWriter : IDisposable
{
    const int BufferSize = 256 * 1024;

    readonly Stream _stream;
    byte[]? _buffer;
    int _used;

    /// <summary>Where an array's body is built: its length precedes it in the field.</summary>
    BinaryCopyWriter? _arrayBody;
    MemoryStream? _arrayBytes;

    public BinaryCopyWriter(Stream stream)
        : this(stream, signature: true)
    {
    }

    BinaryCopyWriter(Stream stream, bool signature)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        if (signature)
            WriteSignature();
    }

    /// <summary>Starts a binary COPY on the connection: Ferry writes the stream's bytes itself (signature, rows, trailer).</summary>
    public static BinaryCopyWriter Begin(NpgsqlConnection connection, string copySql) =>
        new(connection.BeginRawBinaryCopy(copySql));

    byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(BinaryCopyWriter));

    void WriteSignature()
    {
        ReadOnlySpan<byte> signature = [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];
        var span = Reserve(19);
        signature.CopyTo(span);
        BinaryPrimitives.WriteInt32BigEndian(span[11..], 0); // flags
        BinaryPrimitives.WriteInt32BigEndian(span[15..], 0); // header extension length
        _used += 19;
    }

    /// <summary>A span of at least <paramref name="size"/> free bytes (size must not exceed the buffer).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    Span<byte> Reserve(int size)
    {
        if (BufferSize - _used < size)
            FlushBuffer();
        return Buffer.AsSpan(_used);
    }

    void FlushBuffer()
    {
        if (_used > 0)
            _stream.Write(Buffer, 0, _used);
        _used = 0;
    }

    public void StartRow(int fields)
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), (short)fields);
        _used += 2;
    }

    public void WriteNull()
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), -1);
        _used += 4;
    }

    /// <summary>A field of <paramref name="length"/> bytes: the length is written and the payload's span returned (already counted).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    Span<byte> Field(int length)
    {
        var span = Reserve(4 + length);
        BinaryPrimitives.WriteInt32BigEndian(span, length);
        _used += 4 + length;
        return span.Slice(4, length);
    }

    public void WriteBoolean(bool value) => Field(1)[0] = value ? (byte)1 : (byte)0;

    public void WriteInt16(short value) => BinaryPrimitives.WriteInt16BigEndian(Field(2), value);

    public void WriteInt32(int value) => BinaryPrimitives.WriteInt32BigEndian(Field(4), value);

    public void WriteInt64(long value) => BinaryPrimitives.WriteInt64BigEndian(Field(8), value);

    public void WriteFloat4(float value) => BinaryPrimitives.WriteSingleBigEndian(Field(4), value);

    public void WriteFloat8(double value) => BinaryPrimitives.WriteDoubleBigEndian(Field(8), value);

    /// <summary>text, varchar, char, json: UTF-8; jsonb: version byte 1, then the UTF-8 text.</summary>
    public void WriteText(string value, bool jsonb = false)
    {
        var prefix = jsonb ? 1 : 0;
        var worst = Encoding.UTF8.GetMaxByteCount(value.Length) + prefix + 4;
        if (worst <= BufferSize)
        {
            // Encode straight into the buffer and back-patch the length.
            var span = Reserve(worst);
            if (jsonb)
                span[4] = 1;
            var written = Encoding.UTF8.GetBytes(value, span[(4 + prefix)..]);
            BinaryPrimitives.WriteInt32BigEndian(span, written + prefix);
            _used += 4 + prefix + written;
            return;
        }

        // Longer than the buffer: count first, then encode chunk by chunk.
        var length = Encoding.UTF8.GetByteCount(value);
        var head = Reserve(5);
        BinaryPrimitives.WriteInt32BigEndian(head, length + prefix);
        if (jsonb)
            head[4] = 1;
        _used += 4 + prefix;
        var rest = value.AsSpan();
        while (!rest.IsEmpty)
        {
            var status = Utf8.FromUtf16(rest, Buffer.AsSpan(_used, BufferSize - _used), out var read, out var written, replaceInvalidSequences: true, isFinalBlock: true);
            _used += written;
            rest = rest[read..];
            if (status == OperationStatus.DestinationTooSmall)
                FlushBuffer();
        }
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value.Length);
        _used += 4;
        WriteRaw(value);
    }

    /// <summary>text, varchar, json (jsonb with its version byte) from bytes already in valid UTF-8.</summary>
    public void WriteUtf8(ReadOnlySpan<byte> value, bool jsonb = false)
    {
        if (!jsonb)
        {
            WriteBytes(value);
            return;
        }

        var head = Reserve(5);
        BinaryPrimitives.WriteInt32BigEndian(head, value.Length + 1);
        head[4] = 1;
        _used += 5;
        WriteRaw(value);
    }

    void WriteRaw(ReadOnlySpan<byte> value)
    {
        if (value.Length <= BufferSize - _used)
        {
            value.CopyTo(Buffer.AsSpan(_used));
            _used += value.Length;
            return;
        }

        // Larger than what is left: send what is buffered, then the bytes themselves.
        FlushBuffer();
        _stream.Write(value);
    }

    /// <summary>time: µs since midnight.</summary>
    public void WriteTime(TimeSpan value) => WriteInt64(value.Ticks / 10);

    /// <summary>timetz: µs since midnight of the local time, then the zone in seconds west of UTC.</summary>
    public void WriteTimeTz(DateTimeOffset value)
    {
        var span = Field(12);
        BinaryPrimitives.WriteInt64BigEndian(span, value.TimeOfDay.Ticks / 10);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], -(int)(value.Offset.Ticks / TimeSpan.TicksPerSecond));
    }

    public void WriteInterval(NpgsqlInterval value)
    {
        var span = Field(16);
        BinaryPrimitives.WriteInt64BigEndian(span, value.Time);
        BinaryPrimitives.WriteInt32BigEndian(span[8..], value.Days);
        BinaryPrimitives.WriteInt32BigEndian(span[12..], value.Months);
    }

    public void WriteUuid(Guid value) => value.TryWriteBytes(Field(16), bigEndian: true, out _);

    /// <summary>numeric from a decimal: base-10000 digits of the mantissa, the fraction aligned to whole groups; dscale = the decimal's scale.</summary>
    public void WriteNumeric(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        var scale = (bits[3] >> 16) & 0xFF;
        var negative = bits[3] < 0;
        var mantissa = ((UInt128)(uint)bits[2] << 64) | ((UInt128)(uint)bits[1] << 32) | (uint)bits[0];

        // Pad the fraction on the right to whole groups of four digits (at most 10^3 more: fits 128 bits).
        var fractionGroups = (scale + 3) / 4;
        for (var pad = (fractionGroups * 4) - scale; pad > 0; pad--)
            mantissa *= 10;

        // Groups, least significant first; trailing zero groups are dropped (they carry no value). 128-bit division
        // is a slow library call, so only the digits above 64 bits use it (most values never do).
        Span<short> groups = stackalloc short[10];
        var count = 0;
        var dropped = 0;
        while (mantissa > ulong.MaxValue)
        {
            AddGroup(groups, (short)(ulong)(mantissa % 10000), ref count, ref dropped);
            mantissa /= 10000;
        }

        for (var rest = (ulong)mantissa; rest != 0; rest /= 10000)
            AddGroup(groups, (short)(rest % 10000), ref count, ref dropped);

        var weight = count == 0 ? 0 : count + dropped - 1 - fractionGroups;
        var span = Field(8 + (2 * count));
        BinaryPrimitives.WriteInt16BigEndian(span, (short)count);
        BinaryPrimitives.WriteInt16BigEndian(span[2..], (short)weight);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], negative && count > 0 ? (ushort)0x4000 : (ushort)0);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], (short)scale);
        for (var i = 0; i < count; i++)
            BinaryPrimitives.WriteInt16BigEndian(span[(8 + (2 * i))..], groups[count - 1 - i]);
    }

    /// <summary>A zero numeric as Npgsql writes one (weight -1 - scale/4, where <see cref="WriteNumeric(decimal)"/> writes 0): array elements keep its bytes.</summary>
    public void WriteNumericZero(int scale)
    {
        var span = Field(8);
        BinaryPrimitives.WriteInt16BigEndian(span, 0);
        BinaryPrimitives.WriteInt16BigEndian(span[2..], (short)(-(scale / 4) - 1));
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], 0);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], (short)scale);
    }

    static void AddGroup(Span<short> groups, short group, ref int count, ref int dropped)
    {
        if (group == 0 && count == 0)
            dropped++;
        else
            groups[count++] = group;
    }

    /// <summary>numeric beyond decimal: WideNumeric's own groups, weight, sign and scale.</summary>
    public void WriteNumeric(WideNumeric value)
    {
        var groups = value.Groups;
        var size = 8 + (2 * groups.Length);
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), size);
        _used += 4;
        var span = Reserve(8);
        BinaryPrimitives.WriteInt16BigEndian(span, (short)groups.Length);
        BinaryPrimitives.WriteInt16BigEndian(span[2..], value.Weight);
        BinaryPrimitives.WriteUInt16BigEndian(span[4..], value.Negative ? (ushort)0x4000 : (ushort)0);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], value.Scale);
        _used += 8;
        foreach (var group in groups)
        {
            BinaryPrimitives.WriteInt16BigEndian(Reserve(2), group);
            _used += 2;
        }
    }

    /// <summary>bit(n), varbit: the number of bits, then the bits, the first in the high bit of the first byte (as Npgsql writes a BitArray).</summary>
    public void WriteBits(BitArray value)
    {
        var byteCount = (value.Length + 7) / 8;
        var bytes = ArrayPool<byte>.Shared.Rent(byteCount);
        for (var pos = 0; pos < byteCount; pos++)
        {
            var bitPos = pos * 8;
            var bits = Math.Min(8, value.Length - bitPos);
            var b = 0;
            for (var i = 0; i < bits; i++)
                b += (value[bitPos + i] ? 1 : 0) << (8 - i - 1);
            bytes[pos] = (byte)b;
        }

        var head = Reserve(8);
        BinaryPrimitives.WriteInt32BigEndian(head, 4 + byteCount);
        BinaryPrimitives.WriteInt32BigEndian(head[4..], value.Length);
        _used += 8;
        WriteRaw(bytes.AsSpan(0, byteCount));
        ArrayPool<byte>.Shared.Return(bytes);
    }

    /// <summary>
    /// A one-dimensional array as Npgsql's importer writes one: one dimension (empty too), flags 0, the element OID,
    /// its length and lower bound 1, then each element as a field (-1 for a null element).
    /// </summary>
    public void WriteArray<T>(T[] values, uint elementOid, bool jsonb)
    {
        _arrayBytes ??= new MemoryStream();
        var body = _arrayBody ??= new BinaryCopyWriter(_arrayBytes, signature: false);
        body.WriteRawInt32(1);
        body.WriteRawInt32(0);
        body.WriteRawInt32((int)elementOid);
        body.WriteRawInt32(values.Length);
        body.WriteRawInt32(1);

        for (var i = 0; i < values.Length; i++)
            ArrayElements.Write(body, ref values[i], jsonb);
        body.FlushBuffer();
        WriteBytes(_arrayBytes.GetBuffer().AsSpan(0, (int)_arrayBytes.Length));
        _arrayBytes.SetLength(0);
    }

    void WriteRawInt32(int value)
    {
        BinaryPrimitives.WriteInt32BigEndian(Reserve(4), value);
        _used += 4;
    }

    /// <summary>Ends the COPY: trailer, flush, CopyDone; PostgreSQL's refusal of any row is thrown here.</summary>
    public void Complete()
    {
        BinaryPrimitives.WriteInt16BigEndian(Reserve(2), -1);
        _used += 2;
        try
        {
            FlushBuffer();
            _stream.Dispose();
        }
        finally
        {
            Release();
        }
    }

    /// <summary>Abandons the COPY (CopyFail): nothing of it is committed.</summary>
    public void Cancel()
    {
        Release();
        if (_stream is NpgsqlRawCopyStream raw)
            raw.Cancel();
        _stream.Dispose();
    }

    void Release()
    {
        if (_buffer is { } buffer)
            ArrayPool<byte>.Shared.Return(buffer);
        _buffer = null;
        _arrayBody?.Release();
        _arrayBody = null;
    }

    /// <summary>Cancels a COPY that was not completed.</summary>
    public void Dispose()
    {
        if (_buffer is not null)
            Cancel();
    }
}
