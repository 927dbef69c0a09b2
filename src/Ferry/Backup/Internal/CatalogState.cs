using Npgsql;

namespace Ferry.Backup.Internal;

/// <summary>What a backup records beside its tables: where their sequences stood, and the objects of the covered schemas.</summary>
internal static class CatalogState
{
    /// <summary>Each sequence the tables use, once: its value and the <c>CREATE SEQUENCE</c> that recreates it.</summary>
    public static async Task<List<SequenceState>> SequencesAsync(NpgsqlConnection connection, IEnumerable<TableDefinition> tables, CancellationToken cancellationToken)
    {
        var states = new List<SequenceState>();
        foreach (var sequence in tables.SelectMany(t => t.Sequences).DistinctBy(s => (s.Schema, s.Name)))
        {
            var definition = await Sql.ScalarAsync<string>(connection, """
                SELECT format('CREATE SEQUENCE %I.%I AS %s INCREMENT BY %s MINVALUE %s MAXVALUE %s START WITH %s CACHE %s %s', n.nspname, c.relname,
                       format_type(s.seqtypid, NULL), s.seqincrement, s.seqmin, s.seqmax, s.seqstart, s.seqcache, CASE WHEN s.seqcycle THEN 'CYCLE' ELSE 'NO CYCLE' END)
                FROM pg_catalog.pg_sequence s JOIN pg_catalog.pg_class c ON c.oid = s.seqrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = $1 AND c.relname = $2
                """, cancellationToken, sequence.Schema, sequence.Name) ?? throw new FerryException($"sequence {sequence.Schema}.{sequence.Name} went away while the backup was taken.");
            await using var command = new NpgsqlCommand($"SELECT last_value, is_called FROM {Sql.Qualify(sequence.Schema, sequence.Name)}", connection);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            states.Add(new SequenceState { Schema = sequence.Schema, Name = sequence.Name, LastValue = reader.GetInt64(0), IsCalled = reader.GetBoolean(1), Definition = definition });
        }

        return states;
    }

    /// <summary>The tables, views, materialized views, sequences, types and functions of <paramref name="schemas"/>.</summary>
    public static async Task<List<InventoryObject>> InventoryAsync(NpgsqlConnection connection, IReadOnlyList<string> schemas, CancellationToken cancellationToken)
    {
        var objects = new List<InventoryObject>();
        await using var command = new NpgsqlCommand("""
            SELECT n.nspname::text, c.relname::text, CASE c.relkind WHEN 'v' THEN 'view' WHEN 'm' THEN 'matview' WHEN 'S' THEN 'sequence' ELSE 'table' END
            FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')
            UNION ALL
            SELECT n.nspname::text, t.typname::text, 'type' FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = ANY($1) AND (t.typtype IN ('e', 'd', 'r', 'm') OR (t.typtype = 'c' AND (SELECT relkind FROM pg_catalog.pg_class WHERE oid = t.typrelid) = 'c'))
            UNION ALL
            SELECT n.nspname::text, p.proname || '(' || pg_catalog.pg_get_function_identity_arguments(p.oid) || ')', 'function'
            FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = ANY($1)
            ORDER BY 1, 3, 2
            """, connection);
        command.Parameters.Add(new() { Value = schemas.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            objects.Add(new InventoryObject(reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        return objects;
    }
}
