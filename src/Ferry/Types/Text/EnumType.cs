using Ferry.Copy.Internal;
using Ferry.Schema;

namespace Ferry.Types.Text;

/// <summary>A PostgreSQL enum created for the table: the label, written as text (arrays of enums as text arrays).</summary>
internal sealed class EnumType : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Enum];

    /// <summary>An enum's catalog name is its own.</summary>
    public override IReadOnlyList<string> CatalogNames => [];

    public override string CatalogName(PgType type) => type.EnumTypeName!;

    public override string ToSql(PgType type) => type.EnumTypeName!;

    public override uint Oid(PgType type) => 25;

    public override ColumnSlots CreateSlots(PgType type, int capacity) => new EnumSlots(capacity);
}

/// <summary>
/// A PostgreSQL enum: the label. An enum's binary form is its label's UTF-8 bytes, as text's is, and a binary COPY
/// names no types, so the label goes as text: no mapping of the enum type in Npgsql (which would need code
/// generated at run time, which the ahead-of-time compiled release cannot do).
/// </summary>
internal sealed class EnumSlots(int capacity) : ColumnSlots(capacity)
{
    public string?[] Values { get; } = new string?[capacity];

    protected override void WriteValue(BinaryCopyWriter writer, int row) => writer.WriteText(Values[row]!);

    protected override string RenderValue(int row) => Values[row] ?? "";

    public override void Reset() => Array.Clear(Values);
}
