namespace Ferry.Schema;

/// <summary>
/// A column type as a PostgreSQL source names it: <paramref name="Sql"/> for the target's DDL (<c>format_type</c>'s
/// text, with a copied type's schema mapped), <paramref name="CatalogName"/> its <c>pg_type.typname</c> (of the element
/// for an array, with <c>[]</c>), and its type OID in the source.
/// </summary>
public sealed record VerbatimTypeName(string Sql, string CatalogName, uint Oid)
{
    /// <summary>
    /// For a type whose values are text (text, varchar, char, citext, an enum, a domain over one): the built-in type a
    /// step's rewritten values are written as (<c>varchar(20)</c>; an enum's labels as <see cref="PgTypeKind.Enum"/>);
    /// null for the others. Such a type's binary COPY form is its text, so the column keeps the source's type.
    /// </summary>
    public PgType? Text { get; init; }
}
