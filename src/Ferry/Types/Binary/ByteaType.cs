using Ferry.Copy.Internal;
using Ferry.Schema;

namespace Ferry.Types.Binary;

/// <summary>bytea: the bytes as they are; canonical text their lowercase hex.</summary>
internal sealed class ByteaType : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Bytea];

    public override IReadOnlyList<string> CatalogNames => ["bytea"];

    public override string ToSql(PgType type) => "bytea";

    public override uint Oid(PgType type) => 17;

    public override ColumnSlots CreateSlots(PgType type, int capacity) => new ByteSlots(capacity);

    public override string CanonicalSql(string x, string typeName, bool hasTrimScale) => $"encode({x}, 'hex')";

    public override bool ElementNeedsCanonicalSql(string typeName) => true;

    public override bool PlainText => true;

    public override bool HashesLongValuesApart(string typeName) => true;
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
