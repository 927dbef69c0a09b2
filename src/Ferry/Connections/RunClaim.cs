using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ferry.Connections;

/// <summary>
/// A run's claim on its scope (<see cref="RunMark"/>): the scope's advisory lock, held for the whole run on a
/// connection of its own that runs nothing else, so that it ends with the client. While a run lives, another run of
/// the same scope is refused; once the claim is taken, any session of the scope still working belongs to a run whose
/// client is gone, and is ended before the new run reads the catalog.
/// </summary>
internal sealed class RunClaim : IAsyncDisposable
{
    readonly NpgsqlConnection _connection;

    RunClaim(NpgsqlConnection connection) => _connection = connection;

    /// <param name="target">Where the run works.</param>
    /// <param name="mark">The run's mark: its connections' application_name, its scope's lock key.</param>
    /// <param name="what">The scope, for messages: "the copy of sqlite:/data/app.db".</param>
    /// <param name="logger">Says which sessions of an earlier run are ended.</param>
    /// <param name="cancellationToken">Stops the wait.</param>
    public static async Task<RunClaim> TakeAsync(PostgresTarget target, RunMark mark, string what, ILogger logger, CancellationToken cancellationToken)
    {
        // Unpooled: closing the connection always ends the session, and the lock with it.
        var settings = new NpgsqlConnectionStringBuilder(target.ConnectionString) { Pooling = false };
        settings.ApplicationName = mark.ApplicationName(settings.ApplicationName);
        var connection = await target.OpenAsync(new NpgsqlConnection(settings.ConnectionString), cancellationToken);
        try
        {
            if (!await AdvisoryLocks.TryLockAsync(connection, mark.LockKey, cancellationToken))
            {
                var holder = await AdvisoryLocks.HolderAsync(connection, mark.LockKey, cancellationToken);
                throw new FerryException(
                    $"Another run of {what} is working on this database ({holder}; advisory lock {mark.LockKey}). Nothing was written. Wait for it to finish, or stop it, then run again.",
                    FailureKind.Failed);
            }

            await EarlierRunSessions.EndAsync(connection, mark, $"an earlier run of {what}", logger, cancellationToken);
            return new RunClaim(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
