using System.Globalization;
using System.Text;

namespace Ferry.Sources.DuckDb.Native;

/// <summary>A field of a STRUCT, a member of a UNION, or MAP's key/value.</summary>
internal sealed record DuckDbField(string Name, DuckDbTypeInfo Type);

/// <summary>
/// A DuckDB logical type copied out of its native handle once (per column, not per value): id, DECIMAL width
/// and scale, ENUM dictionary, LIST/ARRAY element, STRUCT/UNION/MAP members, alias (JSON), GEOMETRY's coordinate system.
/// </summary>
internal sealed class DuckDbTypeInfo
{
    public required DuckDbType Id { get; init; }

    /// <summary>The alias of a user type or of JSON (a VARCHAR aliased "JSON").</summary>
    public string? Alias { get; init; }

    public byte Width { get; init; }

    public byte Scale { get; init; }

    /// <summary>The physical type of a DECIMAL (SMALLINT…HUGEINT) or ENUM index (UTINYINT…UINTEGER).</summary>
    public DuckDbType Internal { get; init; }

    public string[] EnumLabels { get; init; } = [];

    /// <summary>Element of a LIST or ARRAY; for a MAP, its entry STRUCT(key, value).</summary>
    public DuckDbTypeInfo? Child { get; init; }

    public int ArraySize { get; init; }

    /// <summary>A GEOMETRY's coordinate reference system (<c>OGC:CRS84</c>, <c>EPSG:4326</c>, PROJJSON…), when it has one.</summary>
    public string? Crs { get; init; }

    /// <summary>STRUCT fields, UNION members, MAP key and value.</summary>
    public DuckDbField[] Fields { get; init; } = [];

    /// <summary>A VARCHAR of a number's exact decimal digits (a nested BIGNUM, cast so in the query): a number in JSON.</summary>
    public bool IsNumberText { get; init; }

    public bool IsJson => Id == DuckDbType.Varchar && string.Equals(Alias, "JSON", StringComparison.OrdinalIgnoreCase);

    /// <summary>Holds nested values (rendered as JSON when not a flat list).</summary>
    public bool IsNested => Id is DuckDbType.List or DuckDbType.Array or DuckDbType.Struct or DuckDbType.Map or DuckDbType.Union;

    /// <summary>This type, or one nested anywhere inside it, matches <paramref name="match"/>.</summary>
    public bool Contains(Func<DuckDbTypeInfo, bool> match) =>
        match(this) || (Child?.Contains(match) ?? false) || Fields.Any(f => f.Type.Contains(match));

    /// <summary>Reads a logical type handle (not destroyed here).</summary>
    public static DuckDbTypeInfo From(IntPtr type)
    {
        var id = NativeMethods.duckdb_get_type_id(type);
        var alias = NativeMethods.TakeUtf8(NativeMethods.duckdb_logical_type_get_alias(type));
        switch (id)
        {
            case DuckDbType.Decimal:
                return new DuckDbTypeInfo
                {
                    Id = id, Alias = alias,
                    Width = NativeMethods.duckdb_decimal_width(type),
                    Scale = NativeMethods.duckdb_decimal_scale(type),
                    Internal = NativeMethods.duckdb_decimal_internal_type(type),
                };
            case DuckDbType.Enum:
                var labels = new string[NativeMethods.duckdb_enum_dictionary_size(type)];
                for (var i = 0; i < labels.Length; i++)
                    labels[i] = NativeMethods.TakeUtf8(NativeMethods.duckdb_enum_dictionary_value(type, (ulong)i)) ?? "";
                return new DuckDbTypeInfo { Id = id, Alias = alias, Internal = NativeMethods.duckdb_enum_internal_type(type), EnumLabels = labels };
            case DuckDbType.List:
                return new DuckDbTypeInfo { Id = id, Alias = alias, Child = Take(NativeMethods.duckdb_list_type_child_type(type)) };
            case DuckDbType.Array:
                return new DuckDbTypeInfo
                {
                    Id = id, Alias = alias,
                    Child = Take(NativeMethods.duckdb_array_type_child_type(type)),
                    ArraySize = checked((int)NativeMethods.duckdb_array_type_array_size(type)),
                };
            case DuckDbType.Map:
                var key = Take(NativeMethods.duckdb_map_type_key_type(type));
                var value = Take(NativeMethods.duckdb_map_type_value_type(type));
                DuckDbField[] entry = [new("key", key), new("value", value)];
                return new DuckDbTypeInfo
                {
                    Id = id, Alias = alias, Fields = entry,
                    Child = new DuckDbTypeInfo { Id = DuckDbType.Struct, Fields = entry },
                };
            case DuckDbType.Struct:
                return new DuckDbTypeInfo
                {
                    Id = id, Alias = alias,
                    Fields = Members(type, NativeMethods.duckdb_struct_type_child_count(type), NativeMethods.duckdb_struct_type_child_name, NativeMethods.duckdb_struct_type_child_type),
                };
            case DuckDbType.Union:
                return new DuckDbTypeInfo
                {
                    Id = id, Alias = alias,
                    Fields = Members(type, NativeMethods.duckdb_union_type_member_count(type), NativeMethods.duckdb_union_type_member_name, NativeMethods.duckdb_union_type_member_type),
                };
            case DuckDbType.Geometry:
                return new DuckDbTypeInfo { Id = id, Alias = alias, Crs = NativeMethods.TakeUtf8(NativeMethods.duckdb_geometry_type_get_crs(type)) is { Length: > 0 } crs ? crs : null };
            default:
                return new DuckDbTypeInfo { Id = id, Alias = alias };
        }
    }

    static DuckDbField[] Members(IntPtr type, ulong count, Func<IntPtr, ulong, IntPtr> name, Func<IntPtr, ulong, IntPtr> memberType)
    {
        var members = new DuckDbField[count];
        for (var i = 0UL; i < count; i++)
            members[i] = new DuckDbField(NativeMethods.TakeUtf8(name(type, i)) ?? "", Take(memberType(type, i)));
        return members;
    }

    /// <summary>Reads and destroys a logical type handle.</summary>
    public static DuckDbTypeInfo Take(IntPtr type)
    {
        try
        {
            return From(type);
        }
        finally
        {
            NativeMethods.duckdb_destroy_logical_type(ref type);
        }
    }

    /// <summary>The type as DuckDB spells it: <c>DECIMAL(18,3)</c>, <c>INTEGER[]</c>, <c>STRUCT(a INTEGER)</c>.</summary>
    public string ToSql()
    {
        var sb = new StringBuilder();
        Write(sb);
        return sb.ToString();
    }

    void Write(StringBuilder sb)
    {
        if (IsJson)
        {
            sb.Append("JSON");
            return;
        }

        switch (Id)
        {
            case DuckDbType.Decimal:
                sb.Append(CultureInfo.InvariantCulture, $"DECIMAL({Width},{Scale})");
                break;
            case DuckDbType.Enum:
                if (Alias is { Length: > 0 })
                {
                    sb.Append(Alias);
                    break;
                }

                sb.Append("ENUM(").AppendJoin(", ", EnumLabels.Select(Schema.Identifiers.StandardLiteral)).Append(')');
                break;
            case DuckDbType.List:
                Child!.Write(sb);
                sb.Append("[]");
                break;
            case DuckDbType.Array:
                Child!.Write(sb);
                sb.Append(CultureInfo.InvariantCulture, $"[{ArraySize}]");
                break;
            case DuckDbType.Map:
                sb.Append("MAP(");
                Fields[0].Type.Write(sb);
                sb.Append(", ");
                Fields[1].Type.Write(sb);
                sb.Append(')');
                break;
            case DuckDbType.Struct or DuckDbType.Union:
                sb.Append(Id == DuckDbType.Struct ? "STRUCT(" : "UNION(");
                for (var i = 0; i < Fields.Length; i++)
                {
                    if (i > 0)
                        sb.Append(", ");
                    sb.Append(QuoteName(Fields[i].Name)).Append(' ');
                    Fields[i].Type.Write(sb);
                }

                sb.Append(')');
                break;
            case DuckDbType.Geometry when Crs is not null:
                sb.Append("GEOMETRY('").Append(Crs.Replace("'", "''", StringComparison.Ordinal)).Append("')");
                break;
            default:
                sb.Append(Name(Id));
                break;
        }
    }

    static string QuoteName(string name) =>
        name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && name.Length > 0 && !char.IsAsciiDigit(name[0])
            ? name
            : "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string Name(DuckDbType id) => id switch
    {
        DuckDbType.Boolean => "BOOLEAN",
        DuckDbType.TinyInt => "TINYINT",
        DuckDbType.SmallInt => "SMALLINT",
        DuckDbType.Integer => "INTEGER",
        DuckDbType.BigInt => "BIGINT",
        DuckDbType.UTinyInt => "UTINYINT",
        DuckDbType.USmallInt => "USMALLINT",
        DuckDbType.UInteger => "UINTEGER",
        DuckDbType.UBigInt => "UBIGINT",
        DuckDbType.Float => "FLOAT",
        DuckDbType.Double => "DOUBLE",
        DuckDbType.Timestamp => "TIMESTAMP",
        DuckDbType.Date => "DATE",
        DuckDbType.Time => "TIME",
        DuckDbType.Interval => "INTERVAL",
        DuckDbType.HugeInt => "HUGEINT",
        DuckDbType.UHugeInt => "UHUGEINT",
        DuckDbType.Varchar => "VARCHAR",
        DuckDbType.Blob => "BLOB",
        DuckDbType.TimestampS => "TIMESTAMP_S",
        DuckDbType.TimestampMs => "TIMESTAMP_MS",
        DuckDbType.TimestampNs => "TIMESTAMP_NS",
        DuckDbType.Uuid => "UUID",
        DuckDbType.Bit => "BIT",
        DuckDbType.TimeTz => "TIME WITH TIME ZONE",
        DuckDbType.TimestampTz => "TIMESTAMP WITH TIME ZONE",
        DuckDbType.BigNum => "BIGNUM",
        DuckDbType.SqlNull => "\"NULL\"",
        DuckDbType.TimeNs => "TIME_NS",
        DuckDbType.Geometry => "GEOMETRY",
        DuckDbType.Variant => "VARIANT",
        DuckDbType.Invalid => "INVALID",
        DuckDbType.Any => "ANY",
        DuckDbType.StringLiteral => "STRING_LITERAL",
        DuckDbType.IntegerLiteral => "INTEGER_LITERAL",
        _ => string.Create(CultureInfo.InvariantCulture, $"id {(int)id} (newer than this Ferry knows)"),
    };
}
