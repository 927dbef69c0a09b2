using System.Diagnostics;
using System.Text;
using Npgsql;

namespace Ferry.Migrations.Internal;

/// <summary>
/// Runs migration scripts: each in one transaction together with its history bookkeeping, or, when it holds a
/// statement PostgreSQL refuses inside a transaction block (or says <c>-- ferry:no-transaction</c>), statement
/// by statement in autocommit. Errors come back as <see cref="MigrationFailedException"/> pointing at the
/// line and column in the file.
/// </summary>
/// <summary>A transactional migration for <see cref="MigrationExecutor.RunInTransactionsAsync"/>: its script, its history commands, and its report line given its ms.</summary>
internal sealed record TransactionalRun(MigrationScript Script, string Description, NpgsqlBatchCommand[] Bookkeeping, Func<long, MigrationStep> Step);

/// <summary>What a script run outside a transaction records when one of its statements fails: the history commands, and what the error message says they recorded.</summary>
internal sealed record FailureRecord(NpgsqlBatchCommand[] Commands, string Note = "");

internal static class MigrationExecutor
{
    /// <summary>
    /// A migration's commit does not wait for its WAL flush: a run that applies or reverts anything first sets
    /// <c>synchronous_commit = off</c> for its session (once, not per transaction), and <see cref="FlushAsync"/>
    /// ends it, finished or failed, with one synchronous commit, which flushes the WAL of all earlier ones, before
    /// the run reports anything as applied. WAL is flushed in order, so a crash before that loses the run's last
    /// commits: whole transactional migrations together with their history rows, never half of one. (A migration
    /// run outside a transaction commits statement by statement, so a crash can stop it between statements with
    /// or without this.)
    /// </summary>
    public static async Task CommitAsynchronouslyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(AsynchronousCommit, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The one session setting Ferry makes for a run's migrations (see <see cref="CommitAsynchronouslyAsync"/>).</summary>
    const string AsynchronousCommit = "SET synchronous_commit = off";

    /// <summary>
    /// Puts the session back as Ferry opened it, sent after a migration's statements and before its history
    /// commands (inside its transaction when it has one): a migration's <c>SET ROLE</c>, <c>SET search_path</c>,
    /// <c>SET statement_timeout</c>… must decide neither who writes the history row, nor where, nor how the next
    /// migration runs. <c>RESET ALL</c> leaves the role and session authorization alone, hence their own resets;
    /// then Ferry's own setting again, so that this commit, too, skips the wait for its WAL flush.
    /// </summary>
    internal static NpgsqlBatchCommand[] ResetSession() =>
        [new("RESET SESSION AUTHORIZATION"), new("RESET ROLE"), new("RESET ALL"), new(AsynchronousCommit)];

    /// <summary>
    /// Makes every commit of this run durable: puts <c>synchronous_commit</c> back to the session's own setting (or
    /// <c>on</c> where that is <c>off</c>), then a transaction with an xid commits synchronously, flushing all WAL
    /// before it. One round trip.
    /// </summary>
    public static async Task FlushAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(
                    "SELECT set_config('synchronous_commit', CASE WHEN reset_val = 'off' THEN 'on' ELSE reset_val END, false) FROM pg_settings WHERE name = 'synchronous_commit'"),
                new NpgsqlBatchCommand("SELECT txid_current()"),
            },
        };
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// Runs transactional migrations, each in its own transaction together with its history row, several in one
    /// round trip: per migration BEGIN, each statement as its own command (so an error position is relative to a
    /// known offset), the history commands, COMMIT. PostgreSQL executes them in order; after an error it skips
    /// the rest. Each migration that committed is appended to <paramref name="completed"/> (with the
    /// <c>execution_ms</c> its history insert returned, else the round trip's time); the failed one becomes a
    /// <see cref="MigrationFailedException"/>, also when its history commands or its COMMIT failed.
    /// </summary>
    public static async Task RunInTransactionsAsync(
        NpgsqlConnection connection,
        IReadOnlyList<TransactionalRun> runs,
        string historyTable,
        List<MigrationStep> completed,
        CancellationToken cancellationToken)
    {
        const int Control = -1, History = -2;
        var watch = Stopwatch.StartNew();
        await using var batch = new NpgsqlBatch(connection) { Timeout = 0 };
        var owners = new List<(int Run, int Statement)>();
        void Add(NpgsqlBatchCommand command, int run, int statement)
        {
            batch.BatchCommands.Add(command);
            owners.Add((run, statement));
        }

        for (var r = 0; r < runs.Count; r++)
        {
            Add(new("BEGIN"), r, Control);
            for (var i = 0; i < runs[r].Script.Statements.Count; i++)
                Add(new(runs[r].Script.Statements[i].Text), r, i);
            foreach (var command in ResetSession())
                Add(command, r, Control);
            foreach (var command in runs[r].Bookkeeping)
                Add(command, r, History);
            Add(new("COMMIT"), r, Control);
        }

        var milliseconds = new List<long>();
        try
        {
            await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
            {
                do
                {
                    if (reader.FieldCount == 1 && reader.GetName(0) == HistoryTable.ExecutionMsColumn && await reader.ReadAsync(cancellationToken))
                        milliseconds.Add(reader.GetInt64(0));
                }
                while (await reader.NextResultAsync(cancellationToken));
            }

            for (var r = 0; r < runs.Count; r++)
                completed.Add(runs[r].Step(r < milliseconds.Count ? milliseconds[r] : watch.ElapsedMilliseconds));
        }
        catch (OperationCanceledException)
        {
            // The cancelled statement aborted its migration's transaction, which stays open until ended: the run's
            // closing flush would otherwise fail in it.
            await RollbackAsync(connection);
            throw;
        }
        catch (PostgresException e)
        {
            await RollbackAsync(connection);
            var index = e.BatchCommand is { } failed ? batch.BatchCommands.IndexOf(failed) : -1;
            if (index < 0)
                throw;
            var (run, statement) = owners[index];
            for (var r = 0; r < run; r++)
                completed.Add(runs[r].Step(r < milliseconds.Count ? milliseconds[r] : watch.ElapsedMilliseconds));
            var (script, description) = (runs[run].Script, runs[run].Description);
            throw statement switch
            {
                >= 0 => Failure(script, description, statement, e, completed, transactional: true),
                History => Failure(script, null, $"{description} failed: its row in {historyTable} could not be written", e, RolledBack + " " + HistoryAdvice + " Then run the command again.", completed),
                _ => Failure(script, null, $"{description} failed at {batch.BatchCommands[index].CommandText}", e, RolledBack + " Fix the file and run the command again.", completed),
            };
        }
    }

    const string RolledBack = "Nothing of this migration was applied (its transaction was rolled back).";

    internal const string HistoryAdvice = "Make sure the history table exists and Ferry's user can write to it once the migration has run (the migration must not drop or rename it, or take away the rights on it).";

    /// <summary>Ends the transaction block a failed batch left open (and aborted).</summary>
    static async Task RollbackAsync(NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open)
            return;
        try
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK", connection);
            await rollback.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (NpgsqlException)
        {
            // The migration's error is what matters; a broken connection rolls back on its own.
        }
    }

    /// <summary>The statement at <paramref name="statementIndex"/> failed; <paramref name="also"/> is said after what stays applied.</summary>
    internal static MigrationFailedException Failure(MigrationScript script, string description, int statementIndex, PostgresException e, IReadOnlyList<MigrationStep> completed, bool transactional, string also = "")
    {
        var consequence = transactional
            ? RolledBack + " Fix the file and run the command again."
            : statementIndex == 0
                ? "Nothing of this migration was applied. Fix the file and run the command again."
                : $"It ran outside a transaction: {(statementIndex == 1 ? "the statement" : $"the {statementIndex} statements")} before this one stay{(statementIndex == 1 ? "s" : "")} applied."
                  + " Fix the file (making what already ran safe to run again, e.g. IF NOT EXISTS) and run the command again.";
        return Failure(script, Location(script, statementIndex, e), $"{description} failed", e, consequence + also, completed);
    }

    /// <summary>Where in the file PostgreSQL failed: at the error's position in the statement, else at the statement's start.</summary>
    internal static (int Line, int Column) Location(MigrationScript script, int statementIndex, PostgresException e)
    {
        var statement = script.Statements[statementIndex];
        return script.LineAndColumn(e.Position > 0 ? MigrationScript.IndexOfPosition(statement, e.Position) : statement.Offset);
    }

    /// <summary>A failure in <paramref name="script"/>, at a line and column when one of its statements failed (null: its history commands or COMMIT).</summary>
    internal static MigrationFailedException Failure(MigrationScript script, (int Line, int Column)? at, string what, PostgresException e, string consequence, IReadOnlyList<MigrationStep> completed)
    {
        var message = new StringBuilder($"{script.Path}{(at is { } p ? $":{p.Line}:{p.Column}" : "")}: {what}: {e.SqlState}: {Sentence(e.MessageText)}");
        if (!string.IsNullOrEmpty(e.Detail))
            message.Append($" DETAIL: {Sentence(e.Detail)}");
        if (!string.IsNullOrEmpty(e.Hint))
            message.Append($" HINT: {Sentence(e.Hint)}");
        if (!string.IsNullOrEmpty(e.Where))
            message.Append($" CONTEXT: {Sentence(e.Where.ReplaceLineEndings(" / "))}");
        message.Append(' ').Append(consequence);
        return new MigrationFailedException(message.ToString(), script.Path, at?.Line, at?.Column, $"{e.SqlState}: {e.MessageText}", e.Detail, e.Hint, completed.ToList(), e);
    }

    /// <summary>"statement 1 ran", "statements 1-3 ran".</summary>
    internal static string StatementsRan(int done) => done == 1 ? "statement 1 ran" : $"statements 1-{done} ran";

    internal static string Sentence(string text) => text.EndsWith('.') ? text : text + ".";

    /// <summary>Writes the SQL a run would send for this script, with its transaction boundaries, from statement <paramref name="from"/> on.</summary>
    public static void WriteScript(StringBuilder sql, MigrationScript script, string what, int from = 0)
    {
        sql.Append("-- ").Append(script.FileName).Append(": ").Append(what).Append('\n');
        if (script.RunsInTransaction)
        {
            sql.Append("BEGIN;\n");
        }
        else
        {
            var why = script.ForcedNoTransaction ? "-- ferry:no-transaction" : NonTransactionalStatements.Reason(script.NonTransactionalStatement!);
            sql.Append("-- outside a transaction (").Append(why).Append("), statement by statement\n");
            if (from > 0)
                sql.Append("-- ").Append(StatementsRan(from)).Append(" in an earlier run that stopped part-way: continuing at statement ").Append(from + 1).Append('\n');
        }

        foreach (var statement in script.Statements.Skip(from))
            sql.Append(statement.Text).Append(";\n");
        if (script.RunsInTransaction)
            sql.Append("COMMIT;\n");
        sql.Append('\n');
    }
}
