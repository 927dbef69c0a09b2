using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ferry.Migrations.Internal;

/// <summary>
/// The session-level advisory lock that serializes runners on one database, held on a connection of its own
/// (unpooled, so closing it always ends the session and frees the lock) for the whole run. Its key is
/// <see cref="KeyFor"/> of the history table.
/// </summary>
internal sealed class MigrationLock : IAsyncDisposable
{
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    readonly NpgsqlConnection _connection;
    readonly long _key;

    MigrationLock(NpgsqlConnection connection, long key)
    {
        _connection = connection;
        _key = key;
    }

    /// <summary>
    /// The first 8 bytes (big-endian, signed) of SHA-256("ferry.migrations:" + history table as
    /// <c>schema.table</c>). For <c>public.schema_migrations</c> this is the value in docs/migrate.md.
    /// </summary>
    public static long KeyFor(string historyTable) =>
        BinaryPrimitives.ReadInt64BigEndian(SHA256.HashData(Encoding.UTF8.GetBytes("ferry.migrations:" + historyTable)));

    /// <summary>
    /// Polls <c>pg_try_advisory_lock</c> on <paramref name="connection"/> (open, unpooled, used for nothing else;
    /// the lock owns it from here) until it is granted or <paramref name="timeout"/> passes.
    /// </summary>
    public static async Task<MigrationLock> AcquireAsync(NpgsqlConnection connection, string historyTable, TimeSpan timeout, ILogger logger, CancellationToken cancellationToken)
    {
        var key = KeyFor(historyTable);
        try
        {
            var deadline = DateTime.UtcNow + timeout;
            var warned = false;
            while (true)
            {
                if (await TryLockAsync(connection, key, cancellationToken))
                    return new MigrationLock(connection, key);
                if (!warned)
                {
                    var holder = await HolderAsync(connection, key, cancellationToken);
                    logger.LogInformation("Waiting for another migration runner ({Holder}) to release the lock on {HistoryTable} (key {Key}), up to {Timeout} s", holder, historyTable, key, timeout.TotalSeconds);
                    warned = true;
                }

                if (DateTime.UtcNow >= deadline)
                {
                    var holder = await HolderAsync(connection, key, cancellationToken);
                    throw new FerryException(
                        $"Another migration runner ({holder}) held the migration lock on {historyTable} (advisory lock {key}) for more than {timeout.TotalSeconds:0.#} s. Wait for it to finish and run again, or raise --lock-timeout.",
                        FailureKind.Failed);
                }

                await Task.Delay(PollInterval, cancellationToken);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    static async Task<bool> TryLockAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock($1)", connection);
        command.Parameters.AddWithValue(key);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// Who holds the lock: "pid 123, user app, application ferry", as far as pg_stat_activity shows. Advisory locks
    /// belong to a database: a runner holding the same key in another database of the server is not the holder.
    /// </summary>
    static async Task<string> HolderAsync(NpgsqlConnection connection, long key, CancellationToken cancellationToken)
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

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1)", _connection);
            command.Parameters.AddWithValue(_key);
            await command.ExecuteScalarAsync();
        }
        catch (NpgsqlException)
        {
            // Closing the unpooled session below frees the lock anyway.
        }

        await _connection.DisposeAsync();
    }
}
