namespace Ferry.Copy;

/// <summary>A foreign key whose validation failed: it stays NOT VALID; these child keys have no parent.</summary>
public sealed record ForeignKeyOrphans(string Table, string Constraint, IReadOnlyList<string> Columns, string ReferencedTable, long Rows, IReadOnlyList<string> Keys);
