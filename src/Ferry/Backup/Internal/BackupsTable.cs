using Ferry.Journal.Internal;
using Npgsql;

namespace Ferry.Backup.Internal;

/// <summary><c>ferry.backups</c>: one row per backup, its manifest as jsonb. Made beside the journal's tables, under its lock.</summary>
internal static class BackupsTable
{
    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (await ExistsAsync(connection, cancellationToken))
            return;
        await JournalSchema.EnsureAsync(connection, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"""
            SELECT pg_advisory_xact_lock({JournalSchema.RunLockKey(0)});
            CREATE TABLE IF NOT EXISTS ferry.backups (
                name text PRIMARY KEY,
                kind text NOT NULL,
                created_at timestamptz NOT NULL,
                run_id bigint,
                reason text,
                schema_name text,
                file text,
                size_bytes bigint NOT NULL DEFAULT 0,
                manifest jsonb NOT NULL
            );
            COMMENT ON TABLE ferry.backups IS 'Ferry''s backups (ferry backup, ferry backups, ferry restore): one row per backup with its manifest.';
            """, connection))
            await command.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass('ferry.backups') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public static async Task InsertAsync(NpgsqlConnection connection, BackupManifest manifest, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "INSERT INTO ferry.backups (name, kind, created_at, run_id, reason, schema_name, file, size_bytes, manifest) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)",
            connection);
        command.Parameters.Add(new() { Value = manifest.Name });
        command.Parameters.Add(new() { Value = manifest.Kind });
        command.Parameters.Add(new() { Value = manifest.CreatedAt });
        command.Parameters.Add(new() { Value = (object?)manifest.RunId ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        command.Parameters.Add(new() { Value = (object?)manifest.Reason ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)manifest.Schema ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = (object?)manifest.File ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.Add(new() { Value = manifest.SizeBytes });
        command.Parameters.Add(new() { Value = ManifestJson.Write(manifest) });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The manifests, newest first; only <paramref name="name"/>'s when given.</summary>
    public static async Task<List<BackupManifest>> ReadAsync(NpgsqlConnection connection, string? name, CancellationToken cancellationToken)
    {
        var manifests = new List<BackupManifest>();
        if (!await ExistsAsync(connection, cancellationToken))
            return manifests;
        await using var command = new NpgsqlCommand(
            $"SELECT name, manifest::text FROM ferry.backups{(name is null ? "" : " WHERE name = $1")} ORDER BY created_at DESC, name DESC", connection);
        if (name is not null)
            command.Parameters.Add(new() { Value = name });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            manifests.Add(ManifestJson.Read(reader.GetString(1), $"ferry.backups' row {reader.GetString(0)}"));
        return manifests;
    }

    public static async Task DeleteAsync(NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("DELETE FROM ferry.backups WHERE name = $1", connection);
        command.Parameters.Add(new() { Value = name });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
