using Ferry.Connections;
using Ferry.Copy;
using Ferry.Copy.Internal;
using Ferry.Schema;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ferry.Target;

/// <summary>
/// Runs a copy's <see cref="CopySteps"/> on its target, a group when the runner's phase reaches it: the steps one after
/// another on the copy's own session (<see cref="TargetSession"/>), the parallel ones each on a connection of its own,
/// all through the <see cref="Retrier"/>. What the catalog holds decides, on --resume and --replace, what is skipped,
/// emptied or dropped first.
/// </summary>
internal sealed class CopyTarget : IAsyncDisposable
{
    readonly NpgsqlDataSource _dataSource;
    readonly Retrier _retrier;
    readonly TargetSession _session;
    readonly CopyOptions _options;

    /// <summary>Tables whose autovacuum this run turned off: a run that fails turns it back on.</summary>
    readonly List<PlannedTable> _paused = [];

    CopySteps? _steps;

    public CopyTarget(NpgsqlDataSource dataSource, Retrier retrier, NpgsqlConnection opened, CopyOptions options)
    {
        _dataSource = dataSource;
        _retrier = retrier;
        _options = options;
        _session = new TargetSession(dataSource, retrier);
        _session.Adopt(opened);
    }

    CopySteps Steps => _steps ?? throw new InvalidOperationException("The copy's steps are made from its plan first.");

    /// <summary>The target's data source: every connection carries the run's mark (<paramref name="mark"/>).</summary>
    public static NpgsqlDataSource CreateDataSource(PostgresTarget target, RunMark mark) =>
        target.CreateDataSource(builder =>
        {
            builder.ConnectionStringBuilder.ApplicationName = mark.ApplicationName(builder.ConnectionStringBuilder.ApplicationName);
            builder.ConnectionStringBuilder.WriteBufferSize = 64 * 1024; // Fewer, larger socket writes for COPY (default 8 KB).
            builder.ConnectionStringBuilder.IncludeErrorDetail = true; // The duplicated key of a failed unique index, what depends on a table.
        });

    /// <summary>The first connection: a server starting up is waited for; one that is not there, or refuses what was asked, is a configuration error.</summary>
    public static async Task<NpgsqlConnection> OpenAsync(NpgsqlDataSource dataSource, PostgresTarget target, Retrier retrier, CancellationToken cancellationToken)
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

    /// <summary>Fits <paramref name="plan"/> to the target (<see cref="GeometryColumns"/>) and makes its steps; the notes of the fit.</summary>
    public async Task<IReadOnlyList<string>> PlanAsync(SchemaPlan plan, CancellationToken cancellationToken)
    {
        var notes = await _session.RunAsync("reading the target's extensions", (c, _, ct) => GeometryColumns.FitAsync(c, plan, ct), cancellationToken);
        await _session.RunAsync("asking the target for the source's extensions", (c, _, ct) => ExtensionCheck.CheckAsync(c, plan, ct), cancellationToken);
        _steps = CopySteps.For(plan);
        return notes;
    }

    /// <summary>Runs the create steps in one transaction (<see cref="TargetPreparation"/>); the tables to load.</summary>
    public async Task<List<PlannedTable>> CreateAsync(string stateKey, CopyResult result, CancellationToken cancellationToken)
    {
        var prepared = new RetriedCommit<List<PlannedTable>>();
        var toLoad = await _session.RunAsync("creating the tables", async (c, _, ct) =>
        {
            if (!await prepared.CommittedAsync(c, ct))
            {
                result.Tables.Clear(); // what an attempt that did not commit noted
                await TargetPreparation.RunAsync(c, Steps, stateKey, _options, result, prepared, ct);
            }

            if (Steps.Plan.Enums.Count > 0)
                await c.ReloadTypesAsync(ct); // The new enum types must be known to write their labels.
            return prepared.Result!;
        }, cancellationToken);
        _paused.AddRange(toLoad);
        return toLoad;
    }

    /// <summary>Drops and creates <paramref name="tables"/> again, by their create steps (after <see cref="PlanAsync"/> with their new plan).</summary>
    public async Task RecreateAsync(IEnumerable<PlannedTable> tables, CancellationToken cancellationToken)
    {
        foreach (var table in tables) // one implicit transaction: it may run again whole
        {
            var step = Steps.Create.Steps.First(s => s.Table == table);
            await _session.ExecuteAsync($"creating {table.DisplayName} again", $"DROP TABLE IF EXISTS {table.QualifiedName};\n" + step.Sql, cancellationToken);
        }
    }

    /// <summary>Records the filtered rows of <paramref name="tables"/> in <c>ferry.copy_state</c>, for a resumed run that keeps them.</summary>
    public Task RecordFilteredAsync(string stateKey, IReadOnlyList<TableCopyResult> tables, CancellationToken cancellationToken) =>
        tables.Count == 0 ? Task.CompletedTask : _session.RunAsync("recording the rows the filters left out", async (c, _, ct) =>
        {
            foreach (var table in tables)
                await CopyState.RecordFilteredAsync(c, stateKey, table.Target, table.RowsFiltered, ct);
        }, cancellationToken);

    public Task KeysAsync(CopyResult result, ParallelOptions jobs) =>
        KeyPhase.RunAsync(_dataSource, _retrier, Steps.Keys, _options.Resume, result, jobs, _options.Logger);

    public async Task ForeignKeysAsync(CopyResult result, ParallelOptions jobs)
    {
        await ForeignKeyStep.BuildAsync(_dataSource, _session, Steps.ForeignKeys, Steps.Validations, result, jobs);
        foreach (var step in Steps.PartitionForeignKeys.Steps)
        {
            try
            {
                await _session.ExecuteAsync($"adding foreign key {step.Name} to {step.Partition!.DisplayName}", step.Sql, jobs.CancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
            {
                result.Failures.Add($"foreign key {step.Name} of partition {step.Partition!.DisplayName} is not created: {e.MessageText}");
            }
        }
    }

    public async Task IdentitiesAndViewsAsync(CopyResult result, CancellationToken cancellationToken)
    {
        foreach (var step in Steps.Identities.Steps)
            await _session.ExecuteAsync($"restarting the identity of {step.Table!.DisplayName}", step.Sql, cancellationToken);
        await ViewStep.CreateAsync(_session, Steps.Views, result, cancellationToken);
        foreach (var step in Steps.Triggers.Steps)
            await _session.ExecuteAsync($"creating {(step.Object!.Kind == ServerObjectKind.Trigger ? "trigger" : "function")} {step.Object.Name}", step.Sql, cancellationToken);
        foreach (var step in Steps.CompatViews.Steps)
            await _session.ExecuteAsync($"creating the compatibility view for {step.Table!.DisplayName}", step.Sql, cancellationToken);
        foreach (var view in Steps.Plan.CompatViews)
            result.Created.AddView(view.DisplayName);
    }

    /// <summary>
    /// ANALYZE and the count check together, on their own connections: both read the tables and neither waits for the
    /// other's locks. (Not alongside the index builds: CREATE INDEX's lock conflicts with ANALYZE's, and ALTER TABLE …
    /// ADD PRIMARY KEY's with both.)
    /// </summary>
    public Task StatisticsAndCountsAsync(CopyResult result, Func<ParallelOptions> jobs) =>
        Task.WhenAll(
            Parallel.ForEachAsync(Steps.Statistics.Steps, jobs(), (step, ct) => new ValueTask(_retrier.RunAsync($"analyzing {step.Table!.DisplayName}", async (_, ct2) =>
            {
                await using var c = await _dataSource.OpenConnectionAsync(ct2);
                await TargetSql.ExecuteAsync(c, step.Sql, ct2);
            }, ct))),
            RowAccounting.CheckAsync(_dataSource, _retrier, Steps.Counts, result, jobs()));

    /// <summary>After a failure: autovacuum back on for the tables this run paused, as far as the server lets it (within 10 s).</summary>
    public async Task ResumeAutovacuumAsync()
    {
        if (_paused.Count == 0)
            return;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await using var connection = await _dataSource.OpenConnectionAsync(timeout.Token);
            foreach (var table in _paused)
                await TargetSql.ExecuteAsync(connection, DdlWriter.ResumeAutovacuum(table), timeout.Token);
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            _options.Logger.LogWarning("Autovacuum stays off for {Tables}: {Reason}. --resume or --replace turns it back on.", string.Join(", ", _paused.Select(t => t.DisplayName)), e.Message);
        }
    }

    public ValueTask DisposeAsync() => _session.DisposeAsync();
}
