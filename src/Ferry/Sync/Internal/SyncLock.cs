using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Ferry.Connections;
using Ferry.Copy;
using Npgsql;

namespace Ferry.Sync.Internal;

/// <summary>
/// The advisory lock that lets one process at a time run a sync: a session-level <c>pg_try_advisory_lock</c> in the target
/// database, on a connection of its own named after the process holding it, so the one refused can say who. A holder that
/// crashes loses its session, and the lock with it.
/// </summary>
internal sealed class SyncLock : IAsyncDisposable
{
    readonly NpgsqlDataSource _dataSource;
    readonly NpgsqlConnection _connection;
    readonly long _key;

    SyncLock(NpgsqlDataSource dataSource, NpgsqlConnection connection, long key)
    {
        _dataSource = dataSource;
        _connection = connection;
        _key = key;
    }

    /// <summary>
    /// The lock's key: the first 8 bytes (big-endian) of SHA-256 over <c>ferry sync</c>, the source (as <c>sync_state</c>
    /// names it), the target schema and the tables (sorted; <c>*</c> for all), each ended by a NUL. The target database is
    /// the lock's own scope (advisory locks are per database).
    /// </summary>
    public static long KeyOf(string source, CopyOptions copy)
    {
        var tables = copy.Tables is { Count: > 0 } named ? string.Join(",", named.Order(StringComparer.Ordinal)) : "*";
        if (copy.TableName is { } tableName)
            tables += "=" + tableName;
        var text = $"ferry sync\0{source}\0{copy.TargetSchema ?? ""}\0{tables}\0";
        return BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Takes the lock for <paramref name="key"/>, or throws <see cref="SyncLockedException"/> naming the session that holds it.</summary>
    public static async Task<SyncLock> AcquireAsync(PostgresTarget target, long key, string what, CancellationToken cancellationToken)
    {
        var name = $"ferry sync (pid {Environment.ProcessId} on {Environment.MachineName})";
        // Unpooled: closing the connection ends the session, and the lock with it.
        var dataSource = target.CreateDataSource(b =>
        {
            b.ConnectionStringBuilder.Pooling = false;
            b.ConnectionStringBuilder.ApplicationName = name.Length > 63 ? name[..63] : name;
        });
        NpgsqlConnection? connection = null;
        try
        {
            connection = await target.OpenAsync(dataSource.CreateConnection(), cancellationToken);
            await using (var take = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection))
            {
                take.Parameters.Add(new NpgsqlParameter { Value = key });
                if ((bool)(await take.ExecuteScalarAsync(cancellationToken))!)
                    return new SyncLock(dataSource, connection, key);
            }

            var holder = await HolderAsync(connection, key, cancellationToken);
            throw new SyncLockedException(
                $"{what} is running already: its lock (advisory lock {key.ToString(CultureInfo.InvariantCulture)} in {target.Database}) is held by {holder}. Nothing was written; run it again when that run ends.",
                holder);
        }
        catch
        {
            if (connection is not null)
                await connection.DisposeAsync();
            await dataSource.DisposeAsync();
            throw;
        }
    }

    /// <summary>The session holding the lock, as pg_stat_activity shows it; "another session" when it ended meanwhile or is not visible to this role.</summary>
    static async Task<string> HolderAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT a.application_name, a.pid, coalesce(host(a.client_addr), 'a local socket'), a.usename, a.backend_start
            FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid::bigint = $1 AND l.objid::bigint = $2 AND l.objsubid = 1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (key >> 32) & 0xFFFFFFFFL });
        command.Parameters.Add(new NpgsqlParameter { Value = key & 0xFFFFFFFFL });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
            return "another session";
        var application = reader.IsDBNull(0) || reader.GetString(0).Length == 0 ? "a session" : reader.GetString(0);
        var since = reader.GetFieldValue<DateTimeOffset>(4).ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return $"{application}, PostgreSQL backend {reader.GetInt32(1).ToString(CultureInfo.InvariantCulture)} (user {(reader.IsDBNull(3) ? "?" : reader.GetString(3))} from {reader.GetString(2)}, connected since {since})";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", _connection);
            release.Parameters.Add(new NpgsqlParameter { Value = _key });
            await release.ExecuteNonQueryAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // The session is going anyway, and the lock with it.
        }

        await _connection.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
