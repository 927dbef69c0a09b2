using System.Diagnostics;
using Ferry.Connections;
using Ferry.Copy;
using Ferry.Copy.Internal;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Sync.Internal;
using Npgsql;

namespace Ferry.Sync;

/// <summary>
/// Keeps target tables current with their source, by watermark. A table's first run (no target table yet) is the full
/// copy, then its watermark recorded: read in the copy's own snapshot from a PostgreSQL source, before the copy from any
/// other. A later run reads the rows above the last watermark less the overlap (from a PostgreSQL source, also those
/// written by transactions still open at the last run), loads them through the copy's pipeline into a temporary staging
/// table, and applies them by key in one transaction with the new watermark in <c>ferry.sync_state</c>. A table that
/// cannot be synced is stopped with its reason, the others go on.
/// </summary>
public sealed class SyncRunner(SyncOptions options)
{
    const string RowsStage = "ferry_sync_rows";

    public SyncOptions Options { get; } = options;

    /// <summary>Opens the source named by the copy options and syncs it.</summary>
    public async Task<SyncResult> RunAsync(CancellationToken cancellationToken)
    {
        await using var source = SourceFactory.Open(Options.Copy.Source, Options.Copy.SourceOptions, Options.Copy.TableName);
        return await RunAsync(source, cancellationToken);
    }

    /// <summary>Syncs the tables of <paramref name="source"/> (opened with <see cref="CopyOptions.SourceOptions"/>).</summary>
    public async Task<SyncResult> RunAsync(ISource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var copy = Options.Copy;
        var target = copy.Target ?? throw new FerryException("No target PostgreSQL: give --to URL (or --database, DATABASE_URL, …).", FailureKind.Configuration);
        var clock = Stopwatch.StartNew();
        var engine = SourceFactory.Parse(copy.Source).Engine;
        if (Options.Deletes == SyncDeletes.Apply && (engine == Sources.DuckDb.DuckDbEngines.Parquet || engine == Sources.DuckDb.DuckDbEngines.Csv))
        {
            throw new FerryException(
                $"--deletes apply: {source.Description} is files, which a sync reads as append-only (rows above the watermark are added; none is ever found deleted). Sync with --deletes ignore: the target rows the files no longer have are counted. Nothing was written.",
                FailureKind.Configuration);
        }

        var stateKey = SourceFactory.StateKey(source);
        // Before anything is read or written: a second process running this sync waits for its next slot or says who runs it.
        await using var held = await SyncLock.AcquireAsync(target, SyncLock.KeyOf(stateKey, copy), $"The sync of {source.Description} into {target.DisplayUrl}", cancellationToken);
        // A table's rows are read on its declared types, checked as they come, rather than after profiling all of it.
        await using var deferring = (source as IProfileDeferringSource)?.DeferringProfile(new HashSet<string>());
        var reading = deferring ?? source;
        var planner = new CopyRunner(copy with { BeforeFirstWrite = null });
        var plan = await planner.PlanAsync(reading, cancellationToken);
        await using var syncSource = new SyncSource(reading, engine, copy.TableName);
        await using var dataSource = target.CreateDataSource();
        await using var connection = await target.OpenAsync(dataSource.CreateConnection(), cancellationToken);
        var watermarks = plan.Tables.ToDictionary(t => t, t => WatermarkColumn(t) is { } column ? Watermark.Of(t, column) : null);
        var result = new SyncResult { Source = source.Description, Target = target.DisplayUrl };

        if (copy.BeforeFirstWrite is { } beforeFirstWrite)
            await beforeFirstWrite(cancellationToken);
        await SyncState.EnsureAsync(connection, cancellationToken);
        var states = await SyncState.ReadAsync(connection, stateKey, cancellationToken);
        var existing = new HashSet<PlannedTable>();
        foreach (var table in plan.Tables)
        {
            await using var exists = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
            exists.Parameters.Add(new NpgsqlParameter { Value = table.QualifiedName });
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
                existing.Add(table);
        }

        if (Options.BeforeChanges is { } beforeChanges && existing.Count > 0)
            await beforeChanges([.. plan.Tables.Where(existing.Contains).Select(t => t.DisplayName)], cancellationToken);

        // Taken before the tables are synced: a table's rows are staged under another name.
        var order = plan.Tables.Select((t, i) => (t.DisplayName, i)).ToDictionary(x => x.DisplayName, x => x.i, StringComparer.Ordinal);
        var first = plan.Tables.Where(t => !existing.Contains(t)).ToList();
        if (first.Count > 0)
            await CopyFirstAsync(source, syncSource, first, watermarks, connection, stateKey, result, cancellationToken);
        foreach (var table in ParentsFirst(plan.Tables).Where(existing.Contains))
        {
            var state = states.GetValueOrDefault(table.DisplayName);
            result.Tables.Add(await SyncTableAsync(source, reading, planner, syncSource, table, watermarks[table], state, dataSource, connection, stateKey, cancellationToken));
        }

        result.Tables.Sort((a, b) => order[a.Target].CompareTo(order[b.Target]));
        result.Seconds = clock.Elapsed.TotalSeconds;
        return result;
    }

    /// <summary>
    /// The tables with those a foreign key references before it, so a new parent row is in place before the child rows
    /// that point at it (a cycle keeps the plan's order). A parent row deleted while a child still references it stops
    /// the parent's table for this run; the child's deletes are applied after it, and the next run applies the parent's.
    /// </summary>
    static List<PlannedTable> ParentsFirst(IReadOnlyList<PlannedTable> tables)
    {
        var ordered = new List<PlannedTable>();
        var visiting = new HashSet<PlannedTable>();
        void Visit(PlannedTable table)
        {
            if (ordered.Contains(table) || !visiting.Add(table))
                return;
            foreach (var key in table.ForeignKeys.Where(k => k.Referenced != table && tables.Contains(k.Referenced)))
                Visit(key.Referenced);
            ordered.Add(table);
        }

        foreach (var table in tables)
            Visit(table);
        return ordered;
    }

    /// <summary>The watermark column named for <paramref name="table"/>; null (synced by diff) under --by-diff, when none is named, or when the bare --watermark column is not the table's.</summary>
    string? WatermarkColumn(PlannedTable table)
    {
        if (Options.ByDiff)
            return null;
        foreach (var name in (string[])[table.Source.QualifiedSourceName, table.Source.SourceName, table.DisplayName, table.TargetName])
        {
            if (Options.TableWatermarks.TryGetValue(name, out var column))
                return column;
        }

        return Options.Watermark is { } all && table.Copied.Any(c => c.SourceName == all || c.TargetName == all) ? all : null;
    }

    /// <summary>The tables without a target table: copied whole, each then recorded with the watermark the copy covers.</summary>
    async Task CopyFirstAsync(ISource source, SyncSource syncSource, List<PlannedTable> tables, Dictionary<PlannedTable, Watermark?> watermarks, NpgsqlConnection connection, string stateKey, SyncResult result, CancellationToken cancellationToken)
    {
        // Read before the copy when the copy's own snapshot cannot be asked after it: what commits between is read again next time.
        var maxes = new Dictionary<PlannedTable, string?>();
        if (!syncSource.InSnapshot)
        {
            foreach (var table in tables)
                maxes[table] = watermarks[table] is { } watermark ? await syncSource.MaxAsync(table, watermark, table.Source.SourceFilter, cancellationToken) : null;
        }

        var copied = await new CopyRunner(Options.Copy with { Tables = [.. tables.Select(t => t.Source.QualifiedSourceName)], BeforeFirstWrite = null }).RunAsync(source, cancellationToken);
        result.Copy = copied;
        foreach (var table in tables)
        {
            if (syncSource.InSnapshot)
                maxes[table] = watermarks[table] is { } watermark ? await syncSource.MaxAsync(table, watermark, table.Source.SourceFilter, cancellationToken) : null;
            var loaded = copied.Tables.FirstOrDefault(t => t.Target == table.DisplayName);
            var synced = new TableSyncResult
            {
                Source = table.Source.QualifiedSourceName,
                Target = table.DisplayName,
                Mode = TableSyncResult.CopyMode,
                WatermarkColumn = watermarks[table]?.Column.SourceName,
                WatermarkAfter = maxes[table],
                RowsRead = loaded?.RowsRead ?? 0,
                RowsInserted = loaded?.RowsWritten ?? 0,
                RowsRejected = loaded?.RowsRejected ?? 0,
                Seconds = loaded?.Seconds ?? 0,
            };
            await using var batch = new NpgsqlBatch(connection);
            batch.BatchCommands.Add(SyncState.Succeeded(stateKey, synced, synced.Source, syncSource.SnapshotXmin, watermarks[table]?.NewestChange(synced.WatermarkAfter)));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            result.Tables.Add(synced);
        }
    }

    /// <summary>A later run of a table, by watermark or by diff: its changed rows staged and applied; stopped (recorded with its reason) when it cannot be.</summary>
    async Task<TableSyncResult> SyncTableAsync(ISource source, ISource reading, CopyRunner planner, SyncSource syncSource, PlannedTable table, Watermark? watermark, TableSyncState? state, NpgsqlDataSource dataSource, NpgsqlConnection connection, string stateKey, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var synced = new TableSyncResult
        {
            Source = table.Source.QualifiedSourceName,
            Target = table.DisplayName,
            Mode = watermark is null ? TableSyncResult.DiffMode : TableSyncResult.WatermarkMode,
            WatermarkColumn = watermark?.Column.SourceName,
            // A watermark of another column says nothing of this one: every row is read once.
            WatermarkBefore = watermark is not null && state?.WatermarkColumn == watermark.Column.SourceName ? state.Watermark : null,
        };
        Task Run(ISource rows, PlannedTable planned, bool deferred) => watermark is null
            ? new DiffSync(Options, rows, syncSource, planned, synced).RunAsync(Options.Copy.Target!, dataSource, stateKey, RowsStage, cancellationToken)
            : new TableSync(Options, rows, deferred, planner, syncSource, planned, Watermark.Of(planned, watermark.Column.SourceName), state, synced).RunAsync(dataSource, stateKey, RowsStage, cancellationToken);
        try
        {
            try
            {
                await Run(reading, table, reading != source);
            }
            catch (ProfileNeededException needed) when (source is IProfileDeferringSource deferrable && deferrable.DeferringProfile(new HashSet<string>(StringComparer.Ordinal) { table.Source.SourceName }) is { } profiling)
            {
                // A value its declared types do not hold: the table is profiled, as the copy does, and staged again.
                await using var profiled = profiling;
                synced.Notes.Add($"Read again after profiling its values: {needed.Reason}");
                var again = (await planner.PlanAsync(profiled, cancellationToken)).Tables.First(t => t.DisplayName == synced.Target);
                await Run(profiled, again, false);
            }
        }
        catch (Exception e) when (e is FerryException or PostgresException or ProfileNeededException)
        {
            synced.Error = e is PostgresException pg ? $"{synced.Target}: {pg.MessageText}{(pg.Detail is { } detail && !detail.StartsWith("Detail redacted", StringComparison.Ordinal) ? $" ({detail})" : "")}" : e.Message;
            synced.WatermarkAfter = null;
            await SyncState.FailedAsync(connection, stateKey, synced, synced.Source, cancellationToken);
        }

        synced.Seconds = clock.Elapsed.TotalSeconds;
        return synced;
    }
}
