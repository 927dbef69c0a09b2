using Ferry.Schema;

namespace Ferry.Types.Binary;

/// <summary>PostGIS geometry: its binary input takes WKB (EWKB with the SRID the copy adds); canonical text <c>SRID:WKB in hex</c>.</summary>
internal sealed class GeometryType : PgTypeHandler
{
    public override IReadOnlyList<PgTypeKind> Kinds => [PgTypeKind.Geometry];

    public override IReadOnlyList<string> CatalogNames => ["geometry"];

    /// <summary>The SRID travels with each value: a typmod would also fix the dimensions.</summary>
    public override string ToSql(PgType type) => "geometry";

    public override uint Oid(PgType type) => throw new InvalidOperationException("No binary COPY writer for arrays of geometry.");

    public override ColumnSlots CreateSlots(PgType type, int capacity) => new ByteSlots(capacity);

    /// <summary>PostGIS: the SRID, and ISO little-endian WKB.</summary>
    public override string CanonicalSql(string x, string typeName, bool hasTrimScale) => $"ST_SRID({x})::text || ':' || encode(ST_AsBinary({x}), 'hex')";

    public override bool PlainText => true;
}
