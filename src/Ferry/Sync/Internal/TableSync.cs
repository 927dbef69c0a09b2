using Ferry.Connections;
using Ferry.Copy;
using Ferry.Copy.Internal;
using Ferry.Schema;
using Ferry.Sources;
using Npgsql;

namespace Ferry.Sync.Internal;

/// <summary>
/// One later run of one table: the rows above its watermark staged through the copy's pipeline, its schema compared, and
/// everything applied in one transaction with its new <c>ferry.sync_state</c> row. The watermark is read in the rows' own
/// snapshot (a PostgreSQL source), else before them: nothing committed between the two is skipped next time.
/// </summary>
internal sealed class TableSync(SyncOptions options, ISource reading, bool deferred, CopyRunner planner, SyncSource source, PlannedTable table, Watermark watermark, TableSyncState? state, TableSyncResult synced)
{
    public async Task RunAsync(NpgsqlDataSource dataSource, string stateKey, string rowsStage, CancellationToken cancellationToken)
    {
        var target = table.QualifiedName;
        var (schema, name) = (table.TargetSchema, table.TargetName);
        var columns = table.Written.Select(c => c.TargetName).ToList();
        var planned = table.Columns.Select(c => c.TargetName).ToList();
        var userFilter = table.Source.SourceFilter;
        var rejectStem = RejectLog.FileStem(table);
        var after = source.InSnapshot ? null : await source.MaxAsync(table, watermark, userFilter, cancellationToken);
        if (synced.WatermarkBefore is { } before)
        {
            // Files are appended to, not changed in place: above the last value exactly, so no row is appended twice.
            var condition = source.Condition(table, watermark, before, state?.SourceXmin, source.AppendOnly ? TimeSpan.Zero : options.Overlap);
            table.Source.SourceFilter = userFilter is null ? $"({condition})" : $"({userFilter}) AND ({condition})";
        }
        else
        {
            synced.Notes.Add($"No watermark recorded for {watermark.Column.SourceName}: every row was read and applied by key.");
        }

        using var session = new LoadSession(dataSource, new Retrier(RetryPolicy.None, options.Copy.Logger), new ConfirmedBatches(), cancellationToken);
        var connection = session.Connection;
        var key = await StagingApply.KeyAsync(connection, target, columns, cancellationToken);
        if (key is null && !source.AppendOnly)
        {
            throw new FerryException(
                $"{table.DisplayName} has no primary key or unique key of NOT NULL columns: a sync applies rows by key. Add one (ALTER TABLE {target} ADD PRIMARY KEY (…)), or sync it by diff (--by-diff).",
                FailureKind.Failed);
        }

        StagingTable.Create(session, table, rowsStage);
        var drift = await SchemaDrift.CompareAsync(connection, rowsStage, target, planned, cancellationToken);
        // Types from declarations alone may differ from those the first copy's profile chose: profiled, they may not.
        if (deferred && drift.Retyped.Count > 0)
            throw new ProfileNeededException(synced.Source, $"its declared types differ from the target's ({string.Join(", ", drift.Retyped.Select(r => $"{r.Name}: {r.Now}, the target's {r.Was}"))})");
        if (drift.Refusal(options.OnSchemaChange, synced.Source, synced.Target) is { } refusal)
            throw new FerryException(refusal, FailureKind.Failed);

        // Both counts scan whole tables and need not wait for the rows: they run while the rows are staged.
        var counts = options.Deletes == SyncDeletes.Ignore ? Task.Run(() => CountBothAsync(dataSource, target, userFilter, cancellationToken), cancellationToken) : null;
        using (var log = new RejectLog(options.Copy.RejectsDirectory, table.Source.SourceName, rejectStem))
        {
            log.Clear();
            var (read, _, rejected) = StagingTable.Load(reading, table, session, log, options.Copy.BatchRows, cancellationToken);
            synced.RowsRead = read;
            synced.RowsRejected = rejected;
        }

        if (source.InSnapshot)
            after = await source.MaxAsync(table, watermark, userFilter, cancellationToken);
        var keys = options.Deletes == SyncDeletes.Apply ? await KeyDiffAsync(schema, name, key!, cancellationToken) : null;

        // Counted before the transaction: its ALTER TABLE for a new column would make the count's own connection wait on it.
        (long Source, long Target)? counted = counts is null ? null : await counts;
        var apply = new StagingApply(connection, target, columns, key);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await apply.AddColumnsAsync(transaction, drift.Added, cancellationToken);
        foreach (var column in drift.Added)
            synced.Notes.Add($"Column {column.Name} ({column.Type}) is new in {synced.Source}: added to {synced.Target}, nullable; rows synced before keep NULL in it until they change.");
        if (key is null)
            synced.RowsInserted = await apply.AppendAsync(transaction, rowsStage, cancellationToken);
        else
            (synced.RowsInserted, synced.RowsUpdated) = await apply.UpsertAsync(transaction, rowsStage, cancellationToken);
        if (counted is var (sourceRows, targetRows))
        {
            // The target's rows after the upsert: those counted before it, and those it inserted.
            synced.DeletesPending = Math.Max(0, targetRows + synced.RowsInserted - sourceRows);
        }
        else if (keys!.Extra.Count > 0)
            synced.RowsDeleted = await apply.DeleteKeysAsync(transaction, keys.Key, keys.Extra, cancellationToken);
        synced.WatermarkAfter = after ?? synced.WatermarkBefore;
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            batch.BatchCommands.Add(SyncState.Succeeded(stateKey, synced, synced.Source, source.SnapshotXmin, watermark.NewestChange(synced.WatermarkAfter)));
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The source's rows (those its filter keeps) and the target's, each on a connection of its own.</summary>
    async Task<(long Source, long Target)> CountBothAsync(NpgsqlDataSource dataSource, string target, string? userFilter, CancellationToken cancellationToken)
    {
        var sourceRows = source.CountAsync(table, userFilter, cancellationToken);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {target}", connection) { CommandTimeout = 0 };
        var targetRows = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return (await sourceRows, targetRows);
    }

    /// <summary>
    /// The target's keys the source no longer has (of the rows its filter keeps): the table's key columns alone compared by
    /// bucket fingerprints, so only the keys of differing buckets are read again. Read before the rows are applied, the
    /// source's new keys are missing in the target then, and ignored.
    /// </summary>
    async Task<KeyDifferences> KeyDiffAsync(string schema, string name, IReadOnlyList<string> key, CancellationToken cancellationToken)
    {
        var keys = (await planner.PlanAsync(reading, cancellationToken)).Tables.First(t => t.DisplayName == synced.Target);
        keys.Drop([.. keys.Columns.Where(c => !key.Contains(c.TargetName))]);
        var differences = await BucketDiff.CompareAsync(reading, keys, schema, name, options, options.Copy.Target!, cancellationToken);
        if (differences.SourceRejected > 0)
            throw new FerryException($"{differences.SourceRejected} of {synced.Source}'s keys could not be read: deletes are not applied from an incomplete list of keys. Nothing of this table was applied.", FailureKind.Failed);
        return differences;
    }
}
