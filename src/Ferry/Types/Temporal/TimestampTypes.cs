using Ferry.Copy.Internal;
using Ferry.Internal;
using Ferry.Schema;

namespace Ferry.Types.Temporal;

/// <summary>timestamp(p), timestamptz(p): microseconds since 2000-01-01 (the UTC instant for timestamptz), ±infinity.</summary>
internal sealed class TimestampTypes : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Timestamp, PgTypeKind.TimestampTz];

    public override IReadOnlyList<string> CatalogNames => ["timestamp", "timestamptz"];

    public override string ToSql(PgType type) =>
        "timestamp" + Modifier(type.Precision) + (type.Kind == PgTypeKind.TimestampTz ? " with time zone" : " without time zone");

    public override string CatalogName(PgType type) => type.Kind == PgTypeKind.TimestampTz ? "timestamptz" : "timestamp";

    public override uint Oid(PgType type) => type.Kind == PgTypeKind.TimestampTz ? 1184u : 1114u;

    public override ColumnSlots CreateSlots(PgType type, int capacity) => new TimestampSlots(capacity, withTimeZone: type.Kind == PgTypeKind.TimestampTz);

    public override bool PlainText => true;
}

/// <summary>timestamp, timestamptz as PostgreSQL stores them: microseconds since 2000-01-01 (the UTC instant for timestamptz), or ±infinity.</summary>
internal sealed class TimestampSlots(int capacity, bool withTimeZone) : ColumnSlots(capacity)
{
    public long[] Values { get; } = new long[capacity];

    /// <summary>timestamptz (the UTC instant), else timestamp.</summary>
    public bool WithTimeZone => withTimeZone;

    protected override void WriteValue(BinaryCopyWriter writer, int row) => writer.WriteInt64(Values[row]);

    protected override string RenderValue(int row) => PgTemporal.TimestampText(Values[row]);
}
