using System.Globalization;
using System.Text;
using Ferry.Types;

namespace Ferry.Schema;

/// <summary>The PostgreSQL column types Ferry writes; each has one binary COPY writer.</summary>
public enum PgTypeKind
{
    Boolean,
    SmallInt,
    Integer,
    BigInt,
    Numeric,
    Real,
    DoublePrecision,
    Text,
    Varchar,
    Char,
    Bytea,
    Date,
    Time,
    TimeTz,
    Timestamp,
    TimestampTz,
    Interval,
    Uuid,
    Json,
    Jsonb,
    Bit,
    VarBit,
    /// <summary>A PostgreSQL enum type created for the table (<see cref="PgType.EnumTypeName"/>).</summary>
    Enum,
    /// <summary>A one-dimensional array of <see cref="PgType.Element"/>.</summary>
    Array,
    /// <summary>PostGIS <c>geometry</c>, written as WKB (where the target has no postgis, the copy makes it bytea).</summary>
    Geometry,
    /// <summary>A PostgreSQL source's column type kept as the server names it (<see cref="PgType.Verbatim"/>); values travel as its binary form.</summary>
    Verbatim,
}

/// <summary>A PostgreSQL column type with its modifiers: <c>numeric(10,2)</c>, <c>varchar(255)</c>, <c>bigint[]</c>.</summary>
public sealed record PgType
{
    public PgType(PgTypeKind kind, int? length = null, int? precision = null, int? scale = null, PgType? element = null, string? enumTypeName = null)
    {
        if (kind == PgTypeKind.Array && element is null)
            throw new ArgumentException("An array type needs an element type.", nameof(element));
        if (kind == PgTypeKind.Enum && string.IsNullOrEmpty(enumTypeName))
            throw new ArgumentException("An enum type needs its type name.", nameof(enumTypeName));
        Kind = kind;
        Length = length;
        Precision = precision;
        Scale = scale;
        Element = element;
        EnumTypeName = enumTypeName;
    }

    public PgTypeKind Kind { get; }

    /// <summary>varchar(n), char(n), bit(n), varbit(n).</summary>
    public int? Length { get; }

    /// <summary>numeric(p,s); timestamp(p), time(p), interval precision.</summary>
    public int? Precision { get; }

    public int? Scale { get; }

    public PgType? Element { get; }

    /// <summary>geometry's spatial reference id, which the copy gives each value (as EWKB); null for none (SRID 0).</summary>
    public int? Srid { get; init; }

    /// <summary>Quoted, schema-qualified name of an enum type (<c>public."mood"</c>).</summary>
    public string? EnumTypeName { get; }

    /// <summary>For <see cref="PgTypeKind.Verbatim"/>: the type as the source server names it, for the target's DDL.</summary>
    public VerbatimTypeName? Verbatim { get; init; }

    /// <summary>The handler of a type registered beyond <see cref="PgTypeKind"/> (<see cref="PgTypes.Register"/>); null for the kinds' own.</summary>
    internal PgTypeHandler? Handler { get; init; }

    public static readonly PgType Boolean = new(PgTypeKind.Boolean);
    public static readonly PgType SmallInt = new(PgTypeKind.SmallInt);
    public static readonly PgType Integer = new(PgTypeKind.Integer);
    public static readonly PgType BigInt = new(PgTypeKind.BigInt);
    public static readonly PgType Numeric = new(PgTypeKind.Numeric);
    public static readonly PgType Real = new(PgTypeKind.Real);
    public static readonly PgType DoublePrecision = new(PgTypeKind.DoublePrecision);
    public static readonly PgType Text = new(PgTypeKind.Text);
    public static readonly PgType Bytea = new(PgTypeKind.Bytea);
    public static readonly PgType Date = new(PgTypeKind.Date);
    public static readonly PgType Time = new(PgTypeKind.Time);
    public static readonly PgType TimeTz = new(PgTypeKind.TimeTz);
    public static readonly PgType Timestamp = new(PgTypeKind.Timestamp);
    public static readonly PgType TimestampTz = new(PgTypeKind.TimestampTz);
    public static readonly PgType Interval = new(PgTypeKind.Interval);
    public static readonly PgType Uuid = new(PgTypeKind.Uuid);
    public static readonly PgType Json = new(PgTypeKind.Json);
    public static readonly PgType Jsonb = new(PgTypeKind.Jsonb);
    public static readonly PgType Geometry = new(PgTypeKind.Geometry);

    public static PgType NumericOf(int precision, int scale) => new(PgTypeKind.Numeric, precision: precision, scale: scale);

    public static PgType VarcharOf(int? length) => new(PgTypeKind.Varchar, length: length);

    public static PgType CharOf(int length) => new(PgTypeKind.Char, length: length);

    public static PgType ArrayOf(PgType element) => new(PgTypeKind.Array, element: element);

    public static PgType GeometryOf(int? srid) => srid is null ? Geometry : Geometry with { Srid = srid };

    /// <summary>A PostgreSQL source's type, kept as its server names it (its values pass through in binary form).</summary>
    public static PgType VerbatimOf(VerbatimTypeName name) => new(PgTypeKind.Verbatim) { Verbatim = name };

    public static PgType EnumOf(string quotedTypeName) => new(PgTypeKind.Enum, enumTypeName: quotedTypeName);

    /// <summary>The type as written in DDL.</summary>
    public string ToSql() => PgTypes.For(this).ToSql(this);

    public override string ToString() => ToSql();

    /// <summary>Parses what <see cref="ToSql"/> writes, and the common spellings users type in overrides.</summary>
    public static PgType Parse(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        if (PgTypes.Parse(t) is { } registered)
            return registered;
        if (t.EndsWith("[]", StringComparison.Ordinal))
            return ArrayOf(Parse(t[..^2]));
        if (t == "geometry" || t.StartsWith("geometry(", StringComparison.Ordinal))
            return Geometry; // PostGIS: geometry(Point,4326) holds WKB as geometry does.
        var open = t.IndexOf('(', StringComparison.Ordinal);
        var name = (open >= 0 ? t[..open] : t).Trim();
        var suffix = "";
        int[] args = [];
        if (open >= 0)
        {
            var close = t.IndexOf(')', open);
            if (close < 0)
                throw new FerryException($"Type '{text}' has no closing parenthesis.");
            args = t[(open + 1)..close].Split(',').Select(a => int.Parse(a.Trim(), CultureInfo.InvariantCulture)).ToArray();
            suffix = t[(close + 1)..].Trim();
            if (suffix.Length > 0)
                name = name + " " + suffix;
        }

        int? A(int i) => args.Length > i ? args[i] : null;
        return Normalize(name) switch
        {
            "boolean" or "bool" => Boolean,
            "smallint" or "int2" => SmallInt,
            "integer" or "int" or "int4" => Integer,
            "bigint" or "int8" => BigInt,
            "numeric" or "decimal" => new PgType(PgTypeKind.Numeric, precision: A(0), scale: A(1)),
            "real" or "float4" => Real,
            "double precision" or "float8" or "double" => DoublePrecision,
            "text" => Text,
            "varchar" or "character varying" => VarcharOf(A(0)),
            "char" or "character" or "bpchar" => CharOf(A(0) ?? 1),
            "bytea" => Bytea,
            "date" => Date,
            "time" or "time without time zone" => new PgType(PgTypeKind.Time, precision: A(0)),
            "timetz" or "time with time zone" => new PgType(PgTypeKind.TimeTz, precision: A(0)),
            "timestamp" or "timestamp without time zone" => new PgType(PgTypeKind.Timestamp, precision: A(0)),
            "timestamptz" or "timestamp with time zone" => new PgType(PgTypeKind.TimestampTz, precision: A(0)),
            "interval" => Interval,
            "uuid" => Uuid,
            "json" => Json,
            "jsonb" => Jsonb,
            "bit" => new PgType(PgTypeKind.Bit, length: A(0) ?? 1),
            "varbit" or "bit varying" => new PgType(PgTypeKind.VarBit, length: A(0)),
            _ => throw new FerryException($"Unknown PostgreSQL type '{text}'. Use one of: boolean, smallint, integer, bigint, numeric(p,s), real, double precision, text, varchar(n), char(n), bytea, date, time, timetz, timestamp, timestamptz, interval, uuid, json, jsonb, bit(n), varbit, geometry (PostGIS), or T[]."),
        };

        static string Normalize(string n)
        {
            var sb = new StringBuilder();
            foreach (var part in n.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                sb.Append(sb.Length > 0 ? " " : "").Append(part);
            return sb.ToString();
        }
    }
}
