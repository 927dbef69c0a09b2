using Npgsql;

namespace Ferry.Target;

/// <summary>
/// A table's row in <c>ferry.copy_state</c>: <paramref name="RowsFiltered"/> is null until counted (after the load);
/// <paramref name="Digest"/> is the <see cref="ResumeDigest"/> of the filters and transform it was loaded under.
/// </summary>
internal sealed record TableState(string Status, long RowsRead, long RowsWritten, long RowsRejected, long? RowsFiltered, string? Digest);

/// <summary>
/// <c>ferry.copy_state</c> in the target: one row per (source, table) with its status (pending, loading,
/// loaded), counts and times. <c>--resume</c> keeps the tables marked loaded and reloads the others.
/// </summary>
internal static class CopyState
{
    public const string Loading = "loading";
    public const string Loaded = "loaded";
    const string Pending = "pending";

    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, """
            CREATE SCHEMA IF NOT EXISTS ferry;
            CREATE TABLE IF NOT EXISTS ferry.copy_state (
                source text NOT NULL,
                table_name text NOT NULL,
                status text NOT NULL,
                rows bigint NOT NULL DEFAULT 0,
                rows_read bigint NOT NULL DEFAULT 0,
                rows_rejected bigint NOT NULL DEFAULT 0,
                started timestamptz,
                finished timestamptz,
                source_snapshot text,
                source_lsn text,
                rows_filtered bigint,
                options_digest text,
                PRIMARY KEY (source, table_name)
            );
            -- A state table of an earlier version gains the snapshot columns, then the filter ones; ALTER only then (its lock would wait on other runs).
            DO $$ BEGIN
                IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'ferry.copy_state'::regclass AND attname = 'source_snapshot') THEN
                    ALTER TABLE ferry.copy_state ADD COLUMN source_snapshot text, ADD COLUMN source_lsn text;
                END IF;
                IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = 'ferry.copy_state'::regclass AND attname = 'rows_filtered') THEN
                    ALTER TABLE ferry.copy_state ADD COLUMN rows_filtered bigint, ADD COLUMN options_digest text;
                END IF;
            END $$;
            """, cancellationToken);
    }

    public static async Task<Dictionary<string, TableState>> ReadAsync(NpgsqlConnection connection, string source, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT table_name, status, rows_read, rows, rows_rejected, rows_filtered, options_digest FROM ferry.copy_state WHERE source = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var states = new Dictionary<string, TableState>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            states[reader.GetString(0)] = new TableState(reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetString(6));
        }

        return states;
    }

    /// <summary>Marks the tables about to be (re)loaded as pending, under <paramref name="digest"/> (<see cref="ResumeDigest"/>).</summary>
    public static async Task ResetAsync(NpgsqlConnection connection, string source, IEnumerable<string> tables, string? digest, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            await using var command = new NpgsqlCommand("""
                INSERT INTO ferry.copy_state (source, table_name, status, options_digest) VALUES ($1, $2, $3, $4)
                ON CONFLICT (source, table_name) DO UPDATE SET status = excluded.status, rows = 0, rows_read = 0, rows_rejected = 0, started = NULL, finished = NULL,
                    source_snapshot = NULL, source_lsn = NULL, rows_filtered = NULL, options_digest = excluded.options_digest
                """, connection);
            command.Parameters.Add(new NpgsqlParameter { Value = source });
            command.Parameters.Add(new NpgsqlParameter { Value = table });
            command.Parameters.Add(new NpgsqlParameter { Value = Pending });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)digest ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static void MarkLoading(NpgsqlConnection connection, string source, string table) =>
        Update(connection, "UPDATE ferry.copy_state SET status = $3, started = now() WHERE source = $1 AND table_name = $2", source, table, Loading, []);

    /// <summary>The table is loaded; <paramref name="position"/> is the source snapshot its rows were read in (null for a file).</summary>
    public static void MarkLoaded(NpgsqlConnection connection, string source, string table, long read, long written, long rejected, Sources.SnapshotPosition? position) =>
        Update(connection, "UPDATE ferry.copy_state SET status = $3, rows_read = $4, rows = $5, rows_rejected = $6, finished = now(), source_snapshot = $7, source_lsn = $8 WHERE source = $1 AND table_name = $2",
            source, table, Loaded, [read, written, rejected], position?.Transactions, position?.WalLsn);

    /// <summary>The rows a loaded table's filter left out (counted after its load), kept for a resumed run that keeps the table.</summary>
    public static async Task RecordFilteredAsync(NpgsqlConnection connection, string source, string table, long filtered, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("UPDATE ferry.copy_state SET rows_filtered = $3 WHERE source = $1 AND table_name = $2", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        command.Parameters.Add(new NpgsqlParameter { Value = filtered });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    static void Update(NpgsqlConnection connection, string sql, string source, string table, string status, long[] counts, params string?[] texts)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = source });
        command.Parameters.Add(new NpgsqlParameter { Value = table });
        command.Parameters.Add(new NpgsqlParameter { Value = status });
        foreach (var count in counts)
            command.Parameters.Add(new NpgsqlParameter { Value = count });
        foreach (var text in texts)
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)text ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.ExecuteNonQuery();
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
