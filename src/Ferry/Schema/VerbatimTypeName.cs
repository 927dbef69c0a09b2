namespace Ferry.Schema;

/// <summary>
/// A column type as a PostgreSQL source names it: <paramref name="Sql"/> for the target's DDL (<c>format_type</c>'s
/// text, with a copied type's schema mapped), <paramref name="CatalogName"/> its <c>pg_type.typname</c> (of the element
/// for an array, with <c>[]</c>), and its type OID in the source.
/// </summary>
public sealed record VerbatimTypeName(string Sql, string CatalogName, uint Oid);
