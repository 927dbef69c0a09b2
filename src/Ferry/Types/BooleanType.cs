using Ferry.Schema;

namespace Ferry.Types;

/// <summary>boolean: one byte; canonical text t/f.</summary>
internal sealed class BooleanType : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Boolean];

    public override IReadOnlyList<string> CatalogNames => ["bool"];

    public override string ToSql(PgType type) => "boolean";

    public override uint Oid(PgType type) => 16;

    public override ColumnSlots CreateSlots(PgType type, int capacity) => new ValueSlots<bool>(capacity);

    public override string CanonicalSql(string x, string typeName, bool hasTrimScale) => $"CASE {x} WHEN true THEN 't' WHEN false THEN 'f' END";

    public override bool PlainText => true;
}
