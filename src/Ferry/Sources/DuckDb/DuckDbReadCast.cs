using Ferry.Schema;
using Ferry.Sources.DuckDb.Native;

namespace Ferry.Sources.DuckDb;

/// <summary>
/// What DuckDB hands over for a column whose storage the C API does not expose as values: the select-list expression
/// that converts it in DuckDB, and the type of what comes out. BIGNUM as its exact digits; GEOMETRY as WKB (or WKT
/// for a text target); VARIANT as its JSON; a nested type holding them with each converted in place (GEOMETRY as WKT
/// text, VARIANT as JSON, BIGNUM as its digits, which the JSON takes as a number: DuckDB's BIGNUM → JSON goes through a double); a type Ferry does not map (loaded under a --cast to text) as DuckDB's text form.
/// Every other column is read as it is stored.
/// </summary>
internal static class DuckDbReadCast
{
    static readonly DuckDbTypeInfo Varchar = new() { Id = DuckDbType.Varchar };
    static readonly DuckDbTypeInfo Json = new() { Id = DuckDbType.Varchar, Alias = "JSON" };
    static readonly DuckDbTypeInfo Blob = new() { Id = DuckDbType.Blob };
    static readonly DuckDbTypeInfo NumberText = new() { Id = DuckDbType.Varchar, IsNumberText = true };

    /// <summary>The expression selecting <paramref name="quotedName"/> for <paramref name="target"/>, and the type DuckDB hands over.</summary>
    public static (string Sql, DuckDbTypeInfo Type) For(string quotedName, DuckDbTypeInfo declared, PgType target)
    {
        if (!DuckDbTypeMapping.IsMappedThroughout(declared))
            return ($"{quotedName}::VARCHAR", Varchar);
        var text = target.Kind is PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Char;
        switch (declared.Id)
        {
            case DuckDbType.BigNum:
                return ($"{quotedName}::VARCHAR", Varchar); // BIGNUM's storage is DuckDB-internal; its decimal text is exact.
            case DuckDbType.Geometry:
                return text ? ($"ST_AsText({quotedName})", Varchar) : ($"ST_AsWKB({quotedName})", Blob);
            case DuckDbType.Variant:
                // DuckDB casts a NULL VARIANT (which it does not tell from a JSON null) to the JSON text null: kept NULL.
                return ($"CASE WHEN {quotedName} IS NULL THEN NULL ELSE {quotedName}::JSON END", Json);
        }

        if (!declared.IsNested || !declared.Contains(NeedsConversion))
            return (quotedName, declared);
        var converted = Converted(declared);
        return ($"CAST({quotedName} AS {converted.ToSql()})", converted);
    }

    /// <summary>The type DuckDB hands over for a column declared <paramref name="declared"/> written as <paramref name="target"/>.</summary>
    public static DuckDbTypeInfo ReadType(DuckDbTypeInfo declared, PgType target) => For("x", declared, target).Type;

    static bool NeedsConversion(DuckDbTypeInfo type) => type.Id is DuckDbType.Geometry or DuckDbType.Variant or DuckDbType.BigNum;

    /// <summary>A nested type with each member that needs it converted: GEOMETRY to VARCHAR (WKT), VARIANT to JSON, BIGNUM to its digits.</summary>
    static DuckDbTypeInfo Converted(DuckDbTypeInfo type) => type.Id switch
    {
        DuckDbType.Geometry => Varchar,
        DuckDbType.Variant => Json,
        DuckDbType.BigNum => NumberText,
        _ when !type.IsNested || !type.Contains(NeedsConversion) => type,
        _ => new DuckDbTypeInfo
        {
            Id = type.Id,
            Alias = type.Alias,
            ArraySize = type.ArraySize,
            Child = type.Child is { } child ? Converted(child) : null,
            Fields = [.. type.Fields.Select(f => f with { Type = Converted(f.Type) })],
        },
    };
}
