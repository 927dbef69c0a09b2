using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Ferry.Connections;
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

    /// <summary>The lock's own connection: idle but for the lock, and for looking at other sessions while it is held.</summary>
    public NpgsqlConnection Connection => _connection;

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
                if (await AdvisoryLocks.TryLockAsync(connection, key, cancellationToken))
                    return new MigrationLock(connection, key);
                if (!warned)
                {
                    var holder = await AdvisoryLocks.HolderAsync(connection, key, cancellationToken);
                    logger.LogInformation("Waiting for another migration runner ({Holder}) to release the lock on {HistoryTable} (key {Key}), up to {Timeout} s", holder, historyTable, key, timeout.TotalSeconds);
                    warned = true;
                }

                if (DateTime.UtcNow >= deadline)
                {
                    var holder = await AdvisoryLocks.HolderAsync(connection, key, cancellationToken);
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
