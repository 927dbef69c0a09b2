using Npgsql;

namespace Ferry.Journal.Internal;

/// <summary>
/// <c>ferry.runs</c> and <c>ferry.meta</c> in the target. <c>ferry.meta</c>'s <c>journal_schema</c> is the version
/// of the journal's tables; each version's steps run once, in order, under a transaction-level advisory lock, so
/// concurrent runs (and a newer Ferry) upgrade it in place exactly once. A journal newer than this Ferry is used as
/// it is: later versions only add.
/// </summary>
internal static class JournalSchema
{
    /// <summary>The advisory lock key's high half for the journal (<c>FRRY</c>); the low half is a run's id, or 0 for the schema.</summary>
    public const long LockClass = 0x46525259;

    public static long RunLockKey(long runId) => (LockClass << 32) | (runId & 0xffffffff);

    /// <summary>Each version's statements; index 0 makes version 1.</summary>
    static readonly string[] Versions =
    [
        """
        CREATE TABLE IF NOT EXISTS ferry.runs (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            kind text NOT NULL,
            command text NOT NULL,
            ferry_version text NOT NULL,
            environment text,
            target text,
            client_host text,
            client_user text,
            started_at timestamptz NOT NULL DEFAULT clock_timestamp(),
            ended_at timestamptz,
            outcome text NOT NULL DEFAULT 'running',
            exit_code integer,
            document jsonb,
            summary text
        );
        CREATE INDEX IF NOT EXISTS runs_kind_id ON ferry.runs (kind, id DESC);
        COMMENT ON TABLE ferry.runs IS 'Ferry''s run journal: one row per copy, verify, migrate up|down|repair|baseline run (ferry runs, ferry report).';
        """,
    ];

    public static int Current => Versions.Length;

    /// <summary>Makes the journal's tables (or upgrades them); cheap when they are current (one read).</summary>
    public static async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (await VersionAsync(connection, cancellationToken) >= Current)
            return;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"""
            SELECT pg_advisory_xact_lock({RunLockKey(0)});
            CREATE SCHEMA IF NOT EXISTS ferry;
            CREATE TABLE IF NOT EXISTS ferry.meta (key text PRIMARY KEY, value text NOT NULL);
            """, cancellationToken);
        var version = await VersionAsync(connection, cancellationToken);
        for (var next = version + 1; next <= Current; next++)
            await ExecuteAsync(connection, Versions[next - 1], cancellationToken);
        if (version < Current)
        {
            await using var record = new NpgsqlCommand(
                "INSERT INTO ferry.meta (key, value) VALUES ('journal_schema', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value", connection);
            record.Parameters.AddWithValue(Current.ToString(System.Globalization.CultureInfo.InvariantCulture));
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The journal's version in this database: 0 when it has none.</summary>
    public static async Task<int> VersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        // Two statements: a query naming ferry.meta fails to plan where it does not exist.
        await using (var exists = new NpgsqlCommand("SELECT to_regclass('ferry.meta') IS NOT NULL AND to_regclass('ferry.runs') IS NOT NULL", connection))
        {
            if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
                return 0;
        }

        await using var command = new NpgsqlCommand("SELECT value FROM ferry.meta WHERE key = 'journal_schema'", connection);
        return await command.ExecuteScalarAsync(cancellationToken) is string text && int.TryParse(text, out var version) ? version : 0;
    }

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
