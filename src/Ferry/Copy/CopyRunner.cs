using System.Diagnostics;
using Ferry.Connections;
using Ferry.Copy.Internal;
using Ferry.Schema;
using Ferry.Sources;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ferry.Copy;

/// <summary>
/// Copies a source into PostgreSQL: discover → plan (names, types, DDL) → create tables without secondary
/// indexes → load tables in parallel, largest first → primary keys, unique constraints and indexes → foreign
/// keys (NOT VALID, then validated; orphans reported) → identities past the copied maximum → views →
/// ANALYZE → counts checked against the accounting. State lives in <c>ferry.copy_state</c> for <c>--resume</c>.
/// What can be checked before the first write is checked before it (<see cref="CopyPreflight"/>); a step that loses
/// its connection to the target is retried (<see cref="CopyOptions.Retry"/>) at a grain where that is exact.
/// </summary>
public sealed class CopyRunner(CopyOptions options, IProgress<CopyProgress>? progress = null)
{
    readonly Lock _lock = new();

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
        var plan = SchemaPlanner.Plan(model, new PlanSettings(Options.Names, Options.TargetSchema, Options.Tables, Options.Casts));
        var unreadable = source is ITypeCheckedSource typed ? plan.Tables.SelectMany(t => typed.Unreadable(t.Model)).ToList() : [];
        if (unreadable.Count > 0)
            throw new FerryException(string.Join("\n", unreadable) + "\nNothing was written.");
        return plan;
    }

    /// <summary>Copies <paramref name="source"/> (discovered here).</summary>
    public async Task<CopyResult> RunAsync(ISource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        // A copy that loads lets its readers check the values instead of profiling tables first; a plan that is only
        // printed profiles every table (see SourceOptions.DeferProfile), and so does --resume: a table an earlier run
        // finished is not read again, so only a profile gives its types (which that run's readers may have changed).
        if (Options.DryRun || Options.Resume || source is not IReopenableSource reopenable || reopenable.Reopen(o => o with { DeferProfile = true }) is not { } opened)
            return await RunAsync(source, reopen: null, cancellationToken);
        await using var deferring = opened;
        return await RunAsync(deferring, tables => reopenable.Reopen(o => o with { DeferProfile = true, ProfiledTables = tables })!, cancellationToken);
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
        var mark = new RunMark("copy", string.Join('\n', [SourceFactory.StateKey(source), Options.TargetSchema ?? "", Options.TableName ?? "", .. (Options.Tables ?? []).Order(StringComparer.Ordinal)]));
        await using var dataSource = target?.CreateDataSource(builder =>
        {
            builder.ConnectionStringBuilder.ApplicationName = mark.ApplicationName(builder.ConnectionStringBuilder.ApplicationName);
            WideNumericResolverFactory.Register(builder); // numerics beyond decimal, exact
            builder.ConnectionStringBuilder.WriteBufferSize = 64 * 1024; // Fewer, larger socket writes for COPY (default 8 KB).
            builder.ConnectionStringBuilder.IncludeErrorDetail = true; // The duplicated key of a failed unique index, what depends on a table.
        });
        var retrier = new Retrier(Options.Retry, Options.Logger, dataSource);
        var (plan, opened) = dataSource is null
            ? (await PlanAsync(source, cancellationToken), null)
            : await Ferry.Internal.Meanwhile.AcquireAsync(ct => OpenAsync(dataSource, target!, retrier, ct), () => PlanAsync(source, cancellationToken), cancellationToken);
        await using var session = dataSource is null ? null : new TargetSession(dataSource, retrier);
        session?.Adopt(opened!);
        var targetNotes = session is null ? [] : await session.RunAsync("reading the target's extensions", (c, _, ct) => GeometryColumns.FitAsync(c, plan, ct), cancellationToken);
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
        void Phase(string name)
        {
            result.Phases.Add(new PhaseTiming(name, (clock.Elapsed - phaseStart).TotalSeconds));
            phaseStart = clock.Elapsed;
        }

        Phase("discover and plan");
        if (Options.DryRun)
        {
            result.Seconds = clock.Elapsed.TotalSeconds;
            return result;
        }

        if (dataSource is null || session is null)
            throw new FerryException("No target PostgreSQL: give --to URL (or --database, DATABASE_URL, …).");
        // Before the catalog is read: a killed earlier run's sessions may still be building its indexes.
        await using var claim = await RunClaim.TakeAsync(target!, mark, $"the copy of {plan.Source}", Options.Logger, cancellationToken);
        // Tables whose autovacuum this run turned off: a run that fails turns it back on (a killed one leaves that to
        // --resume or --replace, which finish or drop them).
        var paused = new List<PlannedTable>();
        try
        {
            CopyPreflight.CheckRejects(result.RejectsDirectory, plan);
            var prepared = new RetriedCommit<List<PlannedTable>>();
            var toLoad = await session.RunAsync("creating the tables", async (c, _, ct) =>
            {
                if (!await prepared.CommittedAsync(c, ct))
                {
                    result.Tables.Clear(); // what an attempt that did not commit noted
                    await PrepareTargetAsync(c, SourceFactory.StateKey(source), plan, await ExistingRelationsAsync(c, ct), result, prepared, ct);
                }

                if (plan.Enums.Count > 0)
                    await c.ReloadTypesAsync(ct); // The new enum types must be known to write their labels.
                return prepared.Result!;
            }, cancellationToken);
            paused.AddRange(toLoad);
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
                var names = givenUp.Select(l => l.Table.Model.SourceName).ToHashSet(StringComparer.Ordinal);
                await using var profiled = reopen(names);
                var assumed = plan.Notes.Count;
                plan = await PlanAsync(profiled, cancellationToken);
                await session.RunAsync("reading the target's extensions", (c, _, ct) => GeometryColumns.FitAsync(c, plan, ct), cancellationToken);
                result.Plan = plan;
                result.Warnings.RemoveRange(0, assumed); // the first warnings are the plan's notes
                result.Warnings.InsertRange(0, plan.Notes);
                var again = plan.Tables.Where(t => names.Contains(t.Model.SourceName)).ToList();
                foreach (var table in again) // one implicit transaction: it may run again whole
                    await session.ExecuteAsync($"creating {table.DisplayName} again", $"DROP TABLE IF EXISTS {table.QualifiedName};\n" + AutovacuumPaused(DdlWriter.CreateTable(table), table), cancellationToken);

                loads = [.. loads.Except(givenUp), .. await LoadAsync(profiled, again, dataSource, retrier, result, cancellationToken)];
            }

            var loaded = loads.ToDictionary(l => l.Table.DisplayName, l => l.Result, StringComparer.Ordinal);
            foreach (var table in plan.Tables)
            {
                if (loaded.TryGetValue(table.DisplayName, out var tableResult))
                    result.Tables.Add(tableResult);
            }

            Phase("load");
            await KeyPhase.RunAsync(dataSource, retrier, plan, Options.Resume, result, Jobs(cancellationToken), Options.Logger);
            Phase("keys and indexes");
            await ForeignKeyStep.BuildAsync(dataSource, session, plan, result, Jobs(cancellationToken));
            Phase("foreign keys");
            foreach (var table in plan.Tables)
            {
                foreach (var column in table.Model.Columns.Where(c => c.Identity))
                    await session.ExecuteAsync($"restarting the identity of {table.DisplayName}", DdlWriter.RestartIdentity(table, column), cancellationToken);
            }

            await ViewStep.CreateAsync(session, plan, result, cancellationToken);
            Phase("identities and views");
            // ANALYZE and the count check together, on their own connections: both read the tables and neither
            // waits for the other's locks. (Not alongside the index builds: CREATE INDEX's lock conflicts with ANALYZE's,
            // and ALTER TABLE … ADD PRIMARY KEY's with both.)
            await Task.WhenAll(
                Parallel.ForEachAsync(plan.Tables, Jobs(cancellationToken), (table, ct) => new ValueTask(retrier.RunAsync($"analyzing {table.DisplayName}", async (_, ct2) =>
                {
                    await using var c = await dataSource.OpenConnectionAsync(ct2);
                    await ExecuteAsync(c, DdlWriter.Analyze(table) + ";\n" + DdlWriter.ResumeAutovacuum(table), ct2);
                }, ct))),
                RowAccounting.CheckAsync(dataSource, retrier, result, Jobs(cancellationToken)));
            Phase("analyze and count check");
        }
        catch (TargetLostException e) when (e.Detail is null)
        {
            await ResumeAutovacuumAsync(dataSource, paused);
            throw e.With("When the server is back, run the same command with --resume: the tables marked loaded are kept, the rest is done again.");
        }
        catch
        {
            await ResumeAutovacuumAsync(dataSource, paused);
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
            new RejectLog(result.RejectsDirectory, t.Model.SourceName, RejectLog.FileStem(t)),
            new TableCopyResult { Source = t.Model.QualifiedSourceName, Target = t.DisplayName })).ToList();
        try
        {
            foreach (var load in loads)
                load.Log.Clear();
            await LoadPhase.RunAsync(source, loads.OrderByDescending(l => l.Table.Model.EstimatedRows ?? 0).ToList(), dataSource, retrier, Options, progress, cancellationToken);
        }
        finally
        {
            foreach (var load in loads)
                load.Dispose();
        }

        return loads;
    }

    ParallelOptions Jobs(CancellationToken cancellationToken) => new() { MaxDegreeOfParallelism = Options.Jobs, CancellationToken = cancellationToken };

    /// <summary>The first connection: a server starting up is waited for; one that is not there, or refuses what was asked, is a configuration error.</summary>
    static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, PostgresTarget target, Retrier retrier, CancellationToken cancellationToken)
    {
        try
        {
            return await retrier.RunAsync("connecting", async (_, ct) =>
            {
                try
                {
                    return await dataSource.OpenConnectionAsync(ct);
                }
                catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException && e is not PostgresException { SqlState: PostgresErrorCodes.CannotConnectNow })
                {
                    throw target.ConnectionFailure(e);
                }
            }, cancellationToken);
        }
        catch (TargetLostException e)
        {
            throw target.ConnectionFailure(e.InnerException ?? e);
        }
    }

    /// <summary>
    /// Refuses existing tables and types (unless --resume or --replace), records the state, creates schemas, types and
    /// tables; commits through <paramref name="commit"/> the tables to load (on --resume: the unfinished ones, emptied).
    /// All in one transaction: a failure leaves the target as it was (--replace's drops included).
    /// </summary>
    async Task PrepareTargetAsync(NpgsqlConnection connection, string stateKey, SchemaPlan plan, HashSet<string> existing, CopyResult result, RetriedCommit<List<PlannedTable>> commit, CancellationToken cancellationToken)
    {
        var relations = plan.Tables.Select(t => t.DisplayName).Concat(plan.Views.Select(v => v.TargetSchema + "." + v.TargetName)).ToList();
        var present = relations.Where(existing.Contains).ToList();
        var types = plan.Enums.Count == 0 ? [] : await ExistingTypesAsync(connection, cancellationToken);
        var presentTypes = plan.Enums.Select(e => e.DisplayName).Where(types.Contains).ToList();
        if (present.Count + presentTypes.Count > 0 && !Options.Resume && !Options.Replace)
        {
            throw new FerryException(
                $"The target already has {string.Join(", ", present.Concat(presentTypes.Select(t => "type " + t)))}. Nothing was written. Use --resume to continue an interrupted copy of {plan.Source}, " +
                "--replace to drop and copy them again, or --schema to copy into another schema.");
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CopyState.EnsureAsync(connection, cancellationToken);
        var states = Options.Resume ? await CopyState.ReadAsync(connection, stateKey, cancellationToken) : [];
        if (Options.Resume && states.Count == 0 && present.Count > 0)
        {
            // Never empty tables that no copy of this source created.
            throw new FerryException(
                $"--resume: ferry.copy_state has no earlier copy of {plan.Source}, but the target already has {string.Join(", ", present)}. " +
                "Nothing was written. Use --replace to drop and copy them, or --schema to copy into another schema.");
        }
        if (Options.Replace)
        {
            await DropForReplaceAsync(connection, plan, cancellationToken);
            existing.Clear();
            types.Clear();
        }

        if (Options.Resume)
        {
            // Foreign keys and views are rebuilt at the end; dropping them first lets unfinished tables be emptied.
            foreach (var (table, fk) in DdlWriter.ForeignKeys(plan).Where(f => existing.Contains(f.Table.DisplayName)))
                await ExecuteAsync(connection, $"ALTER TABLE {table.QualifiedName} DROP CONSTRAINT IF EXISTS {Identifiers.Quote(fk.Name)}", cancellationToken);
            foreach (var view in plan.Views)
                await ExecuteAsync(connection, $"DROP VIEW IF EXISTS {Identifiers.Qualify(view.TargetSchema, view.TargetName)}", cancellationToken);
        }

        var finished = plan.Tables.Where(t => existing.Contains(t.DisplayName) && states.TryGetValue(t.DisplayName, out var s) && s.Status == CopyState.Loaded).ToList();
        var toLoad = plan.Tables.Except(finished).ToList();
        foreach (var table in finished)
        {
            var state = states[table.DisplayName];
            result.Tables.Add(new TableCopyResult
            {
                Source = table.Model.QualifiedSourceName,
                Target = table.DisplayName,
                RowsRead = state.RowsRead,
                RowsWritten = state.RowsWritten,
                RowsRejected = state.RowsRejected,
                Resumed = true,
            });
        }

        foreach (var schema in plan.Schemas)
            await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {Identifiers.Quote(schema)}", cancellationToken);
        // On --resume, a type that exists was created by the run being resumed.
        foreach (var type in plan.Enums.Where(e => !types.Contains(e.DisplayName)))
            await ExecuteAsync(connection, $"CREATE TYPE {type.QualifiedName} AS ENUM ({string.Join(", ", type.Labels.Select(Identifiers.Literal))})", cancellationToken);

        foreach (var table in toLoad)
        {
            var make = existing.Contains(table.DisplayName) ? $"TRUNCATE {table.QualifiedName}" : DdlWriter.CreateTable(table);
            await ExecuteAsync(connection, AutovacuumPaused(make, table), cancellationToken);
        }

        await CopyState.ResetAsync(connection, stateKey, toLoad.Select(t => t.DisplayName), cancellationToken);
        await commit.CommitAsync(transaction, toLoad, cancellationToken);
    }

    /// <summary>
    /// --replace, inside <see cref="PrepareTargetAsync"/>'s transaction: drops the plan's views, tables and enum types
    /// that exist, without CASCADE, so that nothing outside this copy goes with them. When PostgreSQL names something
    /// that depends on them (another table's foreign key or column of the type, a view the copy does not make), the
    /// transaction is rolled back, nothing is dropped and the run stops, naming it.
    /// </summary>
    async Task DropForReplaceAsync(NpgsqlConnection connection, SchemaPlan plan, CancellationToken cancellationToken)
    {
        var views = plan.Views.Select(v => Identifiers.Qualify(v.TargetSchema, v.TargetName)).ToList();
        var tables = plan.Tables.Select(t => t.QualifiedName).ToList();
        var types = plan.Enums.Select(e => e.QualifiedName).ToList();
        try
        {
            if (views.Count > 0)
                await ExecuteAsync(connection, $"DROP VIEW IF EXISTS {string.Join(", ", views)}", cancellationToken);
            if (tables.Count > 0)
                await ExecuteAsync(connection, $"DROP TABLE IF EXISTS {string.Join(", ", tables)}", cancellationToken);
            if (types.Count > 0)
                await ExecuteAsync(connection, $"DROP TYPE IF EXISTS {string.Join(", ", types)}", cancellationToken);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DependentObjectsStillExist)
        {
            var dependents = string.Join("; ", (e.Detail ?? e.MessageText).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            throw new FerryException(
                $"--replace would also drop what depends on the tables, views and types of this copy: {dependents}. Nothing was dropped or written. " +
                "Include those tables in the copy (--tables), drop what depends on them first, or copy into another schema (--schema).");
        }
    }

    /// <summary>Types other than arrays (enums, domains, tables' row types…), as <c>schema.name</c>.</summary>
    static async Task<HashSet<string>> ExistingTypesAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT n.nspname || '.' || t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE t.typcategory <> 'A' AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """;
        return [.. await TargetSql.StringsAsync(connection, sql, cancellationToken)];
    }

    static async Task<HashSet<string>> ExistingRelationsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT n.nspname || '.' || c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND n.nspname NOT IN ('pg_catalog', 'information_schema')
            """;
        return [.. await TargetSql.StringsAsync(connection, sql, cancellationToken)];
    }

    /// <summary>The statement that makes (or empties) <paramref name="table"/>, and its autovacuum paused, in one round trip.</summary>
    static string AutovacuumPaused(string make, PlannedTable table) => make + ";\n" + DdlWriter.PauseAutovacuum(table);

    /// <summary>After a failure: autovacuum back on for <paramref name="tables"/>, as far as the server lets it (within 10 s).</summary>
    async Task ResumeAutovacuumAsync(NpgsqlDataSource dataSource, List<PlannedTable> tables)
    {
        if (tables.Count == 0)
            return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(timeout.Token);
            foreach (var table in tables)
                await ExecuteAsync(connection, DdlWriter.ResumeAutovacuum(table), timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            Options.Logger.LogWarning("Autovacuum stays off for {Tables}: {Reason}. --resume or --replace turns it back on.", string.Join(", ", tables.Select(t => t.DisplayName)), e.Message);
        }
    }

    static Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken) => TargetSql.ExecuteAsync(connection, sql, cancellationToken);
}
