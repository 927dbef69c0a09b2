using Ferry.Schema;

namespace Ferry.Types.Temporal;

/// <summary>time(p): microseconds since midnight; timetz(p): those of the local time, then the zone in seconds west of UTC.</summary>
internal sealed class TimeTypes : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Time, PgTypeKind.TimeTz];

    public override IReadOnlyList<string> CatalogNames => ["time", "timetz"];

    public override string ToSql(PgType type) =>
        "time" + Modifier(type.Precision) + (type.Kind == PgTypeKind.TimeTz ? " with time zone" : " without time zone");

    public override string CatalogName(PgType type) => type.Kind == PgTypeKind.TimeTz ? "timetz" : "time";

    public override uint Oid(PgType type) => type.Kind == PgTypeKind.TimeTz ? 1266u : 1083u;

    public override ColumnSlots CreateSlots(PgType type, int capacity) =>
        type.Kind == PgTypeKind.TimeTz ? new ValueSlots<DateTimeOffset>(capacity) : new ValueSlots<TimeSpan>(capacity);

    public override bool PlainText => true;
}
