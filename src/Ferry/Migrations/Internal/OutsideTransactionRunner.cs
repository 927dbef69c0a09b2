using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ferry.Migrations.Internal;

/// <summary>The history commands of a script run outside a transaction, as it goes (<see cref="OutsideTransactionRunner"/>).</summary>
internal abstract class StatementLog
{
    /// <summary>Commands sent before the first statement; the last one returns the row's installed_rank (then given to <see cref="StartedAs"/>). Empty: none.</summary>
    public virtual NpgsqlBatchCommand[] Started(int done, int total) => [];

    public virtual void StartedAs(long rank)
    {
    }

    /// <summary>The command recording that the first <paramref name="done"/> statements completed; null when progress is not recorded.</summary>
    public virtual NpgsqlBatchCommand? Done(int done, int total) => null;

    /// <summary>The commands recording that the script ran to its end, given its ms.</summary>
    public abstract NpgsqlBatchCommand[] Finished(long milliseconds);

    /// <summary>The commands recording a failure, given how many statements completed before the failed one, the ms and the error.</summary>
    public abstract FailureRecord? Failed(int done, long milliseconds, string error);
}

/// <summary>A log that writes nothing until the script ends (a down file: its row is forgotten at the end).</summary>
internal sealed class LogAtEnd(Func<long, NpgsqlBatchCommand[]> finished, Func<int, long, string, FailureRecord?> failed) : StatementLog
{
    public override NpgsqlBatchCommand[] Finished(long milliseconds) => finished(milliseconds);

    public override FailureRecord? Failed(int done, long milliseconds, string error) => failed(done, milliseconds, error);
}

/// <summary>
/// A log that records each statement as it completes (an up file): its row is written first, failed and unfinished,
/// and counts the statements done, so that a run stopped part-way (killed, cancelled, its connection lost) leaves
/// the exact point to continue from.
/// </summary>
internal sealed class LogEachStatement(HistoryTable history, MigrationFiles files, string checksum, long[] replacing) : StatementLog
{
    long? _rank;

    long[] Replacing => _rank is { } rank ? [rank] : replacing;

    public override NpgsqlBatchCommand[] Started(int done, int total) => history.RecordsProgress ? history.Start(files, checksum, done, total, replacing) : [];

    public override void StartedAs(long rank) => _rank = rank;

    public override NpgsqlBatchCommand? Done(int done, int total) => _rank is { } rank ? history.Progress(rank, done, total) : null;

    public override NpgsqlBatchCommand[] Finished(long milliseconds) => history.Record(files, checksum, milliseconds, success: true, error: null, Replacing);

    public override FailureRecord? Failed(int done, long milliseconds, string error) =>
        new(history.Record(files, checksum, milliseconds, success: false, error, Replacing, statementsDone: done),
            _rank is null || done == 0 ? "" : $" {history.QualifiedName} records that {MigrationExecutor.StatementsRan(done)}: once the cause is fixed in the database, 'ferry migrate up' with the file unchanged continues at this statement.");
}

/// <summary>
/// Runs a script outside a transaction, statement by statement, recording as it goes what its <see cref="StatementLog"/>
/// records. A statement that may run in a transaction block travels with its progress command in one implicit
/// transaction, so that both or neither take effect, even when the client dies while the server runs them.
/// </summary>
internal static class OutsideTransactionRunner
{
    /// <summary>
    /// Runs the statements from <paramref name="from"/> on (those before it completed in an earlier run); returns the
    /// ms. With <paramref name="resuming"/>, an earlier run stopped unfinished at statement <paramref name="from"/>,
    /// which may have completed on the server without being recorded: an index it builds concurrently that exists and
    /// is valid counts as done, one left invalid is dropped first.
    /// </summary>
    public static async Task<long> RunAsync(
        NpgsqlConnection connection,
        MigrationScript script,
        string description,
        string historyTable,
        int from,
        bool resuming,
        StatementLog log,
        IReadOnlyList<MigrationStep> completed,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var total = script.Statements.Count;
        if (log.Started(from, total) is { Length: > 0 } started)
        {
            try
            {
                log.StartedAs(await RankAsync(connection, started, cancellationToken));
            }
            catch (PostgresException e)
            {
                throw MigrationExecutor.Failure(
                    script, null, $"{description} did not start: its row in {historyTable} could not be written", e,
                    "None of its statements ran. " + MigrationExecutor.HistoryAdvice + " Then run the command again.", completed);
            }
        }

        var recording = true;
        for (var i = from; i < total; i++)
        {
            var statement = script.Statements[i];
            if (resuming && i == from && ConcurrentIndexes.Named(statement) is { } named && await ConcurrentIndexes.FindAsync(connection, named, cancellationToken) is { } found)
            {
                if (found.Valid)
                {
                    logger.LogInformation("{Description}: statement {Statement} (line {Line}) had completed in the run that stopped: the index {Index} exists and is valid", description, i + 1, script.LineAndColumn(statement.Offset).Line, found.Index);
                    recording = await RecordAsync(connection, recording ? log.Done(i + 1, total) : null, i, logger, description, cancellationToken);
                    continue;
                }

                await ConcurrentIndexes.DropAsync(connection, found.Index, "the run that stopped", logger, cancellationToken);
            }

            var invalidBefore = ConcurrentIndexes.CanLeaveInvalidIndex(statement) ? await ConcurrentIndexes.InvalidAsync(connection, cancellationToken) : null;
            var progress = recording ? log.Done(i + 1, total) : null;
            try
            {
                if (progress is not null && NonTransactionalStatements.Reason(statement) is null)
                {
                    recording = await RunWithProgressAsync(connection, statement, progress, () => log.Done(i + 1, total), i, logger, description, cancellationToken);
                }
                else
                {
                    await ExecuteAsync(connection, [new(statement.Text)], cancellationToken);
                    recording = await RecordAsync(connection, progress, i, logger, description, cancellationToken);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && invalidBefore is not null)
            {
                await ConcurrentIndexes.DropLeftAfterCancelAsync(connection, invalidBefore, $"statement {i + 1} of {script.FileName} ({NonTransactionalStatements.Reason(statement)})", logger);
                throw;
            }
            catch (PostgresException e) when (e.BatchCommand?.CommandText == statement.Text)
            {
                var (line, _) = MigrationExecutor.Location(script, i, e);
                var error = $"statement {i + 1} of {total} (line {line}): {e.SqlState}: {e.MessageText}";
                var record = log.Failed(i, watch.ElapsedMilliseconds, error);
                try
                {
                    await ExecuteAsync(connection, [.. MigrationExecutor.ResetSession(), .. record?.Commands ?? []], cancellationToken);
                }
                catch (PostgresException recordingFailed)
                {
                    // The migration's error comes first; that the history misses it is said after it.
                    throw MigrationExecutor.Failure(script, description, i, e, completed, transactional: false,
                        also: $" Its failure could not be recorded in {historyTable} either: {recordingFailed.SqlState}: {MigrationExecutor.Sentence(recordingFailed.MessageText)}");
                }

                throw MigrationExecutor.Failure(script, description, i, e, completed, transactional: false, also: record?.Note ?? "");
            }
        }

        var elapsed = watch.ElapsedMilliseconds;
        try
        {
            await ExecuteAsync(connection, [.. MigrationExecutor.ResetSession(), .. log.Finished(elapsed)], cancellationToken);
        }
        catch (PostgresException e)
        {
            throw MigrationExecutor.Failure(
                script,
                null,
                $"{description} ran, but its row in {historyTable} could not be written",
                e,
                "It ran outside a transaction: its statements ran and stay applied, and the history does not record it. " + MigrationExecutor.HistoryAdvice +
                " Then make what it did safe to run again (e.g. IF NOT EXISTS), or undo it by hand, and run the command again.",
                completed);
        }

        return elapsed;
    }

    /// <summary>
    /// The statement and its progress command in one batch (one implicit transaction). When the progress command fails
    /// (the migration took Ferry's rights away, e.g. with SET ROLE) or the statement may not run in a transaction block
    /// after all, both were rolled back: the statement runs alone, and progress is no longer recorded. Returns whether it still is.
    /// </summary>
    static async Task<bool> RunWithProgressAsync(
        NpgsqlConnection connection, SqlStatement statement, NpgsqlBatchCommand progress, Func<NpgsqlBatchCommand?> again, int index, ILogger logger, string description, CancellationToken cancellationToken)
    {
        try
        {
            await ExecuteAsync(connection, [new(statement.Text), progress], cancellationToken);
            return true;
        }
        catch (PostgresException e) when (e.BatchCommand == progress || (e.BatchCommand?.CommandText == statement.Text && e.SqlState == PostgresErrorCodes.ActiveSqlTransaction))
        {
            await ExecuteAsync(connection, [new(statement.Text)], cancellationToken);
            if (e.BatchCommand != progress)
                return await RecordAsync(connection, again(), index, logger, description, cancellationToken);
            Unrecorded(logger, description, index, e);
            return false;
        }
    }

    /// <summary>Sends a progress command on its own; returns whether progress is still recorded.</summary>
    static async Task<bool> RecordAsync(NpgsqlConnection connection, NpgsqlBatchCommand? progress, int index, ILogger logger, string description, CancellationToken cancellationToken)
    {
        if (progress is null)
            return false;
        try
        {
            await ExecuteAsync(connection, [progress], cancellationToken);
            return true;
        }
        catch (PostgresException e)
        {
            Unrecorded(logger, description, index, e);
            return false;
        }
    }

    static void Unrecorded(ILogger logger, string description, int index, PostgresException e) =>
        logger.LogWarning(
            "{Description}: the history could not record that statement {Statement} completed ({Error}); the rest of the file runs without recording its progress, so if this run stops part-way, the history will not tell which statements after {Done} ran",
            description, index + 1, $"{e.SqlState}: {e.MessageText}", index);

    /// <summary>Runs <paramref name="commands"/> in one batch; the first value any of them returns.</summary>
    static async Task<long> RankAsync(NpgsqlConnection connection, NpgsqlBatchCommand[] commands, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var command in commands)
            batch.BatchCommands.Add(command);
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        do
        {
            if (reader.FieldCount > 0 && await reader.ReadAsync(cancellationToken))
                return reader.GetInt64(0);
        }
        while (await reader.NextResultAsync(cancellationToken));
        throw new InvalidOperationException("The history insert returned no installed_rank.");
    }

    /// <summary>A batch command goes as written; an NpgsqlCommand would be split at a BEGIN ATOMIC body's semicolons.</summary>
    static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlBatchCommand[] commands, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection) { Timeout = 0 };
        foreach (var command in commands)
            batch.BatchCommands.Add(command);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }
}
