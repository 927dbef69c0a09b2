using System.Collections;
using Ferry.Copy.Internal;
using Ferry.Schema;

namespace Ferry.Types.BitStrings;

/// <summary>bit(n), bit varying(n): the number of bits, then the bits, the first in the high bit of the first byte.</summary>
internal sealed class BitStringTypes : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Bit, PgTypeKind.VarBit];

    public override IReadOnlyList<string> CatalogNames => ["bit", "varbit"];

    public override string ToSql(PgType type) => (type.Kind == PgTypeKind.Bit ? "bit" : "bit varying") + Modifier(type.Length);

    public override string CatalogName(PgType type) => type.Kind == PgTypeKind.Bit ? "bit" : "varbit";

    public override uint Oid(PgType type) => type.Kind == PgTypeKind.Bit ? 1560u : 1562u;

    public override ColumnSlots CreateSlots(PgType type, int capacity) => new BitSlots(capacity);

    public override bool PlainText => true;
}

/// <summary>bit(n), varbit: the bits.</summary>
internal sealed class BitSlots(int capacity) : ColumnSlots(capacity)
{
    public BitArray?[] Values { get; } = new BitArray?[capacity];

    protected override void WriteValue(BinaryCopyWriter writer, int row) => writer.WriteBits(Values[row]!);

    protected override string RenderValue(int row) => CanonicalText.Bits(Values[row]!);

    public override void Reset() => Array.Clear(Values);
}
