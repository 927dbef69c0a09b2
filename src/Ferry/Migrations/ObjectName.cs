using Ferry.Schema;

namespace Ferry.Migrations;

/// <summary>
/// A table, view or type named in SQL, as PostgreSQL reads the name: unquoted parts folded to lower case, quoted ones
/// as written. <see cref="Schema"/> is null when the statement left it to the search_path.
/// </summary>
public sealed record ObjectName(string? Schema, string Name)
{
    /// <summary>The name quoted where needed, for SQL.</summary>
    public string Sql => Schema is null ? Identifiers.Quote(Name) : Identifiers.Qualify(Schema, Name);

    /// <summary><c>schema.name</c> (or <c>name</c>), unquoted, as messages and the backup commands write it.</summary>
    public override string ToString() => Schema is null ? Name : Schema + "." + Name;
}
