using System.Diagnostics;
using Ferry.Connections;
using Ferry.Copy.Internal;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Target;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ferry.Copy;

/// <summary>
/// Copies a source into PostgreSQL: discover → plan (names, types, DDL) → create tables without secondary
/// indexes → load tables in parallel, largest first → primary keys, unique constraints and indexes → foreign
/// keys (NOT VALID, then validated; orphans reported) → identities past the copied maximum → views →
/// ANALYZE → counts checked against the accounting. The runner keeps the phases and their parallelism; what each
/// sends to the target is one list of steps (<see cref="CopySteps"/>, run by <see cref="CopyTarget"/>), the list
/// <c>--dry-run</c> prints. State lives in <c>ferry.copy_state</c> for <c>--resume</c>.
/// What can be checked before the first write is checked before it (<see cref="CopyPreflight"/>); a step that loses
/// its connection to the target is retried (<see cref="CopyOptions.Retry"/>) at a grain where that is exact.
/// </summary>
public sealed class CopyRunner(CopyOptions options, IProgress<CopyProgress>? progress = null)
{
    public CopyOptions Options { get; } = options;

    /// <summary>Opens the source named by <see cref="CopyOptions.Source"/> and copies it.</summary>
    public async Task<CopyResult> RunAsync(CancellationToken cancellationToken)
    {
        await using var source = SourceFactory.Open(Options.Source, Options.SourceOptions, Options.TableName);
        return await RunAsync(source, cancellationToken);
    }

    /// <summary>Discovers the source and plans the target schema (nothing is written).</summary>
    public async Task<SchemaPlan> PlanAsync(ISource source, CancellationToken cancellationToken)
    {
        var model = await source.DiscoverAsync(cancellationToken);
        var plan = SchemaPlanner.Plan(model, new PlanSettings(Options.Names, Options.TargetSchema, Options.Tables, Options.Casts, Options.ColumnSteps, Options.Replace, Options.CompatViews, Options.TableRenames, Options.Origins));
        var unreadable = source is ITypeCheckedSource typed ? plan.Tables.SelectMany(t => typed.Unreadable(t)).ToList() : [];
        if (unreadable.Count > 0)
            throw new FerryException(string.Join("\n", unreadable) + "\nNothing was written.");
        return plan;
    }

    /// <summary>Copies <paramref name="source"/> (discovered here).</summary>
    public async Task<CopyResult> RunAsync(ISource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        // A copy that loads lets its readers check the values instead of profiling tables first; a plan that is only
        // printed profiles every table (see IProfileDeferringSource), and so does --resume: a table an earlier run
        // finished is not read again, so only a profile gives its types (which that run's readers may have changed).
        if (Options.DryRun || Options.Resume || source is not IProfileDeferringSource deferrable || deferrable.DeferringProfile(new HashSet<string>()) is not { } opened)
            return await RunAsync(source, reopen: null, cancellationToken);
        await using var deferring = opened;
        return await RunAsync(deferring, tables => deferrable.DeferringProfile(tables)!, cancellationToken);
    }

    /// <param name="source">The source, discovered here.</param>
    /// <param name="reopen">
    /// The same source again, profiling the tables given (by source name): for the tables whose readers threw
    /// <see cref="ProfileNeededException"/>. Null when <paramref name="source"/> profiles every table.
    /// </param>
    /// <param name="cancellationToken">Stops the copy.</param>
    async Task<CopyResult> RunAsync(ISource source, Func<IReadOnlySet<string>, ISource>? reopen, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        CopyPreflight.CheckOptions(Options);
        // The target's connection opens while the source is discovered (a source that fails still reports first).
        var target = Options.DryRun ? null : Options.Target;
        // Every connection carries the run's mark: a --resume finds the sessions this run leaves working if killed.
        var stateKey = SourceFactory.StateKey(source);
        var mark = new RunMark("copy", string.Join('\n', [stateKey, Options.TargetSchema ?? "", Options.TableName ?? "", .. (Options.Tables ?? []).Order(StringComparer.Ordinal)]));
        await using var dataSource = target is null ? null : CopyTarget.CreateDataSource(target, mark);
        var retrier = new Retrier(Options.Retry, Options.Logger, dataSource);
        var (plan, opened) = dataSource is null
            ? (await PlanAsync(source, cancellationToken), null)
            : await Ferry.Internal.Meanwhile.AcquireAsync(ct => CopyTarget.OpenAsync(dataSource, target!, retrier, ct), () => PlanAsync(source, cancellationToken), cancellationToken);
        await using var targetSteps = dataSource is null ? null : new CopyTarget(dataSource, retrier, opened!, Options);
        var targetNotes = targetSteps is null ? [] : await targetSteps.PlanAsync(plan, cancellationToken);
        var phaseStart = TimeSpan.Zero;
        var result = new CopyResult
        {
            Source = source.Description,
            Target = Options.Target?.DisplayUrl,
            Plan = plan,
            DryRun = Options.DryRun,
            RejectsDirectory = Path.GetFullPath(Options.RejectsDirectory),
        };
        result.Warnings.AddRange(plan.Notes.Concat(targetNotes));
        result.Notes.AddRange(plan.Applied);
        void Phase(string name)
        {
            result.Phases.Add(new PhaseTiming(name, (clock.Elapsed - phaseStart).TotalSeconds) { Started = phaseStart.TotalSeconds });
            phaseStart = clock.Elapsed;
        }

        Phase("discover and plan");
        if (Options.DryRun)
        {
            result.Seconds = clock.Elapsed.TotalSeconds;
            return result;
        }

        if (dataSource is null || targetSteps is null)
            throw new FerryException("No target PostgreSQL: give --to URL (or --database, DATABASE_URL, …).");
        // Before the catalog is read: a killed earlier run's sessions may still be building its indexes.
        await using var claim = await RunClaim.TakeAsync(target!, mark, $"the copy of {plan.Source}", Options.Logger, cancellationToken);
        try
        {
            CopyPreflight.CheckRejects(result.RejectsDirectory, plan);
            if (Options.BeforeFirstWrite is { } beforeFirstWrite)
                await beforeFirstWrite(cancellationToken);
            var toLoad = await targetSteps.CreateAsync(stateKey, result, cancellationToken);
            Phase("create");

            var loads = await LoadAsync(source, toLoad, dataSource, retrier, result, cancellationToken);

            // A table loaded on its declared types whose reader met a value the skipped profile would have weighed:
            // profiled now, created again (the values may change its types), loaded again.
            var givenUp = loads.Where(l => l.ProfileNeeded is not null).ToList();
            if (givenUp.Count > 0)
            {
                if (reopen is null)
                    throw new InvalidOperationException("A reader asked for a profile its source was told to skip.");
                foreach (var load in givenUp)
                    Options.Logger.LogInformation("Loading {Table} again, profiled: {Reason}", load.Table.DisplayName, load.ProfileNeeded!.Reason);
                var names = givenUp.Select(l => l.Table.Source.SourceName).ToHashSet(StringComparer.Ordinal);
                await using var profiled = reopen(names);
                var assumed = plan.Notes.Count;
                plan = await PlanAsync(profiled, cancellationToken);
                await targetSteps.PlanAsync(plan, cancellationToken);
                result.Plan = plan;
                result.Warnings.RemoveRange(0, assumed); // the first warnings are the plan's notes
                result.Warnings.InsertRange(0, plan.Notes);
                result.Notes.Clear();
                result.Notes.AddRange(plan.Applied);
                var again = plan.Tables.Where(t => names.Contains(t.Source.SourceName)).ToList();
                await targetSteps.RecreateAsync(again, cancellationToken);
                loads = [.. loads.Except(givenUp), .. await LoadAsync(profiled, again, dataSource, retrier, result, cancellationToken)];
            }

            var loaded = loads.ToDictionary(l => l.Table.DisplayName, l => l.Result, StringComparer.Ordinal);
            foreach (var table in plan.Tables)
            {
                if (loaded.TryGetValue(table.DisplayName, out var tableResult))
                    result.Tables.Add(tableResult);
            }

            var counted = await CountFilteredAsync(source, plan, result, cancellationToken);
            await targetSteps.RecordFilteredAsync(stateKey, counted, cancellationToken);
            Phase("load");
            await targetSteps.KeysAsync(result, Jobs(cancellationToken));
            Phase("keys and indexes");
            await targetSteps.ForeignKeysAsync(result, Jobs(cancellationToken));
            Phase("foreign keys");
            await targetSteps.IdentitiesAndViewsAsync(result, cancellationToken);
            Phase("identities and views");
            await targetSteps.StatisticsAndCountsAsync(result, () => Jobs(cancellationToken));
            Phase("analyze and count check");
        }
        catch (TargetLostException e) when (e.Detail is null)
        {
            await targetSteps.ResumeAutovacuumAsync();
            throw e.With("When the server is back, run the same command with --resume: the tables marked loaded are kept, the rest is done again.");
        }
        catch
        {
            await targetSteps.ResumeAutovacuumAsync();
            throw;
        }

        var order = plan.Tables.Select((t, i) => (t.DisplayName, i)).ToDictionary(x => x.DisplayName, x => x.i, StringComparer.Ordinal);
        result.Tables.Sort((a, b) => order[a.Target].CompareTo(order[b.Target]));
        result.Seconds = clock.Elapsed.TotalSeconds;
        return result;
    }

    /// <summary>Loads <paramref name="tables"/> (rejects files emptied first); each load's result, or why it was given up.</summary>
    async Task<List<TableLoad>> LoadAsync(ISource source, List<PlannedTable> tables, NpgsqlDataSource dataSource, Retrier retrier, CopyResult result, CancellationToken cancellationToken)
    {
        var loads = tables.Select(t => new TableLoad(
            t,
            new RejectLog(result.RejectsDirectory, t.Source.SourceName, RejectLog.FileStem(t)),
            new TableCopyResult { Source = t.Source.QualifiedSourceName, Target = t.DisplayName })).ToList();
        try
        {
            foreach (var load in loads)
                load.Log.Clear();
            await LoadPhase.RunAsync(source, loads.OrderByDescending(l => l.Table.Source.EstimatedRows ?? 0).ToList(), dataSource, retrier, Options, progress, cancellationToken);
        }
        finally
        {
            foreach (var load in loads)
                load.Dispose();
        }

        return loads;
    }

    /// <summary>
    /// The rows each filtered table's <c>--where</c> left out, counted by the source's engine and added to the rows read;
    /// the tables counted (a table kept by --resume is counted only when its earlier run had not).
    /// </summary>
    async Task<List<TableCopyResult>> CountFilteredAsync(ISource source, SchemaPlan plan, CopyResult result, CancellationToken cancellationToken)
    {
        var filtered = plan.Tables.Where(t => t.Source.SourceFilter is not null).ToDictionary(t => t.DisplayName, StringComparer.Ordinal);
        var tables = result.Tables.Where(t => !t.FilteredCounted && filtered.ContainsKey(t.Target)).ToList();
        if (tables.Count == 0)
            return tables;
        var counting = source as IRowCountingSource ?? throw new InvalidOperationException($"{source.Description} cannot count the rows its filters leave out.");
        await Parallel.ForEachAsync(tables, Jobs(cancellationToken), async (table, ct) =>
        {
            table.RowsFiltered = await counting.CountFilteredAsync(filtered[table.Target].Source, ct);
            table.RowsRead += table.RowsFiltered;
            table.FilteredCounted = true;
        });
        return tables;
    }

    ParallelOptions Jobs(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = Options.Jobs, CancellationToken = cancellationToken };
}
