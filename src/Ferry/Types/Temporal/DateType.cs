using Ferry.Copy.Internal;
using Ferry.Internal;
using Ferry.Schema;

namespace Ferry.Types.Temporal;

/// <summary>date: days since 2000-01-01, ±infinity as PostgreSQL stores them.</summary>
internal sealed class DateType : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Date];

    public override IReadOnlyList<string> CatalogNames => ["date"];

    public override string ToSql(PgType type) => "date";

    public override uint Oid(PgType type) => 1082;

    public override ColumnSlots CreateSlots(PgType type, int capacity) => new DateSlots(capacity);

    public override bool PlainText => true;
}

/// <summary>
/// date as PostgreSQL stores it (<see cref="PgTemporal"/>): days since 2000-01-01, or ±infinity, written as they are
/// (Npgsql would take DateOnly.MinValue/MaxValue, the real dates 0001-01-01 and 9999-12-31, for -infinity/infinity).
/// </summary>
internal sealed class DateSlots(int capacity) : ColumnSlots(capacity)
{
    public int[] Values { get; } = new int[capacity];

    protected override void WriteValue(BinaryCopyWriter writer, int row) => writer.WriteInt32(Values[row]);

    protected override string RenderValue(int row) => PgTemporal.DateText(Values[row]);
}
