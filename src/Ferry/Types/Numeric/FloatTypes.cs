using Ferry.Schema;

namespace Ferry.Types.Numeric;

/// <summary>real, double precision: IEEE 754, big-endian; canonical text in <see cref="FloatText"/>.</summary>
internal sealed class FloatTypes : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Real, PgTypeKind.DoublePrecision];

    public override IReadOnlyList<string> CatalogNames => ["float4", "float8"];

    public override string ToSql(PgType type) => type.Kind == PgTypeKind.Real ? "real" : "double precision";

    public override string CatalogName(PgType type) => type.Kind == PgTypeKind.Real ? "float4" : "float8";

    public override uint Oid(PgType type) => type.Kind == PgTypeKind.Real ? 700u : 701u;

    public override ColumnSlots CreateSlots(PgType type, int capacity) =>
        type.Kind == PgTypeKind.Real ? new ValueSlots<float>(capacity) : new ValueSlots<double>(capacity);

    public override bool PlainText => true;
}
