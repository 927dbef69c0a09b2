using System.Text;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ferry.Migrations.Internal;

/// <summary>
/// Runs what <see cref="MigrationPlanner"/> planned, on the connection a <see cref="Migrator"/> holds under its lock:
/// <c>up</c> in round trips of transactional migrations (or one run outside a transaction), <c>down</c> newest first,
/// each recorded in the history table; or writes the SQL a dry run shows.
/// </summary>
internal sealed class PlanRunner
{
    readonly HistoryTable _history;
    readonly ILogger _logger;

    public PlanRunner(HistoryTable history, ILogger logger)
    {
        _history = history;
        _logger = logger;
    }

    string HistoryTable => _history.QualifiedName;

    /// <summary>Applies <paramref name="pending"/> (not empty), replacing the rows of <paramref name="history"/> each one's record replaces.</summary>
    public async Task<List<MigrationStep>> UpAsync(NpgsqlConnection connection, List<LoadedMigration> pending, List<HistoryRow> history, CancellationToken cancellationToken)
    {
        var steps = new List<MigrationStep>();
        // Nothing but this runner (holding the lock) changes the history now, so the rows to replace are those read above.
        var rowsOf = Internal.HistoryTable.RankIndex(history);
        await MigrationExecutor.CommitAsynchronouslyAsync(connection, cancellationToken);
        try
        {
            foreach (var chunk in RoundTrips(pending))
            {
                var before = steps.Count;
                try
                {
                    if (chunk[0].Up.RunsInTransaction)
                    {
                        var runs = chunk.Select(m => new TransactionalRun(
                            m.Up,
                            Describe(m.Files),
                            _history.Record(m.Files, m.Up.Checksum, executionMs: null, success: true, error: null, rowsOf(m.Files)),
                            ms => Step(m.Files, m.Up, ms))).ToList();
                        await MigrationExecutor.RunInTransactionsAsync(connection, runs, HistoryTable, steps, cancellationToken);
                    }
                    else
                    {
                        steps.Add(await RunOutsideTransactionAsync(connection, chunk[0], rowsOf(chunk[0].Files), steps, cancellationToken));
                    }
                }
                finally
                {
                    foreach (var step in steps.Skip(before))
                        _logger.LogInformation("Applied {File} in {Milliseconds} ms", step.File, step.ExecutionMs);
                }
            }
        }
        finally
        {
            await FlushAsync(connection);
        }

        return steps;
    }

    /// <summary>Reverts <paramref name="plan"/> (not empty) with its down files, in order, forgetting each one's row.</summary>
    public async Task<List<MigrationStep>> DownAsync(NpgsqlConnection connection, List<(MigrationFiles Files, HistoryRow Row, MigrationScript Down)> plan, CancellationToken cancellationToken)
    {
        var steps = new List<MigrationStep>();
        await MigrationExecutor.CommitAsynchronouslyAsync(connection, cancellationToken);
        try
        {
            foreach (var (migrationFiles, row, down) in plan)
            {
                var description = $"down migration {migrationFiles.Key}";
                if (down.RunsInTransaction)
                {
                    var run = new TransactionalRun(down, description, [_history.Forget(row.Rank)], ms => Step(migrationFiles, down, ms));
                    await MigrationExecutor.RunInTransactionsAsync(connection, [run], HistoryTable, steps, cancellationToken);
                }
                else
                {
                    // A failure after some statements ran leaves the migration partly reverted: say so in its row.
                    var log = new LogAtEnd(
                        _ => [_history.Forget(row.Rank)],
                        (ran, _, error) => ran == 0 ? null : new FailureRecord(
                            [_history.RecordRevertFailure(row.Rank, down.FileName, error)],
                            $" {HistoryTable} now records {Describe(migrationFiles)} as failed, partly reverted ('ferry migrate up' does not apply it again over what is left); to finish reverting it by hand instead, undo the rest and forget it with 'ferry migrate repair'."));
                    var ms = await OutsideTransactionRunner.RunAsync(connection, down, description, HistoryTable, from: 0, resuming: false, log, steps, _logger, cancellationToken);
                    steps.Add(Step(migrationFiles, down, ms));
                }

                _logger.LogInformation("Reverted {File} in {Milliseconds} ms", down.FileName, steps[^1].ExecutionMs);
            }
        }
        finally
        {
            await FlushAsync(connection);
        }

        return steps;
    }

    public MigrationRunReport DryRun(List<LoadedMigration> plan, bool down)
    {
        var sql = new StringBuilder();
        foreach (var migration in plan)
            MigrationExecutor.WriteScript(sql, migration.Up, $"{(down ? "revert" : "apply")} {Describe(migration.Files)}; then {(down ? "delete its row from" : "record it in")} {HistoryTable}", migration.From);
        if (plan.Count == 0)
            sql.Append("-- nothing to ").Append(down ? "revert" : "apply").Append('\n');
        return new MigrationRunReport(HistoryTable, true, plan.Select(p => Step(p.Files, p.Up, null)).ToList(), sql.ToString());
    }

    /// <summary>
    /// After a run that switched to asynchronous commits (finished or failed), one synchronous commit makes what it
    /// committed durable.
    /// </summary>
    async Task FlushAsync(NpgsqlConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open)
            return;
        try
        {
            await MigrationExecutor.FlushAsync(connection, CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            _logger.LogWarning("Could not confirm that the WAL of this run's migrations was flushed: {Message}", e.Message);
        }
    }

    /// <summary>
    /// Runs a migration that cannot run in a transaction, statement by statement, its row recording each statement done;
    /// one that stopped part-way in an earlier run continues after the statements its row records.
    /// </summary>
    async Task<MigrationStep> RunOutsideTransactionAsync(NpgsqlConnection connection, LoadedMigration migration, long[] replacing, List<MigrationStep> steps, CancellationToken cancellationToken)
    {
        var (files, script, from) = (migration.Files, migration.Up, migration.From);
        var total = script.Statements.Count;
        if (from == total && migration.Continues)
            _logger.LogInformation("{Migration}: all {Total} of its statements ran in an earlier run that stopped before recording it as applied; recording it now", Describe(files), total);
        else if (from > 0)
            _logger.LogInformation("Continuing {Migration} at statement {Next} of {Total} (line {Line}): {Done} in an earlier run that stopped part-way", Describe(files), from + 1, total, script.LineAndColumn(script.Statements[from].Offset).Line, MigrationExecutor.StatementsRan(from));
        else if (migration.Resuming)
            _logger.LogInformation("Running {Migration} from its first statement: the earlier run that stopped part-way had completed none of them", Describe(files));
        var log = new LogEachStatement(_history, files, script.Checksum, replacing);
        var ms = await OutsideTransactionRunner.RunAsync(connection, script, Describe(files), HistoryTable, from, migration.Resuming, log, steps, _logger, cancellationToken);
        return Step(files, script, ms) with { StatementsBefore = from > 0 ? from : null };
    }

    /// <summary>
    /// Groups consecutive transactional migrations to send several per round trip (each still its own
    /// transaction); a migration that runs outside a transaction goes alone.
    /// </summary>
    static IEnumerable<List<LoadedMigration>> RoundTrips(List<LoadedMigration> pending)
    {
        const int MaxMigrations = 50;
        const int MaxCharacters = 256 * 1024;
        var chunk = new List<LoadedMigration>();
        var characters = 0;
        foreach (var migration in pending)
        {
            if (!migration.Up.RunsInTransaction)
            {
                if (chunk.Count > 0)
                    yield return chunk;
                yield return [migration];
                (chunk, characters) = ([], 0);
                continue;
            }

            if (chunk.Count > 0 && (chunk.Count >= MaxMigrations || characters + migration.Up.Text.Length > MaxCharacters))
            {
                yield return chunk;
                (chunk, characters) = ([], 0);
            }

            chunk.Add(migration);
            characters += migration.Up.Text.Length;
        }

        if (chunk.Count > 0)
            yield return chunk;
    }

    static string Describe(MigrationFiles files) =>
        files.Kind == MigrationKind.Repeatable ? $"repeatable migration {files.Name}" : $"migration {files.Version} ({files.Name})";

    static MigrationStep Step(MigrationFiles files, MigrationScript script, long? ms) =>
        new(files.Version?.Text, files.Name, files.Kind, script.FileName, script.RunsInTransaction, ms, DownFile: files.DownPath);
}
