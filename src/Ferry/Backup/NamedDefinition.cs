namespace Ferry.Backup;

/// <summary>
/// A catalog object of a table or around it, by name, with the SQL that defines it: a constraint's body
/// (<c>pg_get_constraintdef</c>), a whole <c>CREATE INDEX</c>/<c>CREATE TRIGGER</c>, a type's or a view's <c>CREATE</c>.
/// <see cref="Schema"/> and <see cref="Table"/> name where it lives when that is not the table itself (an incoming
/// foreign key's table; a type's or view's schema); <see cref="Referenced"/> is a foreign key's referenced table
/// (schema-qualified, quoted as in <see cref="Sql"/>); <see cref="Depth"/> orders views built on views.
/// </summary>
public sealed record NamedDefinition
{
    public required string Name { get; init; }

    public required string Sql { get; init; }

    public string? Schema { get; init; }

    public string? Table { get; init; }

    public string? Referenced { get; init; }

    public int Depth { get; init; }
}
