using Ferry.Copy.Internal;

namespace Ferry.Types;

/// <summary>
/// Values already in PostgreSQL's binary COPY form (a PostgreSQL source's fields), kept in an arena and written as
/// they came: no decoding, no encoding.
/// </summary>
internal sealed class BinaryFieldSlots(int capacity) : ColumnSlots(capacity), IDisposable
{
    readonly ByteArena _fields = new(capacity);

    public void Set(int row, ReadOnlySpan<byte> field) => _fields.Set(row, field);

    protected override void WriteValue(BinaryCopyWriter writer, int row) => writer.WriteBytes(_fields.Get(row));

    /// <summary>The field's bytes in hex (the reject log names a value PostgreSQL refused; its text form is the server's).</summary>
    protected override string RenderValue(int row) => "\\x" + Convert.ToHexStringLower(_fields.Get(row));

    public override void Reset() => _fields.Reset();

    public override void TruncateFrom(int row) => _fields.TruncateFrom(row);

    public void Dispose() => _fields.Dispose();
}
