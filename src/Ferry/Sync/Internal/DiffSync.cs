using Ferry.Connections;
using Ferry.Copy.Internal;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Verify;
using Ferry.Verify.Internal;
using Npgsql;

namespace Ferry.Sync.Internal;

/// <summary>
/// One later run of one table by diff: the keys it differs by found by bucket fingerprints (<see cref="BucketDiff"/>),
/// only the changed and missing rows read from the source (by a condition on their keys) through the copy's pipeline into
/// the staging table, and applied in one transaction with the extra target rows deleted (<c>--deletes apply</c>) or
/// counted, and the table's <c>ferry.sync_state</c> row. A re-run finds no differing bucket and changes nothing.
/// </summary>
internal sealed class DiffSync(SyncOptions options, ISource reading, SyncSource source, PlannedTable table, TableSyncResult synced)
{
    public async Task RunAsync(PostgresTarget target, NpgsqlDataSource dataSource, string stateKey, string rowsStage, CancellationToken cancellationToken)
    {
        var targetName = table.QualifiedName;
        var (schema, name) = (table.TargetSchema, table.TargetName);
        var columns = table.Written.Select(c => c.TargetName).ToList();
        var userFilter = table.Source.SourceFilter;
        var rejectStem = RejectLog.FileStem(table);
        synced.RowsRead = synced.RowsRejected = 0;

        using var session = new LoadSession(dataSource, new Retrier(RetryPolicy.None, options.Copy.Logger), new ConfirmedBatches(), cancellationToken);
        var connection = session.Connection;
        var key = await StagingApply.KeyAsync(connection, targetName, columns, cancellationToken)
            ?? throw new FerryException($"{table.DisplayName} has no primary key or unique key of NOT NULL columns: a sync by diff applies rows by key. Add one (ALTER TABLE {targetName} ADD PRIMARY KEY (…)).", FailureKind.Failed);
        // Rows are read, staged and hashed as the target's types, as verify reads them (a PostgreSQL source keeps its catalog's).
        if (reading is not IServerHashedSource && await TargetTable.LoadAsync(connection, schema, name, cancellationToken) is { } described)
            Verifier.AdoptTargetTypes(table, described, options.Copy.Names);
        StagingTable.Create(session, table, rowsStage);
        var apply = new StagingApply(connection, targetName, columns, key);
        await AddColumnsAsync(connection, apply, rowsStage, targetName, cancellationToken);
        var differences = await BucketDiff.CompareAsync(reading, table, schema, name, options, target, cancellationToken);
        if (options.Deletes == SyncDeletes.Apply && differences.SourceRejected > 0)
            throw new FerryException($"{differences.SourceRejected} of {synced.Source}'s rows could not be read: their target rows would look deleted, and deletes are not applied from an incomplete source. Nothing of this table was applied.", FailureKind.Failed);

        using (var log = new RejectLog(options.Copy.RejectsDirectory, table.Source.SourceName, rejectStem))
        {
            log.Clear();
            foreach (var keys in differences.ToApply.Chunk(KeyDifferences.KeysPerRead))
            {
                var condition = differences.SourceCondition(keys);
                table.Source.SourceFilter = userFilter is null ? $"({condition})" : $"({userFilter}) AND ({condition})";
                var (read, _, rejected) = StagingTable.Load(reading, table, session, log, options.Copy.BatchRows, cancellationToken);
                synced.RowsRead += read;
                synced.RowsRejected += rejected;
            }

            table.Source.SourceFilter = userFilter;
        }

        if (synced.RowsRead + synced.RowsRejected < differences.ToApply.Count)
            synced.Notes.Add($"{differences.ToApply.Count - synced.RowsRead - synced.RowsRejected} of the {differences.ToApply.Count} differing keys were not found again in the source (deleted since, or a key whose stored form differs from its text): the next run compares them again.");

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        (synced.RowsInserted, synced.RowsUpdated) = await apply.UpsertAsync(transaction, rowsStage, cancellationToken);
        if (options.Deletes == SyncDeletes.Apply)
            synced.RowsDeleted = differences.Extra.Count == 0 ? 0 : await apply.DeleteKeysAsync(transaction, differences.Key, differences.Extra, cancellationToken);
        else
            synced.DeletesPending = differences.Extra.Count;
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(SyncState.Succeeded(stateKey, synced, synced.Source, source.SnapshotXmin, null));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>
    /// Columns the source gained, added to the target before the comparison (which needs them on both sides): the rows
    /// whose new value is not NULL then differ, and are applied with it. A dropped or retyped column stops the table.
    /// </summary>
    async Task AddColumnsAsync(NpgsqlConnection connection, StagingApply apply, string rowsStage, string targetName, CancellationToken cancellationToken)
    {
        var drift = await SchemaDrift.CompareAsync(connection, rowsStage, targetName, [.. table.Columns.Select(c => c.TargetName)], cancellationToken);
        if (drift.Refusal(options.OnSchemaChange, synced.Source, synced.Target) is { } refusal)
            throw new FerryException(refusal, FailureKind.Failed);
        if (drift.Added.Count == 0)
            return;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await apply.AddColumnsAsync(transaction, drift.Added, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        foreach (var column in drift.Added)
            synced.Notes.Add($"Column {column.Name} ({column.Type}) is new in {synced.Source}: added to {synced.Target}, nullable; the rows with a value in it differ, and were applied.");
    }
}
