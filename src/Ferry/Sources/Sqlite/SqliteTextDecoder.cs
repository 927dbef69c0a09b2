using System.Text;
using System.Text.Unicode;
using Ferry.Copy;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// TEXT bytes to strings, with the --invalid-utf8 policy for bytes that are not UTF-8; it carries PostgreSQL's limits on
/// one value for the readers of a table (<see cref="SqliteValueReader.TryFor"/>).
/// </summary>
internal sealed class SqliteTextDecoder(InvalidUtf8Handling handling, ValueLimits? limits = null)
{
    /// <summary>Longer invalid UTF-8 is named by its first bytes in repair notes and rejects, not by all of them.</summary>
    const int ShownWhole = 64 * 1024;

    public ValueLimits Limits { get; } = limits ?? ValueLimits.PostgreSql;

    public bool TryDecode(ReadOnlySpan<byte> value, int column, IRowSink sink, out string text)
    {
        if (Utf8.IsValid(value))
        {
            text = Encoding.UTF8.GetString(value);
            return true;
        }

        var original = value.Length <= ShownWhole ? SqliteValueReader.Hex(value) : ValueLimits.Preview(value, binary: true);
        // Decoded, a byte becomes up to three of UTF-8: a text that would outgrow one field is rejected before it is made.
        if (handling == InvalidUtf8Handling.Repair && value.Length * 3L > Limits.FieldBytes
            && Limits.Field(Windows1252.Utf8Length(value), "text decoded as Windows-1252") is { } tooLong)
        {
            text = "";
            sink.Reject(column, original, tooLong);
            return false;
        }

        if (handling == InvalidUtf8Handling.Repair)
        {
            text = Windows1252.Decode(value);
            sink.NoteRepair(column, original, $"invalid UTF-8 decoded as Windows-1252: '{(value.Length <= ShownWhole ? text : text[..32] + "…")}'");
            return true;
        }

        text = "";
        sink.Reject(column, original, $"text is not valid UTF-8 (bytes {original}); use --invalid-utf8 repair to decode it as Windows-1252");
        return false;
    }
}
