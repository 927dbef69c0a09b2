using System.Buffers;
using System.Buffers.Binary;
using Ferry.Copy;
using Npgsql;

namespace Ferry.Sources.Postgres;

/// <summary>
/// Reads a table (or a range of it) from a PostgreSQL source as the server's binary COPY stream, and gives each field
/// to the sink as it came (<see cref="IRowSink.SetBinary"/>): no value is decoded, but for a field read as text (a column
/// with steps, see <see cref="SourceCopy.TextFields"/>), given as text. The stream's framing is parsed in a
/// pooled buffer that grows only for a field larger than it. A cast the server tested and could not apply rejects the
/// row with the value's text and the server's reason (see <see cref="SourceCopy"/>).
/// </summary>
internal sealed class PostgresTableReader : ITableReader
{
    const int BufferSize = 256 * 1024;
    static ReadOnlySpan<byte> Signature => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0];

    readonly NpgsqlConnection _connection;
    readonly Stream _stream;
    readonly SourceCopy _copy;
    readonly int _fields;
    readonly string _table;
    byte[] _buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
    int _start;
    int _end;
    bool _done;

    public PostgresTableReader(NpgsqlConnection connection, SourceCopy copy, string table)
    {
        _connection = connection;
        _copy = copy;
        _fields = copy.Fields;
        _table = table;
        _stream = connection.BeginRawBinaryCopy(copy.Sql);
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
        var casts = _copy.CheckedCasts;
        var texts = _copy.TextFields;
        for (var i = 0; i < casts.Count; i++)
        {
            if (NextField() is not { } length)
                sink.SetNull(i);
            else if (texts is not null && texts[i])
                sink.SetTextUtf8(i, Take(length)); // A text field's binary form is its text, in the client encoding: UTF-8.
            else
                sink.SetBinary(i, Take(length));
            if (casts[i] is { } type && NextField() is { } badLength)
            {
                var value = System.Text.Encoding.UTF8.GetString(Take(badLength));
                var reason = NextField() is { } reasonLength ? System.Text.Encoding.UTF8.GetString(Take(reasonLength)) : "not a valid value";
                sink.Reject(i, value, $"the source server cannot cast it to {type} (--cast): {reason}");
            }
            else if (casts[i] is not null)
            {
                _ = NextField();
            }
        }

        RowsRead++;
        return true;
    }

    /// <summary>The next field's length, its bytes made available; null for NULL.</summary>
    int? NextField()
    {
        Fill(4);
        var length = BinaryPrimitives.ReadInt32BigEndian(_buffer.AsSpan(_start));
        _start += 4;
        if (length < 0)
            return null;
        Fill(length);
        return length;
    }

    /// <summary>The field's bytes, consumed (valid until the next read).</summary>
    ReadOnlySpan<byte> Take(int length)
    {
        var field = _buffer.AsSpan(_start, length);
        _start += length;
        return field;
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
            var read = Read();
            if (read == 0)
                throw new FerryException($"Reading {_table}: the source's COPY stream ended in the middle of a row.");
            _end += read;
        }
    }

    int Read()
    {
        try
        {
            return _stream.Read(_buffer, _end, _buffer.Length - _end);
        }
        catch (PostgresException e)
        {
            var cast = _copy.Sql.Contains("::", StringComparison.Ordinal) && e.SqlState.StartsWith("22", StringComparison.Ordinal)
                ? " A --cast the source server could not apply stops the table on servers before PostgreSQL 16 (later ones reject the row): leave such rows out with --where, or cast to a type that holds them."
                : "";
            throw new FerryException($"Reading {_table} from the source after {RowsRead} rows: {e.MessageText}.{cast}", FailureKind.Failed, e);
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
