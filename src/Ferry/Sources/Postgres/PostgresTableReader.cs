using System.Buffers;
using System.Buffers.Binary;
using Ferry.Copy;
using Npgsql;

namespace Ferry.Sources.Postgres;

/// <summary>
/// Reads a table (or a range of it) from a PostgreSQL source as the server's binary COPY stream, and gives each field
/// to the sink as it came (<see cref="IRowSink.SetBinary"/>): no value is decoded. The stream's framing is parsed in a
/// pooled buffer that grows only for a field larger than it.
/// </summary>
internal sealed class PostgresTableReader : ITableReader
{
    const int BufferSize = 256 * 1024;
    static ReadOnlySpan<byte> Signature => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    readonly NpgsqlConnection _connection;
    readonly Stream _stream;
    readonly int _fields;
    readonly string _table;
    byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    int _start;
    int _end;
    bool _done;

    public PostgresTableReader(NpgsqlConnection connection, string copySql, int fields, string table)
    {
        _connection = connection;
        _fields = fields;
        _table = table;
        _stream = connection.BeginRawBinaryCopy(copySql);
        ReadHeader();
    }

    public long RowsRead { get; private set; }

    public bool ReadRow(IRowSink sink)
    {
        if (_done)
            return false;
        Fill(2);
        var count = BinaryPrimitives.ReadInt16BigEndian(_buffer.AsSpan(_start));
        _start += 2;
        if (count == -1)
        {
            // The trailer: what follows is the stream's end, read so the COPY completes on this connection.
            while (_stream.Read(_buffer, 0, _buffer.Length) > 0)
            {
            }

            _done = true;
            return false;
        }

        if (count != _fields)
            throw new FerryException($"Reading {_table}: the source sent {count} fields in a row, {_fields} were asked for.");
        for (var i = 0; i < count; i++)
        {
            Fill(4);
            var length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start));
            _start += 4;
            if (length < 0)
            {
                sink.SetNull(i);
                continue;
            }

            Fill(length);
            sink.SetBinary(i, _buffer.AsSpan(_start, length));
            _start += length;
        }

        RowsRead++;
        return true;
    }

    void ReadHeader()
    {
        Fill(19);
        if (!_buffer.AsSpan(_start, 11).SequenceEqual(Signature))
            throw new FerryException($"Reading {_table}: the source's COPY stream does not start with PostgreSQL's binary signature.");
        var extension = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start + 15));
        _start += 19;
        Fill(extension);
        _start += extension;
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes available from <c>_start</c>.</summary>
    void Fill(int count)
    {
        if (_end - _start >= count)
            return;
        if (count > _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(count);
            _buffer.AsSpan(_start, _end - _start).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
        else if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
        }

        _end -= _start;
        _start = 0;
        while (_end < count)
        {
            var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
                throw new FerryException($"Reading {_table}: the source's COPY stream ended in the middle of a row.");
            _end += read;
        }
    }

    public void Dispose()
    {
        try
        {
            // A reader stopped early cancels the COPY: the stream's end would otherwise be read to the last row.
            if (!_done && _stream is NpgsqlRawCopyStream raw)
                raw.Cancel();
            _stream.Dispose();
        }
        catch (Exception e) when (e is NpgsqlException or IOException or InvalidOperationException)
        {
            // The connection is closed below: a COPY that cannot end cleanly ends with it.
        }

        _connection.Dispose();
        ArrayPool<byte>.Shared.Return(_buffer);
    }
}
