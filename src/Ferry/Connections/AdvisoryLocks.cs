using Npgsql;

namespace Ferry.Connections;

/// <summary>Session-level advisory locks: taking one without waiting, and naming the session that holds one.</summary>
internal static class AdvisoryLocks
{
    public static async Task<bool> TryLockAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
        command.Parameters.AddWithValue(key);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Who holds the lock: "pid 123, user app, application ferry", as far as pg_stat_activity shows. Advisory locks
    /// belong to a database: a session holding the same key in another database of the server is not the holder.
    /// </summary>
    public static async Task<string> HolderAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT format('pid %s, user %s, application %s', l.pid, a.usename, coalesce(nullif(a.application_name, ''), '?'))
            FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid::bigint = (($1 >> 32) & 4294967295) AND l.objid::bigint = ($1 & 4294967295)
            LIMIT 1
            """,
            connection);
        command.Parameters.AddWithValue(key);
        return await command.ExecuteScalarAsync(cancellationToken) as string ?? "unknown session";
    }
}
