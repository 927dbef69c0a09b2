using Ferry.Schema;

namespace Ferry.Types;

/// <summary>
/// A PostgreSQL source's column type, copied as the server names it: the DDL is the source's own type text, and a
/// value is the source server's binary COPY field, written to the target unchanged (the same type on both ends).
/// </summary>
internal sealed class VerbatimType : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Verbatim];

    public override IReadOnlyList<string> CatalogNames => [];

    public override string ToSql(PgType type) => Name(type).Sql;

    public override string CatalogName(PgType type) => Name(type).CatalogName;

    public override uint Oid(PgType type) => Name(type).Oid;

    public override ColumnSlots CreateSlots(PgType type, int capacity) => new BinaryFieldSlots(capacity, type.Verbatim);

    static VerbatimTypeName Name(PgType type) =>
        type.Verbatim ?? throw new InvalidOperationException("A verbatim type carries the source's type name.");
}
