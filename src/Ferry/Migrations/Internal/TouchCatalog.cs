using Npgsql;

namespace Ferry.Migrations.Internal;

/// <summary>A foreign key as the resolver needs it: the referencing and referenced tables, and its ON DELETE and ON UPDATE actions (pg_constraint's letters).</summary>
internal sealed record ForeignKeyLink(ObjectName Child, ObjectName Parent, char OnDelete, char OnUpdate);

/// <summary>
/// The catalog a <see cref="TouchResolver"/> resolves names in: the relations of the user's schemas (with their
/// relkind), the schemas, the session's search_path and user, and the foreign keys between tables.
/// </summary>
internal sealed class TouchCatalog
{
    public Dictionary<ObjectName, char> Relations { get; } = [];

    public HashSet<string> Schemas { get; } = new(StringComparer.Ordinal);

    /// <summary>current_schemas(false): the session's search_path, <c>$user</c> resolved, schemas that do not exist left out.</summary>
    public List<string> SearchPath { get; } = [];

    public string User { get; private set; } = "";

    public List<ForeignKeyLink> ForeignKeys { get; } = [];

    public static async Task<TouchCatalog> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT n.nspname, c.relname, c.relkind::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\_toast%';
            SELECT nspname FROM pg_namespace;
            SELECT current_user::text, current_schemas(false)::text[];
            SELECT cn.nspname, cc.relname, pn.nspname, pc.relname, k.confdeltype::text, k.confupdtype::text
            FROM pg_constraint k
            JOIN pg_class cc ON cc.oid = k.conrelid JOIN pg_namespace cn ON cn.oid = cc.relnamespace
            JOIN pg_class pc ON pc.oid = k.confrelid JOIN pg_namespace pn ON pn.oid = pc.relnamespace
            WHERE k.contype = 'f';
            """;
        var catalog = new TouchCatalog();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            catalog.Relations[new ObjectName(reader.GetString(0), reader.GetString(1))] = reader.GetString(2)[0];
        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            catalog.Schemas.Add(reader.GetString(0));
        await reader.NextResultAsync(cancellationToken);
        if (await reader.ReadAsync(cancellationToken))
        {
            catalog.User = reader.GetString(0);
            catalog.SearchPath.AddRange(reader.GetFieldValue<string[]>(1));
        }

        await reader.NextResultAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            catalog.ForeignKeys.Add(new ForeignKeyLink(
                new ObjectName(reader.GetString(0), reader.GetString(1)), new ObjectName(reader.GetString(2), reader.GetString(3)), reader.GetString(4)[0], reader.GetString(5)[0]));
        }

        return catalog;
    }

    /// <summary>Whether the relation is a table (plain or partitioned): what a backup keeps.</summary>
    public bool IsTable(ObjectName name) => Relations.TryGetValue(name, out var kind) && kind is 'r' or 'p';
}
