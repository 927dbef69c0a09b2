using Ferry.Schema;
using NpgsqlTypes;

namespace Ferry.Types.Temporal;

/// <summary>interval: microseconds, days, months, each kept apart as PostgreSQL keeps them.</summary>
internal sealed class IntervalType : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Interval];

    public override IReadOnlyList<string> CatalogNames => ["interval"];

    public override string ToSql(PgType type) => "interval";

    public override uint Oid(PgType type) => 1186;

    public override ColumnSlots CreateSlots(PgType type, int capacity) => new ValueSlots<NpgsqlInterval>(capacity);

    public override bool PlainText => true;
}
