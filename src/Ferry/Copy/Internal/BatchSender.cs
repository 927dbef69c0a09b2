using System.Globalization;
using System.Runtime.ExceptionServices;
using Ferry.Connections;
using Ferry.Types;
using Npgsql;

namespace Ferry.Copy.Internal;

/// <summary>
/// Sends a batch's rows to PostgreSQL in one transaction: the rows stream into a binary COPY as they are read, and the
/// transaction commits once. When PostgreSQL refuses rows, the batch is sent again as COPYs of its parts, each under a
/// savepoint, until the refused rows are isolated; they are reported only once the transaction that left them out
/// commits. When the connection is lost, nothing of the batch counts until it is sent again, whole, on a new
/// connection; a COMMIT whose answer was lost is looked up by its transaction id first. So a row is written once,
/// or rejected once, never both and never twice.
/// </summary>
internal sealed class BatchSender(LoadSession session, string copySql, ColumnSlots[] slots, string doing, Func<int, PostgresException?, Exception?, RowIssue> refused)
{
    const string Savepoint = "ferry_rows";

    enum State
    {
        /// <summary>No COPY open: the next row starts one.</summary>
        Idle,

        /// <summary>The rows so far are in the open COPY.</summary>
        Streaming,

        /// <summary>PostgreSQL refused something: the rest is buffered, then the batch is split.</summary>
        Refused,

        /// <summary>The connection was lost: the rest is buffered, then the whole batch is sent again.</summary>
        Lost,
    }

    readonly List<RowIssue> _refused = [];
    State _state;
    NpgsqlTransaction? _transaction;
    long _transactionId;
    long? _commitSent;
    CopyBatch? _copy;
    Exception? _loss;

    /// <summary>Streams a converted row (its slot index) into the batch's COPY.</summary>
    public void Stream(int row)
    {
        if (_state is State.Refused or State.Lost)
            return;
        try
        {
            if (_copy is null)
            {
                Begin();
                _copy = CopyBatch.Begin(session.Connection, copySql, slots);
                _state = State.Streaming;
            }

            _copy.WriteRow(row);
        }
        catch (Exception e) when (IsRowProblem(e))
        {
            // PostgreSQL (or the driver) refused something in this batch: finish buffering it, then split it.
            _state = State.Refused;
            DisposeCopy();
        }
        catch (Exception e) when (ConnectionLoss.Describe(e) is not null)
        {
            _loss = e; // retried when the batch is committed
            Forget();
        }
    }

    /// <summary>Commits rows [0, <paramref name="count"/>): how many were written, and the rows PostgreSQL refused.</summary>
    public (int Written, List<RowIssue> Refused) Commit(int count)
    {
        try
        {
            return session.Retrier.Run(doing, _ =>
            {
                try
                {
                    return Attempt(count);
                }
                catch (Exception e) when (ConnectionLoss.Describe(e) is not null)
                {
                    Forget();
                    throw;
                }
            }, session.CancellationToken);
        }
        finally
        {
            _state = State.Idle;
            _refused.Clear();
            _loss = null;
            _commitSent = null;
        }
    }

    (int Written, List<RowIssue> Refused) Attempt(int count)
    {
        if (_loss is { } loss)
        {
            _loss = null;
            ExceptionDispatchInfo.Throw(loss);
        }

        if (_commitSent is { } sent)
        {
            // The last COMMIT went unanswered: it may have committed.
            if (TransactionStatus.Committed(session.Connection, sent))
                return Done(count);
            _commitSent = null;
        }

        if (_state == State.Streaming)
        {
            try
            {
                _copy!.Complete();
            }
            catch (Exception e) when (IsRowProblem(e))
            {
                _state = State.Refused;
            }
            finally
            {
                DisposeCopy();
            }
        }

        if (_state != State.Streaming)
        {
            // Refused (its transaction failed with the COPY) or lost: send the batch again, split where refused.
            Rollback();
            _refused.Clear();
            Begin();
            Isolate(0, count);
        }

        _commitSent = _transactionId;
        _transaction!.Commit();
        return Done(count);
    }

    (int Written, List<RowIssue> Refused) Done(int count)
    {
        session.Confirmed(_commitSent!.Value);
        _commitSent = null;
        _transaction?.Dispose();
        _transaction = null;
        return (count - _refused.Count, [.. _refused]);
    }

    void Begin()
    {
        var connection = session.Connection;
        _transaction = connection.BeginTransaction();
        _transactionId = TransactionStatus.Current(connection);
    }

    /// <summary>COPYs rows [from, to) under a savepoint; when refused, splits at the row PostgreSQL names (or in half) until single rows are refused.</summary>
    void Isolate(int from, int to)
    {
        if (from >= to)
            return;
        PostgresException? refusal = null;
        Exception? problem = null;
        _transaction!.Save(Savepoint);
        try
        {
            using (var copy = CopyBatch.Begin(session.Connection, copySql, slots))
            {
                for (var row = from; row < to; row++)
                    copy.WriteRow(row);
                copy.Complete();
            }

            _transaction.Release(Savepoint);
            return;
        }
        catch (Exception e) when (IsRowProblem(e))
        {
            refusal = e as PostgresException;
            problem = e;
        }

        _transaction.Rollback(Savepoint);
        _transaction.Release(Savepoint);
        if (to - from == 1)
        {
            _refused.Add(refused(from, refusal, problem));
            return;
        }

        // PostgreSQL names the line of the COPY it refused: everything before it is good.
        if (refusal is not null && CopyLine(refusal) is { } line && line >= 1 && line <= to - from)
        {
            var bad = from + line - 1;
            Isolate(from, bad);
            Isolate(bad, bad + 1);
            Isolate(bad + 1, to);
            return;
        }

        var middle = from + ((to - from) / 2);
        Isolate(from, middle);
        Isolate(middle, to);
    }

    static int? CopyLine(PostgresException e)
    {
        // Where: "COPY track, line 3, column name: …"
        var where = e.Where ?? "";
        var at = where.IndexOf(", line ", StringComparison.Ordinal);
        if (at < 0)
            return null;
        var start = at + 7;
        var end = start;
        while (end < where.Length && char.IsAsciiDigit(where[end]))
            end++;
        return int.TryParse(where.AsSpan(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out var line) ? line : null;
    }

    static bool IsRowProblem(Exception e) => e switch
    {
        // Data exceptions (22), integrity violations (23), program limits (54, e.g. an index row too large).
        PostgresException pg => pg.SqlState.StartsWith("22", StringComparison.Ordinal) || pg.SqlState.StartsWith("23", StringComparison.Ordinal) || pg.SqlState.StartsWith("54", StringComparison.Ordinal),
        InvalidCastException or ArgumentException or OverflowException or FormatException => true,
        _ => false,
    };

    /// <summary>Rolls back the batch's transaction, if its connection is still there.</summary>
    void Rollback()
    {
        var transaction = _transaction;
        _transaction = null;
        if (transaction is null)
            return;
        transaction.Rollback();
        transaction.Dispose();
    }

    /// <summary>After a loss: the COPY and the transaction went with the connection.</summary>
    void Forget()
    {
        DisposeCopy();
        _transaction = null;
        _state = State.Lost;
        session.Lost();
    }

    void DisposeCopy()
    {
        var copy = _copy;
        _copy = null;
        try
        {
            copy?.Dispose();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or ObjectDisposedException || IsRowProblem(e))
        {
            // Cancelling a COPY the server already refused reports that refusal again; a lost one, the loss.
        }
    }

    /// <summary>Abandons an unfinished batch (nothing of it is committed).</summary>
    public void Abandon()
    {
        DisposeCopy();
        try
        {
            _transaction?.Dispose();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException)
        {
            // Rolled back by the server when the connection closes.
        }

        _transaction = null;
    }
}
