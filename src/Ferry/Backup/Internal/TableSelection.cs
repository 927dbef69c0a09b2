using Ferry.Project;
using Npgsql;

namespace Ferry.Backup.Internal;

/// <summary>
/// The tables a backup takes: <c>--tables</c> (a bare name through the search path, or through <c>--schema</c> when given),
/// <c>--schema</c> (all their tables), or every user table outside the system, <c>ferry</c> and backup schemas.
/// </summary>
internal static class TableSelection
{
    /// <summary>Ordinary tables (no partitioned tables or partitions, no extension's tables) of user schemas.</summary>
    const string UserTables = """
        SELECT n.nspname::text, c.relname::text, c.relkind::text, c.relispartition
        FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'ferry') AND n.nspname NOT LIKE 'pg\_%'
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        """;

    public static async Task<(List<(string Schema, string Name)> Tables, List<string> Schemas)> ResolveAsync(
        NpgsqlConnection connection, BackupRequest request, CancellationToken cancellationToken)
    {
        var all = new List<(string Schema, string Name, char Kind, bool Partition)>();
        await using (var command = new NpgsqlCommand(UserTables + " ORDER BY 1, 2", connection))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
                all.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)[0], reader.GetBoolean(3)));
        }

        var backupSchemas = await BackupSchemasAsync(connection, cancellationToken);
        var schemas = request.Schemas is { Count: > 0 } given ? [.. given.Distinct()] : new List<string>();
        foreach (var schema in schemas)
        {
            if (!await SchemaExistsAsync(connection, schema, cancellationToken))
            {
                var known = all.Select(t => t.Schema).Distinct().ToList();
                throw new FerryException($"--schema {schema}: the database has no schema '{schema}'" +
                    (YamlMap.Nearest(schema, known) is { } near ? $"; did you mean '{near}'?" : ".") + $" Its schemas with tables: {string.Join(", ", known)}.");
            }
        }

        List<(string, string, char, bool)> chosen;
        if (request.Tables is { Count: > 0 } names)
        {
            var searchPath = schemas.Count > 0 ? schemas : await SearchPathAsync(connection, cancellationToken);
            chosen = [];
            foreach (var name in names)
                chosen.Add(Find(all, name, searchPath));
        }
        else if (request is { AllowNoTables: true, Tables.Count: 0 })
        {
            chosen = [];
        }
        else if (schemas.Count > 0)
        {
            chosen = [.. all.Where(t => schemas.Contains(t.Schema) && t is { Kind: 'r', Partition: false })];
        }
        else
        {
            chosen = [.. all.Where(t => t is { Kind: 'r', Partition: false } && !t.Schema.StartsWith("backup_", StringComparison.Ordinal) && !backupSchemas.Contains(t.Schema))];
        }

        foreach (var (schema, name, kind, partition) in chosen)
        {
            if (kind == 'p' || partition)
            {
                throw new FerryException(
                    $"{schema}.{name} is a {(kind == 'p' ? "partitioned table" : "partition")}: an in-database backup copies ordinary tables. " +
                    "Take it with --file PATH (a pg_dump archive), or name its partitions' parent's ordinary tables instead.");
            }
        }

        var tables = chosen.Select(t => (t.Item1, t.Item2)).Distinct().ToList();
        if (tables.Count == 0 && !request.AllowNoTables)
            throw new FerryException(schemas.Count > 0 ? $"--schema {string.Join(", ", schemas)} holds no table to back up." : "the database holds no user table to back up.");
        IEnumerable<string> covered = schemas.Count > 0 ? schemas : tables.Select(t => t.Item1);
        return (tables, [.. covered.Concat(request.InventorySchemas ?? []).Distinct()]);
    }

    static (string, string, char, bool) Find(List<(string Schema, string Name, char Kind, bool Partition)> all, string name, List<string> searchPath)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0)
        {
            var (schema, table) = (name[..dot], name[(dot + 1)..]);
            var found = all.FirstOrDefault(t => t.Schema == schema && t.Name == table);
            if (found.Name is not null)
                return found;
        }
        else
        {
            foreach (var schema in searchPath)
            {
                var found = all.FirstOrDefault(t => t.Schema == schema && t.Name == name);
                if (found.Name is not null)
                    return found;
            }
        }

        var known = all.Select(t => dot > 0 ? t.Schema + "." + t.Name : t.Name).Distinct().ToList();
        throw new FerryException($"--tables {name}: no such table" + (dot > 0 ? "" : $" in {string.Join(", ", searchPath)}") +
            (YamlMap.Nearest(name, known) is { } near ? $"; did you mean '{near}'?" : ".") + " ferry backup takes the names of tables (schema.table, or a bare name found through the search path).");
    }

    static async Task<List<string>> SearchPathAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        [.. (await Sql.ScalarAsync<string[]>(connection, "SELECT current_schemas(false)::text[]", cancellationToken)) ?? []];

    static async Task<bool> SchemaExistsAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken) =>
        await Sql.ScalarAsync<bool>(connection, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)", cancellationToken, schema);

    /// <summary>Schemas holding backups (a <c>--name</c> not starting with backup_ too).</summary>
    static async Task<HashSet<string>> BackupSchemasAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (!await BackupsTable.ExistsAsync(connection, cancellationToken))
            return [];
        return [.. (await Sql.ScalarAsync<string[]>(connection, "SELECT coalesce(array_agg(schema_name), '{}') FROM ferry.backups WHERE schema_name IS NOT NULL", cancellationToken)) ?? []];
    }
}
