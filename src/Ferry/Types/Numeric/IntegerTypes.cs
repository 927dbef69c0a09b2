using Ferry.Schema;

namespace Ferry.Types.Numeric;

/// <summary>smallint, integer, bigint: big-endian two's complement; a reader's wider integer is range-checked by the sink.</summary>
internal sealed class IntegerTypes : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.SmallInt, PgTypeKind.Integer, PgTypeKind.BigInt];

    public override IReadOnlyList<string> CatalogNames => ["int2", "int4", "int8"];

    public override string ToSql(PgType type) => type.Kind switch
    {
        PgTypeKind.SmallInt => "smallint",
        PgTypeKind.Integer => "integer",
        _ => "bigint",
    };

    public override string CatalogName(PgType type) => type.Kind switch
    {
        PgTypeKind.SmallInt => "int2",
        PgTypeKind.Integer => "int4",
        _ => "int8",
    };

    public override uint Oid(PgType type) => type.Kind switch
    {
        PgTypeKind.SmallInt => 21,
        PgTypeKind.Integer => 23,
        _ => 20,
    };

    public override ColumnSlots CreateSlots(PgType type, int capacity) => type.Kind switch
    {
        PgTypeKind.SmallInt => new ValueSlots<short>(capacity),
        PgTypeKind.Integer => new ValueSlots<int>(capacity),
        _ => new ValueSlots<long>(capacity),
    };

    public override bool PlainText => true;
}
