using Ferry.Schema;
using Ferry.Sources.DuckDb.Native;

namespace Ferry.Sources.DuckDb;

/// <summary>A DuckDB column's PostgreSQL type, the rule that chose it, and why it cannot be copied or what to know about it.</summary>
internal sealed record DuckDbColumnMapping(PgType Type, string Rule, string? Refusal = null, string? Note = null);

/// <summary>
/// DuckDB → PostgreSQL type rules, as data: one row per DuckDB type, read top to bottom. The rule text is what
/// <c>--dry-run</c> shows next to each column.
/// </summary>
internal static class DuckDbTypeMapping
{
    sealed record Rule(string Text, Func<DuckDbTypeInfo, PgType> Target);

    static readonly Dictionary<DuckDbType, Rule> Scalars = new()
    {
        [DuckDbType.Boolean] = new("BOOLEAN → boolean", _ => PgType.Boolean),
        [DuckDbType.TinyInt] = new("TINYINT → smallint", _ => PgType.SmallInt),
        [DuckDbType.SmallInt] = new("SMALLINT → smallint", _ => PgType.SmallInt),
        [DuckDbType.Integer] = new("INTEGER → integer", _ => PgType.Integer),
        [DuckDbType.BigInt] = new("BIGINT → bigint", _ => PgType.BigInt),
        [DuckDbType.UTinyInt] = new("UTINYINT → smallint (next wider signed type)", _ => PgType.SmallInt),
        [DuckDbType.USmallInt] = new("USMALLINT → integer (next wider signed type)", _ => PgType.Integer),
        [DuckDbType.UInteger] = new("UINTEGER → bigint (next wider signed type)", _ => PgType.BigInt),
        [DuckDbType.UBigInt] = new("UBIGINT → numeric(20,0)", _ => PgType.NumericOf(20, 0)),
        [DuckDbType.HugeInt] = new("HUGEINT → numeric", _ => PgType.Numeric),
        [DuckDbType.UHugeInt] = new("UHUGEINT → numeric", _ => PgType.Numeric),
        [DuckDbType.BigNum] = new("BIGNUM → numeric", _ => PgType.Numeric),
        [DuckDbType.Decimal] = new("DECIMAL(p,s) → numeric(p,s)", t => PgType.NumericOf(t.Width, t.Scale)),
        [DuckDbType.Float] = new("FLOAT → real (Parquet float16 arrives as FLOAT)", _ => PgType.Real),
        [DuckDbType.Double] = new("DOUBLE → double precision", _ => PgType.DoublePrecision),
        [DuckDbType.Date] = new("DATE → date", _ => PgType.Date),
        [DuckDbType.Time] = new("TIME → time", _ => PgType.Time),
        [DuckDbType.TimeNs] = new("TIME_NS → time (nanoseconds rounded to microseconds and reported)", _ => PgType.Time),
        [DuckDbType.TimeTz] = new("TIME_TZ → timetz", _ => PgType.TimeTz),
        [DuckDbType.Timestamp] = new("TIMESTAMP → timestamp", _ => PgType.Timestamp),
        [DuckDbType.TimestampS] = new("TIMESTAMP_S → timestamp", _ => PgType.Timestamp),
        [DuckDbType.TimestampMs] = new("TIMESTAMP_MS → timestamp", _ => PgType.Timestamp),
        [DuckDbType.TimestampNs] = new("TIMESTAMP_NS → timestamp (nanoseconds rounded to microseconds and reported)", _ => PgType.Timestamp),
        [DuckDbType.TimestampTz] = new("TIMESTAMPTZ → timestamptz (the instant)", _ => PgType.TimestampTz),
        [DuckDbType.Interval] = new("INTERVAL → interval", _ => PgType.Interval),
        [DuckDbType.Uuid] = new("UUID → uuid", _ => PgType.Uuid),
        [DuckDbType.Varchar] = new("VARCHAR → text", t => t.IsJson ? PgType.Jsonb : PgType.Text),
        [DuckDbType.Blob] = new("BLOB → bytea", _ => PgType.Bytea),
        [DuckDbType.Bit] = new("BIT → varbit", _ => new PgType(PgTypeKind.VarBit)),
        [DuckDbType.SqlNull] = new("NULL → text (every value is NULL)", _ => PgType.Text),
        [DuckDbType.Variant] = new("VARIANT → jsonb (DuckDB's JSON form of each value)", _ => PgType.Jsonb),
        [DuckDbType.Geometry] = new("GEOMETRY → geometry, with the SRID its CRS names (bytea holding the WKB where the target has no postgis)", t => PgType.GeometryOf(GeometryCrs.Srid(t.Crs))),
    };

    const string JsonRule = "JSON → jsonb";
    const string NestedRule = "STRUCT, MAP, UNION, nested LIST/ARRAY → jsonb (a GEOMETRY inside as WKT text, a VARIANT as JSON)";
    const string ListRule = "LIST/ARRAY of scalars → array of the element's type";
    const string EnumRule = "ENUM → PostgreSQL enum type";
    const string UnmappedRule = "no PostgreSQL type: refused unless --cast";

    /// <summary>
    /// The target type and rule for a column; <paramref name="enumTypeName"/> names a new enum type (quoted, qualified).
    /// A type with no faithful PostgreSQL type (DuckDB's ANY, literal and invalid types, ids newer than Ferry) maps to
    /// text with a refusal naming the source (file), table, column and type, and the --cast that loads its text form:
    /// the planner refuses it unless that cast is given.
    /// </summary>
    public static DuckDbColumnMapping Map(DuckDbTypeInfo type, Func<string> enumTypeName, string source, string table, string column)
    {
        if (Unmapped(type) is { } inner)
        {
            var what = inner == type ? $"DuckDB type {type.ToSql()}" : $"DuckDB type {type.ToSql()} holds {inner.ToSql()}, which";
            return new(PgType.Text, UnmappedRule,
                $"{source}, table {table}, column {column}: {what} has no PostgreSQL mapping. --cast {table}.{column}=text loads DuckDB's text form of its values; or leave the column out of the source.");
        }

        var (pgType, rule) = Map(type, enumTypeName);
        var note = type.Id == DuckDbType.Geometry && type.Crs is { } crs && pgType.Srid is null
            ? $"Column {column}: its coordinate reference system {Shortened(crs)} names no EPSG code, so its geometries get SRID 0; set one with ST_SetSRID after the copy."
            : null;
        return new(pgType, rule, Refusal: null, note);
    }

    static string Shortened(string text) => text.Length <= 80 ? text : text[..77] + "...";

    /// <summary>A type Ferry maps by itself (a nested type's members aside).</summary>
    static bool IsMapped(DuckDbTypeInfo type) =>
        type.IsJson || type.IsNested || type.Id == DuckDbType.Enum || Scalars.ContainsKey(type.Id);

    /// <summary>The first type in <paramref name="type"/> (itself included) that Ferry cannot map, or null.</summary>
    static DuckDbTypeInfo? Unmapped(DuckDbTypeInfo? type) =>
        type is null ? null
        : !IsMapped(type) ? type
        : Unmapped(type.Child) ?? type.Fields.Select(f => Unmapped(f.Type)).FirstOrDefault(t => t is not null);

    /// <summary>Whether Ferry maps this type, and every type inside it.</summary>
    public static bool IsMappedThroughout(DuckDbTypeInfo type) => Unmapped(type) is null;

    static (PgType Type, string Rule) Map(DuckDbTypeInfo type, Func<string> enumTypeName)
    {
        if (type.IsJson)
            return (PgType.Jsonb, JsonRule);
        if (type.Id == DuckDbType.Enum)
            return (PgType.EnumOf(enumTypeName()), EnumRule);
        if (type.Id is DuckDbType.List or DuckDbType.Array)
        {
            return ElementType(type.Child!) is { } element
                ? (PgType.ArrayOf(element), ListRule)
                : (PgType.Jsonb, NestedRule);
        }

        if (type.IsNested)
            return (PgType.Jsonb, NestedRule);
        var rule = Scalars[type.Id];
        return (rule.Target(type), rule.Text);
    }

    /// <summary>
    /// A list element's PostgreSQL type, or null when the list must become jsonb (nested, JSON, NULL, BIGNUM, VARIANT,
    /// and GEOMETRY: a binary COPY of a geometry[] would need PostGIS's type id in every array).
    /// </summary>
    public static PgType? ElementType(DuckDbTypeInfo element)
    {
        if (element.IsJson || element.IsNested || element.Id is DuckDbType.SqlNull or DuckDbType.BigNum or DuckDbType.Variant or DuckDbType.Geometry)
            return null;
        if (element.Id == DuckDbType.Enum)
            return PgType.Text; // Labels; an array of a new enum type is not worth its DDL.
        return Scalars.TryGetValue(element.Id, out var rule) ? rule.Target(element) : null;
    }
}
