using Ferry.Schema;
using Ferry.Sources.DuckDb.Native;

namespace Ferry.Sources.DuckDb;

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
    };

    const string JsonRule = "JSON → jsonb";
    const string NestedRule = "STRUCT, MAP, UNION, nested LIST/ARRAY → jsonb";
    const string ListRule = "LIST/ARRAY of scalars → array of the element's type";
    const string EnumRule = "ENUM → PostgreSQL enum type";

    /// <summary>The target type and rule for a column; <paramref name="enumTypeName"/> names a new enum type (quoted, qualified).</summary>
    public static (PgType Type, string Rule) Map(DuckDbTypeInfo type, Func<string> enumTypeName)
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
        if (Scalars.TryGetValue(type.Id, out var rule))
            return (rule.Target(type), rule.Text);
        throw new FerryException($"DuckDB type {type.ToSql()} has no PostgreSQL mapping.");
    }

    /// <summary>A list element's PostgreSQL type, or null when the list must become jsonb (nested, JSON, NULL).</summary>
    public static PgType? ElementType(DuckDbTypeInfo element)
    {
        if (element.IsJson || element.IsNested || element.Id is DuckDbType.SqlNull or DuckDbType.BigNum)
            return null;
        if (element.Id == DuckDbType.Enum)
            return PgType.Text; // Labels; an array of a new enum type is not worth its DDL.
        return Scalars.TryGetValue(element.Id, out var rule) ? rule.Target(element) : null;
    }
}
