using Ferry.Schema;

namespace Ferry.Types;

/// <summary>uuid: 16 bytes, big-endian.</summary>
internal sealed class UuidType : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Uuid];

    public override IReadOnlyList<string> CatalogNames => ["uuid"];

    public override string ToSql(PgType type) => "uuid";

    public override uint Oid(PgType type) => 2950;

    public override ColumnSlots CreateSlots(PgType type, int capacity) => new ValueSlots<Guid>(capacity);

    public override bool PlainText => true;
}
