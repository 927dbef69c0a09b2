using System.Buffers.Binary;
using System.Globalization;
using Ferry.Copy.Internal;
using Ferry.Schema;

namespace Ferry.Types;

/// <summary>
/// Values already in PostgreSQL's binary COPY form (a PostgreSQL source's fields), kept in an arena and written as
/// they came: no decoding, no encoding. <paramref name="type"/>, the source's type, names how a value reads in the
/// reject log.
/// </summary>
internal sealed class BinaryFieldSlots(int capacity, VerbatimTypeName? type = null) : ColumnSlots(capacity), IDisposable
{
    readonly ByteArena _fields = new(capacity);

    public void Set(int row, ReadOnlySpan<byte> field) => _fields.Set(row, field);

    protected override void WriteValue(BinaryCopyWriter writer, int row) => writer.WriteBytes(_fields.Get(row));

    /// <summary>An integer's or a text's value (a rejected row's key); another type's bytes in hex.</summary>
    protected override string RenderValue(int row)
    {
        var field = _fields.Get(row);
        return (type?.CatalogName, field.Length) switch
        {
            ("int2", 2) => BinaryPrimitives.ReadInt16BigEndian(field).ToString(CultureInfo.InvariantCulture),
            ("int4", 4) => BinaryPrimitives.ReadInt32BigEndian(field).ToString(CultureInfo.InvariantCulture),
            ("int8", 8) => BinaryPrimitives.ReadInt64BigEndian(field).ToString(CultureInfo.InvariantCulture),
            _ when type?.Text is not null => System.Text.Encoding.UTF8.GetString(field),
            _ => "\\x" + Convert.ToHexStringLower(field),
        };
    }

    public override void Reset() => _fields.Reset();

    public override void TruncateFrom(int row) => _fields.TruncateFrom(row);

    public void Dispose() => _fields.Dispose();
}
