using Ferry.Schema;
using Npgsql;

namespace Ferry.Sources.Postgres.Discovery;

/// <summary>
/// The enum, domain, composite and range types a copy makes, written from the catalog (Catalog/types.sql) in the
/// source's words and then moved to the target's schemas (<see cref="PostgresNames.MapQualified"/>).
/// </summary>
internal static class PostgresTypes
{
    static readonly string Sql = Internal.EmbeddedSql.Catalog(typeof(PostgresTypes), "types.sql");

    /// <summary>
    /// Each type of <paramref name="oids"/> → its object, or null when another type's CREATE makes it (an array, a
    /// multirange); a type that cannot be written (a base type outside an extension, a table's row type) is a note.
    /// </summary>
    public static async Task<Dictionary<long, ServerObject?>> ReadAsync(NpgsqlConnection connection, long[] oids, PostgresNames names, List<string> notes, CancellationToken cancellationToken)
    {
        var types = new Dictionary<long, ServerObject?>();
        if (oids.Length == 0)
            return types;
        foreach (var row in await PostgresServerObjects.QueryAsync(connection, Sql, cancellationToken, oids))
        {
            var oid = (long)row[0]!;
            var schema = (string)row[1]!;
            var name = (string)row[2]!;
            if ((bool)row[4]!)
            {
                types[oid] = null;
                continue;
            }

            var qualified = Identifiers.Qualify(schema, name);
            IReadOnlyList<string>? sql = (string)row[3]! switch
            {
                "e" => [$"CREATE TYPE {qualified} AS ENUM ({string.Join(", ", (string[])row[5]!)})"],
                "d" => Domain(qualified, row),
                "c" when (string?)row[13] == "c" => [$"CREATE TYPE {qualified} AS ({string.Join(", ", (string[])row[11]!)})"],
                "r" => [$"CREATE TYPE {qualified} AS RANGE ({row[12]})"],
                _ => null,
            };
            if (sql is null && (string)row[3]! == "c" && names.Makes(schema, name))
            {
                types[oid] = null; // a copied table's row type: the table makes it
                continue;
            }

            if (sql is null)
            {
                notes.Add($"type {schema}.{name} is not created: {((string)row[3]! == "c" ? "it is the row type of a table the copy does not make" : "it is a base type defined outside an extension")}; the columns using it cannot be created");
                continue;
            }

            types[oid] = new ServerObject(ServerObjectKind.Type, names.Schema(schema), name, [.. sql.Select(names.MapQualified)])
            {
                DropSql = $"DROP {((string)row[3]! == "d" ? "DOMAIN" : "TYPE")} IF EXISTS {Identifiers.Qualify(names.Schema(schema), name)}",
            };
        }

        return types;
    }

    /// <summary>CREATE DOMAIN with its collation, default, NOT NULL and validated checks; a check NOT VALID added after, as the source has it.</summary>
    static List<string> Domain(string qualified, object?[] row)
    {
        var create = $"CREATE DOMAIN {qualified} AS {row[6]}";
        if (row[7] is string collation)
            create += " COLLATE " + collation;
        if (row[8] is string defaultSql)
            create += " DEFAULT " + defaultSql;
        if ((bool)row[9]!)
            create += " NOT NULL";
        var notValid = new List<string>();
        foreach (var check in (string[])row[10]!)
        {
            if (check.EndsWith(" NOT VALID", StringComparison.Ordinal))
                notValid.Add($"ALTER DOMAIN {qualified} ADD {check}");
            else
                create += " " + check;
        }

        return [create, .. notValid];
    }
}
