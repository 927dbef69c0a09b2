namespace Ferry.Schema;

/// <summary>
/// An object of a PostgreSQL source other than a table that the copy makes on the target (an extension, a type, a
/// function, a sequence, a sequence's owner, a trigger), with its DDL already in the target's names. Its
/// <see cref="Kind"/> says where in the copy's steps it runs; objects of one stage run in the model's order.
/// </summary>
public sealed record ServerObject(ServerObjectKind Kind, string Schema, string Name, IReadOnlyList<string> Sql)
{
    /// <summary>--replace: drops it where it exists (null: it goes with its table, or is never dropped).</summary>
    public string? DropSql { get; init; }

    /// <summary>An extension's: the source's columns and objects that need it, to name them when the target cannot install it.</summary>
    public IReadOnlyList<string> NeededBy { get; init; } = [];

    /// <summary>How the catalog names it (<c>schema.name</c>), to find it there and to name it to people.</summary>
    public string DisplayName => Schema + "." + Name;
}
