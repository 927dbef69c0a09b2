using System.Text.Unicode;
using Ferry.Copy;

namespace Ferry.Sources.Sqlite;

/// <summary>uuid: text in any of the usual spellings, or a 16-byte blob in RFC 4122 byte order.</summary>
internal sealed class SqliteUuidReader : SqliteValueReader
{
    protected override string What => "a UUID";

    protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink)
    {
        Span<char> chars = stackalloc char[40];
        var trimmed = value.Trim((byte)' ');
        if (trimmed.Length <= chars.Length && Utf8.ToUtf16(trimmed, chars, out _, out var written) == System.Buffers.OperationStatus.Done
            && Guid.TryParse(chars[..written], out var g))
            sink.SetUuid(column, g);
        else
            RejectText(value, column, sink, What);
    }

    protected override void Blob(ReadOnlySpan<byte> value, int column, IRowSink sink)
    {
        if (value.Length == 16)
            sink.SetUuid(column, new Guid(value, bigEndian: true));
        else
            base.Blob(value, column, sink);
    }
}
