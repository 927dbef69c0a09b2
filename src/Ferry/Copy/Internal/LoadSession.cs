using Ferry.Connections;
using Npgsql;

namespace Ferry.Copy.Internal;

/// <summary>
/// A load job's connection to the target, opened again after a loss. Batches commit without waiting for their WAL
/// flush, so a server that restarts (crashes) may have lost batches it had confirmed: after a loss, the new connection
/// first asks whether the server still has every batch the load's jobs were told had committed
/// (<see cref="ConfirmedBatches"/>); when it has not, the load cannot go on exactly and stops.
/// </summary>
internal sealed class LoadSession(NpgsqlDataSource dataSource, Retrier retrier, ConfirmedBatches confirmed, CancellationToken cancellationToken) : IDisposable
{
    NpgsqlConnection? _connection;
    bool _lost;

    public Retrier Retrier => retrier;

    public CancellationToken CancellationToken => cancellationToken;

    /// <summary>The open connection, opened (again) when there is none; its failures are connection losses to retry.</summary>
    public NpgsqlConnection Connection
    {
        get
        {
            if (_connection is not null)
                return _connection;
            var connection = dataSource.OpenConnection();
            try
            {
                // Each batch commits; not waiting for its WAL flush is safe: a table is only marked loaded after its
                // batches (later in the WAL), an unfinished table is loaded again by --resume, and a lost confirmed
                // batch is found below.
                using (var settings = new NpgsqlCommand("SET synchronous_commit = off", connection))
                    settings.ExecuteNonQuery();
                if (_lost && !confirmed.AllKept(connection))
                {
                    throw new TargetLostException(
                        "loading", "the server restarted without batches it had confirmed (they were not yet on its disk)", 0, TimeSpan.Zero);
                }
            }
            catch
            {
                connection.Dispose();
                throw;
            }

            return _connection = connection;
        }
    }

    /// <summary>A batch's transaction committed.</summary>
    public void Confirmed(long transactionId) => confirmed.Add(transactionId);

    /// <summary>Forgets a connection that was lost (it is not used again).</summary>
    public void Lost()
    {
        _lost = true;
        var connection = _connection;
        _connection = null;
        try
        {
            connection?.Dispose();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            // A broken connection may fail to close; it is gone either way.
        }
    }

    /// <summary>Runs a statement (or several) that may run again whole, on this connection, through the retries.</summary>
    public void Run(string doing, Action<NpgsqlConnection> work) =>
        retrier.Run(doing, _ =>
        {
            try
            {
                work(Connection);
                return true;
            }
            catch (Exception e) when (ConnectionLoss.Describe(e) is not null)
            {
                Lost();
                throw;
            }
        }, cancellationToken);

    public void Dispose() => Lost(); // closing may meet a server that ended the idle session: quietly
}

/// <summary>The transaction ids of the batches a load's jobs committed (so far as the server told them), shared by the jobs.</summary>
internal sealed class ConfirmedBatches
{
    readonly Lock _lock = new();
    readonly List<long> _ids = [];

    public void Add(long transactionId)
    {
        lock (_lock)
            _ids.Add(transactionId);
    }

    /// <summary>Whether the server still has all of them as committed (asked after a lost connection).</summary>
    public bool AllKept(NpgsqlConnection connection)
    {
        long[] ids;
        lock (_lock)
            ids = [.. _ids];
        if (ids.Length == 0)
            return true;
        // NULL: so old that its status was discarded, long since on disk. An id "in the future": lost.
        using var command = new NpgsqlCommand("SELECT coalesce(bool_and(txid_status(x) IS DISTINCT FROM 'aborted'), true) FROM unnest($1::bigint[]) AS x", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ids });
        try
        {
            return (bool)command.ExecuteScalar()!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            return false;
        }
    }
}
