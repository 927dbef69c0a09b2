using System.Buffers.Text;
using System.Text;
using Ferry.Copy;

namespace Ferry.Sources.Sqlite;

/// <summary>bytea: blobs as they are; TEXT and numbers as their bytes, as SQLite's CAST(x AS BLOB) gives them.</summary>
internal sealed class SqliteBytesReader : SqliteValueReader
{
    protected override string What => "bytes";

    protected override void Integer(long value, int column, IRowSink sink)
    {
        Span<byte> buffer = stackalloc byte[24];
        Utf8Formatter.TryFormat(value, buffer, out var written);
        sink.SetBytes(column, buffer[..written]);
    }

    protected override void Real(double value, int column, IRowSink sink) => sink.SetBytes(column, Encoding.UTF8.GetBytes(RealText(value)));

    protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink) => sink.SetBytes(column, value);

    protected override void Blob(ReadOnlySpan<byte> value, int column, IRowSink sink) => sink.SetBytes(column, value);
}
