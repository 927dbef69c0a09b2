using Ferry.Connections;
using Npgsql;

namespace Ferry.Copy.Internal;

/// <summary>
/// Whether a transaction committed, asked after the connection that ran it was lost (<c>txid_status</c>, PostgreSQL 10
/// and later): a COMMIT sent but not answered, or a commit answered before it reached the disk (the load commits
/// without waiting for the WAL flush) on a server that then restarted.
/// </summary>
internal static class TransactionStatus
{
    /// <summary>The id of the connection's open transaction (one is assigned if it has none yet).</summary>
    public const string CurrentSql = "SELECT txid_current()";

    const string StatusSql = "SELECT txid_status($1)";

    public static bool Committed(NpgsqlConnection connection, long transactionId)
    {
        using var command = Command(connection, transactionId);
        try
        {
            return Interpret(command.ExecuteScalar(), transactionId);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            return false; // "in the future": the server restarted without it
        }
    }

    public static async Task<bool> CommittedAsync(NpgsqlConnection connection, long transactionId, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transactionId);
        try
        {
            return Interpret(await command.ExecuteScalarAsync(cancellationToken), transactionId);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidParameterValue)
        {
            return false;
        }
    }

    public static long Current(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand(CurrentSql, connection);
        return (long)command.ExecuteScalar()!;
    }

    public static async Task<long> CurrentAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(CurrentSql, connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    static NpgsqlCommand Command(NpgsqlConnection connection, long transactionId)
    {
        var command = new NpgsqlCommand(StatusSql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = transactionId });
        return command;
    }

    static bool Interpret(object? status, long transactionId) => status switch
    {
        "committed" => true,
        "aborted" => false,
        "in progress" => throw new TransactionInDoubtException(transactionId), // the lost session is still ending it
        _ => throw new FerryException(
            $"PostgreSQL no longer knows whether transaction {transactionId} committed (a COMMIT whose answer was lost). Nothing more was written; " +
            "run the same command with --resume.", FailureKind.Failed),
    };
}

/// <summary>
/// A transaction that may be tried again after a lost connection: <see cref="CommitAsync"/> notes its id before the
/// COMMIT, so that a retry first asks (<see cref="CommittedAsync"/>) whether the last attempt took effect after all.
/// </summary>
internal sealed class RetriedCommit<T>
{
    long? _sent;
    bool _done;

    /// <summary>What the transaction that committed produced.</summary>
    public T? Result { get; private set; }

    public async Task CommitAsync(NpgsqlTransaction transaction, T result, CancellationToken cancellationToken)
    {
        _sent = await TransactionStatus.CurrentAsync(transaction.Connection!, cancellationToken);
        Result = result;
        await transaction.CommitAsync(cancellationToken);
        _done = true;
    }

    /// <summary>True when an earlier attempt committed (asked on <paramref name="connection"/> when its COMMIT went unanswered).</summary>
    public async Task<bool> CommittedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (!_done && _sent is { } id)
        {
            _done = await TransactionStatus.CommittedAsync(connection, id, cancellationToken);
            _sent = null;
        }

        return _done;
    }
}
