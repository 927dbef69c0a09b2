using Npgsql;

namespace Ferry.Sync.Internal;

/// <summary>A table's row in <c>ferry.sync_state</c>: where its last successful run left the watermark.</summary>
internal sealed record TableSyncState(string? WatermarkColumn, string? Watermark, long? SourceXmin, DateTimeOffset? LastSuccess);

/// <summary>
/// <c>ferry.sync_state</c> in the target: one row per (source, target table), holding what the next run starts from (the
/// watermark, and for a PostgreSQL source the oldest transaction still open when the rows were read) and what
/// <c>ferry sync status</c> reports (last run, last success, newest synced change, last error, rows changed, deletes pending).
/// A run's row is written in the transaction that applies its rows, so the two never disagree.
/// </summary>
internal static class SyncState
{
    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            CREATE SCHEMA IF NOT EXISTS ferry;
            CREATE TABLE IF NOT EXISTS ferry.sync_state (
                source text NOT NULL,
                table_name text NOT NULL,
                source_table text NOT NULL,
                mode text NOT NULL,
                watermark_column text,
                watermark text,
                source_xmin bigint,
                newest_change timestamptz,
                last_run timestamptz NOT NULL,
                last_success timestamptz,
                last_error text,
                rows_inserted bigint NOT NULL DEFAULT 0,
                rows_updated bigint NOT NULL DEFAULT 0,
                rows_deleted bigint NOT NULL DEFAULT 0,
                deletes_pending bigint,
                PRIMARY KEY (source, table_name)
            );
            """, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The states of <paramref name="source"/>'s tables, by target table (<c>schema.name</c>).</summary>
    public static async Task<Dictionary<string, TableSyncState>> ReadAsync(NpgsqlConnection connection, string source, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT table_name, watermark_column, watermark, source_xmin, last_success FROM ferry.sync_state WHERE source = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var states = new Dictionary<string, TableSyncState>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            states[reader.GetString(0)] = new TableSyncState(
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4));
        }

        return states;
    }

    /// <summary>A successful run of a table: its new watermark and figures (in the caller's transaction, with the rows).</summary>
    public static NpgsqlBatchCommand Succeeded(string source, TableSyncResult table, string sourceTable, long? sourceXmin, DateTimeOffset? newestChange)
    {
        var command = new NpgsqlBatchCommand("""
            INSERT INTO ferry.sync_state AS s (source, table_name, source_table, mode, watermark_column, watermark, source_xmin, newest_change,
                last_run, last_success, last_error, rows_inserted, rows_updated, rows_deleted, deletes_pending)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now(), now(), NULL, $9, $10, $11, $12)
            ON CONFLICT (source, table_name) DO UPDATE SET source_table = excluded.source_table, mode = excluded.mode,
                watermark_column = excluded.watermark_column, watermark = excluded.watermark, source_xmin = excluded.source_xmin,
                newest_change = coalesce(excluded.newest_change, s.newest_change), last_run = excluded.last_run,
                last_success = excluded.last_success, last_error = NULL, rows_inserted = excluded.rows_inserted,
                rows_updated = excluded.rows_updated, rows_deleted = excluded.rows_deleted, deletes_pending = excluded.deletes_pending
            """);
        Add(command, source, table.Target, sourceTable, table.Mode, table.WatermarkColumn, table.WatermarkAfter);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)sourceXmin ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)newestChange ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = table.RowsInserted });
        command.Parameters.Add(new NpgsqlParameter { Value = table.RowsUpdated });
        command.Parameters.Add(new NpgsqlParameter { Value = table.RowsDeleted });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)table.DeletesPending ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        return command;
    }

    /// <summary>A stopped run of a table: its error, keeping the watermark of its last success.</summary>
    public static async Task FailedAsync(NpgsqlConnection connection, string source, TableSyncResult table, string sourceTable, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        var command = new NpgsqlBatchCommand("""
            INSERT INTO ferry.sync_state AS s (source, table_name, source_table, mode, watermark_column, watermark, last_run, last_error)
            VALUES ($1, $2, $3, $4, $5, $6, now(), $7)
            ON CONFLICT (source, table_name) DO UPDATE SET last_run = excluded.last_run, last_error = excluded.last_error
            """);
        Add(command, source, table.Target, sourceTable, table.Mode, table.WatermarkColumn, table.WatermarkBefore);
        command.Parameters.Add(new NpgsqlParameter { Value = table.Error ?? "" });
        batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    static void Add(NpgsqlBatchCommand command, string source, string target, string sourceTable, string mode, string? column, string? watermark)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        command.Parameters.Add(new NpgsqlParameter { Value = target });
        command.Parameters.Add(new NpgsqlParameter { Value = sourceTable });
        command.Parameters.Add(new NpgsqlParameter { Value = mode });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)column ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)watermark ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
    }
}
