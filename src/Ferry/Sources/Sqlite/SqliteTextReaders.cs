using System.Text.Unicode;
using Ferry.Copy;

namespace Ferry.Sources.Sqlite;

/// <summary>text, varchar(n), char(n): numbers as SQLite renders them, blobs decoded like TEXT.</summary>
internal sealed class SqliteTextReader(SqliteTextDecoder decoder, int? maxLength, string? typeName) : SqliteValueReader
{
    protected override string What => "text";

    protected override void Integer(long value, int column, IRowSink sink) => Set(value.ToString(Invariant), column, sink);

    protected override void Real(double value, int column, IRowSink sink) => Set(RealText(value), column, sink);

    protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink)
    {
        // Valid UTF-8 that cannot exceed the length limit goes on as bytes: no string on the way.
        if ((maxLength is not { } n || value.Length <= n) && Utf8.IsValid(value))
            sink.SetTextUtf8(column, value);
        else if (decoder.TryDecode(value, column, sink, out var text))
            Set(text, column, sink);
    }

    protected override void Blob(ReadOnlySpan<byte> value, int column, IRowSink sink) => Text(value, column, sink);

    void Set(string value, int column, IRowSink sink)
    {
        if (maxLength is { } n && value.Length > n && CodePoints(value) > n)
            sink.Reject(column, value, $"text of {CodePoints(value)} characters is longer than {typeName}");
        else
            sink.SetText(column, value);
    }

    /// <summary>PostgreSQL counts varchar(n) in characters (code points), not UTF-16 units.</summary>
    static int CodePoints(string value)
    {
        var count = 0;
        foreach (var c in value)
        {
            if (!char.IsLowSurrogate(c))
                count++;
        }

        return count;
    }
}

/// <summary>json, jsonb: valid JSON text as it is written, numbers as JSON numbers.</summary>
internal sealed class SqliteJsonReader(SqliteTextDecoder decoder, bool jsonb) : SqliteValueReader
{
    protected override string What => "valid JSON";

    protected override void Integer(long value, int column, IRowSink sink) => sink.SetText(column, value.ToString(Invariant));

    protected override void Real(double value, int column, IRowSink sink)
    {
        if (double.IsFinite(value))
            sink.SetText(column, RealText(value));
        else
            RejectReal(value, column, sink, What);
    }

    protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink)
    {
        if (!Ferry.Internal.JsonText.IsValid(value))
        {
            RejectText(value, column, sink, What);
            return;
        }

        if (jsonb && Limits.JsonbText(value) is { } tooLarge)
            sink.Reject(column, ValueLimits.Preview(value), tooLarge);
        else if (decoder.TryDecode(value, column, sink, out var text))
            sink.SetText(column, text);
    }
}
