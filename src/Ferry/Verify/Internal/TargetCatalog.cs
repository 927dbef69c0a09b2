using Ferry.Schema;
using Npgsql;

namespace Ferry.Verify.Internal;

/// <summary>A primary key, unique constraint or unique index of a target table.</summary>
internal sealed record TargetKey(string Name, IReadOnlyList<string> Columns, bool Primary);

/// <summary>A foreign key of a target table, validated or not.</summary>
internal sealed record TargetForeignKey(string Name, IReadOnlyList<string> Columns, string ReferencedSchema, string ReferencedTable, IReadOnlyList<string> ReferencedColumns, Deferrability Deferrability);

/// <summary>A target table as its catalog describes it.</summary>
internal sealed class TargetTable
{
    public required string Schema { get; init; }

    public required string Name { get; init; }

    public required uint Oid { get; init; }

    /// <summary>The planner's estimate (-1 when never analyzed).</summary>
    public required double EstimatedRows { get; init; }

    /// <summary>Pages of the table's heap when its catalog was read (0 for a partitioned table).</summary>
    public required long Pages { get; init; }

    public required IReadOnlyList<TargetColumn> Columns { get; init; }

    public required IReadOnlyList<TargetKey> Keys { get; init; }

    public required IReadOnlyList<TargetForeignKey> ForeignKeys { get; init; }

    public string QualifiedName => CanonicalSql.Quote(Schema) + "." + CanonicalSql.Quote(Name);

    public string DisplayName => Schema + "." + Name;

    public TargetColumn? Column(string name) => Columns.FirstOrDefault(c => c.Name == name);

    /// <summary>Reads a table's catalog entries (with <paramref name="views"/>, a view's too); null when it does not exist.</summary>
    public static async Task<TargetTable?> LoadAsync(NpgsqlConnection connection, string schema, string name, CancellationToken cancellationToken, bool views = false)
    {
        uint oid;
        double estimate;
        long pages;
        await using (var command = new NpgsqlCommand(
            "SELECT c.oid, c.reltuples, pg_relation_size(c.oid) / current_setting('block_size')::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p'" + (views ? ", 'v', 'm', 'f'" : "") + ")",
            connection))
        {
            command.Parameters.Add(new() { Value = schema });
            command.Parameters.Add(new() { Value = name });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
                return null;
            oid = reader.GetFieldValue<uint>(0);
            estimate = reader.GetFloat(1);
            pages = reader.GetInt64(2);
        }

        var columns = await ColumnsAsync(
            connection,
            "SELECT attname AS name, atttypid AS type, atttypmod AS typmod, attnum AS n FROM pg_attribute WHERE attrelid = $1 AND attnum > 0 AND NOT attisdropped",
            cancellationToken,
            new NpgsqlParameter { Value = oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid });

        var keys = new List<TargetKey>();
        var foreignKeys = new List<TargetForeignKey>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT con.conname, con.contype,
                   array(SELECT a.attname::text FROM unnest(con.conkey) WITH ORDINALITY k(n, o)
                         JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.n ORDER BY k.o),
                   rn.nspname::text, rc.relname::text,
                   array(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(n, o)
                         JOIN pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.n ORDER BY k.o),
                   con.condeferrable, con.condeferred
            FROM pg_constraint con
            LEFT JOIN pg_class rc ON rc.oid = con.confrelid
            LEFT JOIN pg_namespace rn ON rn.oid = rc.relnamespace
            WHERE con.conrelid = $1 AND con.contype IN ('p', 'u', 'f')
            UNION ALL
            SELECT ic.relname, 'i',
                   array(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o)
                         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n ORDER BY k.o),
                   NULL, NULL, NULL, false, false
            FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid
            WHERE i.indrelid = $1 AND i.indisunique AND i.indisvalid AND i.indexprs IS NULL AND i.indpred IS NULL
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
            """,
            connection))
        {
            command.Parameters.Add(new() { Value = oid, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Oid });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var constraintName = reader.GetString(0);
                var kind = reader.GetChar(1);
                var keyColumns = reader.GetFieldValue<string[]>(2);
                if (kind == 'f')
                    foreignKeys.Add(new TargetForeignKey(constraintName, keyColumns, reader.GetString(3), reader.GetString(4), reader.GetFieldValue<string[]>(5),
                        !reader.GetBoolean(6) ? Deferrability.NotDeferrable : reader.GetBoolean(7) ? Deferrability.InitiallyDeferred : Deferrability.InitiallyImmediate));
                else
                    keys.Add(new TargetKey(constraintName, keyColumns, kind == 'p'));
            }
        }

        return new TargetTable
        {
            Schema = schema,
            Name = name,
            Oid = oid,
            EstimatedRows = estimate,
            Pages = pages,
            Columns = columns,
            Keys = keys,
            ForeignKeys = foreignKeys,
        };
    }

    /// <summary>
    /// The rows of <paramref name="from"/> (a derived table's <c>(query) AS name</c>) as a table without a catalog entry:
    /// its result columns as the server describes them (parsed, not run), no keys, no pages.
    /// </summary>
    public static async Task<TargetTable> DescribeAsync(NpgsqlConnection connection, string from, string name, CancellationToken cancellationToken)
    {
        List<Npgsql.Schema.NpgsqlDbColumn> result;
        await using (var command = new NpgsqlCommand($"SELECT * FROM {from}", connection))
        await using (var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SchemaOnly, cancellationToken))
            result = [.. (await reader.GetColumnSchemaAsync(cancellationToken)).Cast<Npgsql.Schema.NpgsqlDbColumn>()];
        var columns = await ColumnsAsync(
            connection,
            "SELECT name, type::oid AS type, NULL::int4 AS typmod, n FROM unnest($1::text[], $2::int8[]) WITH ORDINALITY AS u(name, type, n)",
            cancellationToken,
            new NpgsqlParameter { Value = result.Select(c => c.ColumnName).ToArray() },
            new NpgsqlParameter { Value = result.Select(c => (long)c.TypeOID).ToArray() });
        return new TargetTable { Schema = "", Name = name, Oid = 0, EstimatedRows = -1, Pages = 0, Columns = columns, Keys = [], ForeignKeys = [] };
    }

    /// <summary>The columns <paramref name="columnsSql"/> lists (name, type, typmod, n), typed as the hashing needs them, in order of n.</summary>
    static async Task<List<TargetColumn>> ColumnsAsync(NpgsqlConnection connection, string columnsSql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
    {
        var columns = new List<TargetColumn>();
        await using var command = new NpgsqlCommand(
            $"""
            SELECT c.name::text,
                   coalesce(bt.typname, t.typname),
                   coalesce(bt.typtype, t.typtype),
                   CASE WHEN coalesce(bt.typcategory, t.typcategory) = 'A' THEN et.typname END,
                   format_type(c.type, c.typmod)
            FROM ({columnsSql}) c
            JOIN pg_type t ON t.oid = c.type
            LEFT JOIN pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype
            LEFT JOIN pg_type et ON et.oid = coalesce(bt.typelem, t.typelem)
            ORDER BY c.n
            """,
            connection);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            columns.Add(new TargetColumn(
                reader.GetString(0), reader.GetString(1), reader.GetChar(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.GetString(4),
                HasTrimScale: connection.PostgreSqlVersion.Major >= 13));
        }

        return columns;
    }
}
