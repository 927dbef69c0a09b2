using Ferry.Schema;
using Npgsql;

namespace Ferry.Sync.Internal;

/// <summary>
/// Applies a staging table to its target in one transaction with the table's new <c>ferry.sync_state</c> row: columns the
/// source gained added, rows upserted by key (a row already equal is left alone, so a re-run changes nothing), and under
/// <c>--deletes apply</c> the target rows of the keys the source no longer has deleted.
/// </summary>
internal sealed class StagingApply(NpgsqlConnection connection, string target, IReadOnlyList<string> columns, IReadOnlyList<string>? key)
{
    public async Task<(long Inserted, long Updated)> UpsertAsync(NpgsqlTransaction transaction, string stage, CancellationToken cancellationToken)
    {
        var quoted = columns.Select(Identifiers.Quote).ToList();
        var list = string.Join(", ", quoted);
        var keyColumns = key ?? throw new InvalidOperationException("An upsert needs a key.");
        var others = quoted.Except(keyColumns.Select(Identifiers.Quote)).ToList();
        var conflict = others.Count == 0
            ? "DO NOTHING"
            : $"DO UPDATE SET {string.Join(", ", others.Select(c => $"{c} = excluded.{c}"))} WHERE ({string.Join(", ", others.Select(c => "t." + c))}) IS DISTINCT FROM ({string.Join(", ", others.Select(c => "excluded." + c))})";
        var sql = $"""
            ANALYZE pg_temp.{Identifiers.Quote(stage)};
            WITH applied AS (
                INSERT INTO {target} AS t ({list}) OVERRIDING SYSTEM VALUE SELECT {list} FROM pg_temp.{Identifiers.Quote(stage)}
                ON CONFLICT ({string.Join(", ", keyColumns.Select(Identifiers.Quote))}) {conflict}
                RETURNING (xmax = 0) AS inserted)
            SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM applied
            """;
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>Appends every staged row (a file source's table without a key): how many.</summary>
    public async Task<long> AppendAsync(NpgsqlTransaction transaction, string stage, CancellationToken cancellationToken)
    {
        var list = string.Join(", ", columns.Select(Identifiers.Quote));
        await using var command = new NpgsqlCommand($"INSERT INTO {target} ({list}) OVERRIDING SYSTEM VALUE SELECT {list} FROM pg_temp.{Identifiers.Quote(stage)}", connection, transaction) { CommandTimeout = 0 };
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Deletes the target rows of <paramref name="keys"/> (canonical texts of <paramref name="keyColumns"/>, cast back to
    /// each column's type, so the key's index finds them): how many.
    /// </summary>
    public async Task<long> DeleteKeysAsync(NpgsqlTransaction transaction, IReadOnlyList<Verify.Internal.TargetColumn> keyColumns, IReadOnlyList<string?[]> keys, CancellationToken cancellationToken)
    {
        var columns = string.Join(", ", keyColumns.Select(c => "t." + Identifiers.Quote(c.Name)));
        var arrays = string.Join(", ", keyColumns.Select((c, i) => $"${i + 1}::text[]::{c.FormattedType}[]"));
        await using var command = new NpgsqlCommand($"WITH deleted AS (DELETE FROM {target} AS t WHERE ({columns}) IN (SELECT * FROM unnest({arrays})) RETURNING 1) SELECT count(*) FROM deleted", connection, transaction) { CommandTimeout = 0 };
        for (var i = 0; i < keyColumns.Count; i++)
        {
            var column = i;
            command.Parameters.Add(new NpgsqlParameter { Value = keys.Select(k => k[column]).ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
        }

        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>Adds the columns the source gained, nullable.</summary>
    public async Task AddColumnsAsync(NpgsqlTransaction transaction, IReadOnlyList<AddedColumn> added, CancellationToken cancellationToken)
    {
        foreach (var column in added)
        {
            await using var command = new NpgsqlCommand($"ALTER TABLE {target} ADD COLUMN {Identifiers.Quote(column.Name)} {column.Type}", connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>The target's key a row is matched by: its primary key, else a unique key of NOT NULL columns, all among the synced columns; null when it has none.</summary>
    public static async Task<IReadOnlyList<string>?> KeyAsync(NpgsqlConnection connection, string target, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT array_agg(a.attname ORDER BY k.ord), bool_and(a.attnotnull)
            FROM pg_index i
            CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
            JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
            WHERE i.indrelid = $1::regclass AND i.indisunique AND i.indpred IS NULL AND i.indexprs IS NULL AND i.indimmediate
            GROUP BY i.indexrelid, i.indisprimary
            ORDER BY i.indisprimary DESC, count(*)
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = target });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = reader.GetFieldValue<string[]>(0);
            if (reader.GetBoolean(1) && key.All(columns.Contains))
                return key;
        }

        return null;
    }
}
