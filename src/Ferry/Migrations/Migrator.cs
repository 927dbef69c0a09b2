using Ferry.Connections;
using Ferry.Migrations.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Ferry.Migrations;

/// <summary>
/// Versioned schema migrations against one database: the runner behind <c>ferry migrate</c>, callable from an
/// application at startup (<c>await migrator.UpAsync()</c>). Runs that change anything (init, up, down, repair,
/// baseline) hold a session-level advisory lock (<see cref="LockKey"/>) on a connection of their own, so runners
/// on several machines or processes take turns and never apply a migration twice.
/// </summary>
public sealed class Migrator
{
    readonly PostgresTarget _target;
    readonly NpgsqlDataSource _dataSource;
    readonly MigratorOptions _options;
    readonly ILogger _logger;
    readonly HistoryTable _history;
    readonly RunMark _mark;
    readonly MigrationPlanner _planner;
    readonly PlanRunner _runner;

    public Migrator(PostgresTarget target, MigratorOptions? options = null, ILogger? logger = null)
    {
        // Which statement of a batch failed (for the line number), and PostgreSQL's DETAIL, are needed in the error.
        // Unpooled: closing a connection ends its session, which frees the lock (and forgets the work connection's
        // settings). No type loading: the runner reads and writes only built-in types (history rows, the lock key)
        // and never reads what a migration's statements return, so no connection runs Npgsql's pg_type query
        // (a round trip each). Every connection carries the run's mark, for a later runner to find a
        // session this one leaves working if it is killed.
        _options = options ?? new MigratorOptions();
        _logger = logger ?? NullLogger.Instance;
        _history = new HistoryTable(_options.HistoryTable);
        _mark = new RunMark("migrate", _history.QualifiedName);
        var settings = new NpgsqlConnectionStringBuilder(target.ConnectionString) { IncludeFailedBatchedCommand = true, IncludeErrorDetail = true, Pooling = false };
        settings.ApplicationName = _mark.ApplicationName(settings.ApplicationName);
        _target = new PostgresTarget(settings, target.Origin);
        _dataSource = _target.CreateDataSource(builder => builder.ConfigureTypeLoading(types => types.EnableTypeLoading(false)));
        Directory = Path.GetFullPath(_options.Directory);
        _planner = new MigrationPlanner(_options, Directory, HistoryTable, _logger);
        _runner = new PlanRunner(_history, _logger);
    }

    /// <summary>A runner for a <c>postgres://</c> URL or an Npgsql connection string.</summary>
    public static Migrator Create(string urlOrConnectionString, MigratorOptions? options = null, ILogger? logger = null) =>
        new(PostgresTarget.Parse(urlOrConnectionString), options, logger);

    /// <summary>The migrations folder, as a full path.</summary>
    public string Directory { get; }

    /// <summary>The history table as <c>schema.table</c>.</summary>
    public string HistoryTable => _history.QualifiedName;

    /// <summary>
    /// The advisory lock key: the first 8 bytes, read as a big-endian signed 64-bit integer, of
    /// SHA-256("ferry.migrations:" + <see cref="HistoryTable"/>). For <c>public.schema_migrations</c> it is
    /// <c>-2062869340125639461</c>; see it held with <c>SELECT * FROM pg_locks WHERE locktype = 'advisory'</c>.
    /// </summary>
    public long LockKey => MigrationLock.KeyFor(_history.QualifiedName);

    /// <summary>Creates the migrations folder (when missing) and the history table.</summary>
    public async Task<InitReport> InitAsync(CancellationToken cancellationToken = default)
    {
        var directoryCreated = !System.IO.Directory.Exists(Directory);
        System.IO.Directory.CreateDirectory(Directory);
        await using var runLock = await LockAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var tableCreated = await _history.EnsureAsync(connection, cancellationToken);
        return new InitReport(Directory, directoryCreated, HistoryTable, tableCreated);
    }

    /// <summary>Every migration in the folder and the history table, with its state. Takes no lock, changes nothing.</summary>
    public async Task<MigrationStatusReport> StatusAsync(CancellationToken cancellationToken = default) =>
        new(HistoryTable, (await StatusLinesAsync(cancellationToken)).Select(s => s.Entry).ToList());

    async Task<List<StatusLine>> StatusLinesAsync(CancellationToken cancellationToken)
    {
        var migrations = await LoadAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        return MigrationStatusBuilder.Build(migrations, await _history.ReadAsync(connection, cancellationToken));
    }

    /// <summary>Applies pending migrations: versioned ones in version order, then changed repeatable ones.</summary>
    /// <exception cref="MigrationFailedException">A migration failed; earlier ones in this run stay applied.</exception>
    public async Task<MigrationRunReport> UpAsync(UpOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new UpOptions();
        var to = options.To is null ? null : MigrationVersion.Parse(options.To);
        if (options.DryRun)
        {
            var files = await LoadAsync(cancellationToken);
            await using var readOnly = await OpenAsync(cancellationToken);
            var plan = _planner.PlanUp(files, await _history.ReadAsync(readOnly, cancellationToken), to);
            return _runner.DryRun(plan, down: false);
        }

        var (migrations, locked) = await LoadWhileLockingAsync(cancellationToken);
        await using var runLock = locked;
        await using var connection = await OpenAsync(cancellationToken);
        var history = await _history.EnsureAndReadAsync(connection, cancellationToken);
        var pending = _planner.PlanUp(migrations, history, to);
        if (_history.UpgradeRefused is { } refused && pending.Any(m => !m.Up.RunsInTransaction))
            _logger.LogWarning("{Refused}", refused);
        if (pending.Count == 0)
        {
            _logger.LogInformation("No pending migrations in {Directory}", Directory);
            return new MigrationRunReport(HistoryTable, false, new List<MigrationStep>(), null);
        }

        return new MigrationRunReport(HistoryTable, false, await _runner.UpAsync(connection, pending, history, cancellationToken), null);
    }

    /// <summary>
    /// What the migrations <see cref="UpAsync"/> would apply (with <paramref name="options"/>' <c>To</c>) touch, resolved
    /// against the target's catalog: the existing tables a backup before them keeps, what they create, and whether one
    /// touches tables it does not name (<see cref="MigrationAnalyzer"/>). Takes no lock, changes nothing.
    /// </summary>
    public async Task<MigrationTouchPlan> TouchedTablesAsync(UpOptions? options = null, CancellationToken cancellationToken = default)
    {
        var to = options?.To is { } version ? MigrationVersion.Parse(version) : null;
        var files = await LoadAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var plan = _planner.PlanUp(files, await _history.ReadAsync(connection, cancellationToken), to);
        var catalog = await TouchCatalog.ReadAsync(connection, cancellationToken);
        return TouchResolver.Plan(catalog, _history.Schema, plan.Select(m => (m.Files, m.Up)));
    }

    /// <summary>
    /// Reverts applied migrations with their down files, newest first. Refuses, before running any, down files that drop
    /// a table or column holding rows unless <see cref="DownOptions.Force"/> or <see cref="DownOptions.SnapshotCovers"/> allows it.
    /// </summary>
    /// <exception cref="MigrationFailedException">A down migration failed; those reverted before it stay reverted.</exception>
    public async Task<MigrationRunReport> DownAsync(DownOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DownOptions();
        if (options.Steps is not null && options.To is not null)
            throw new FerryException("Give either --steps or --to, not both.");
        if (options.Steps is < 1)
            throw new FerryException($"--steps {options.Steps}: give a number of migrations, 1 or more.");
        var to = options.To is null ? null : MigrationVersion.Parse(options.To);
        var files = MigrationDirectory.Load(Directory);

        await using var runLock = options.DryRun ? null : await LockAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var history = await _history.ReadAsync(connection, cancellationToken);
        var plan = _planner.PlanDown(files, history, options.Steps, to);
        if (options.DryRun)
            return _runner.DryRun(plan.Select(p => new LoadedMigration(p.Files, p.Down)).ToList(), down: true);

        if (plan.Count == 0)
        {
            if (to is null)
                _logger.LogInformation("Nothing to revert: no migration is applied in {HistoryTable}", HistoryTable);
            else
                _logger.LogInformation("Nothing to revert: no migration above version {Version} is applied in {HistoryTable}", to, HistoryTable);
            return new MigrationRunReport(HistoryTable, false, new List<MigrationStep>(), null);
        }

        if (!options.Force)
            await DownDataLoss.EnsureAsync(connection, plan, options.SnapshotCovers, _history.Schema, cancellationToken);
        return new MigrationRunReport(HistoryTable, false, await _runner.DownAsync(connection, plan, cancellationToken), null);
    }

    /// <summary>
    /// The status entries that make the history disagree with the folder (changed, missing, failed); empty when all
    /// is well. A pending or failed file that <c>up</c> would refuse to run is refused here too, as <c>up</c> words it:
    /// <c>COPY … FROM STDIN</c>, or a <c>COMMIT</c>, <c>ROLLBACK</c> or <c>BEGIN</c> inside a transactional migration.
    /// </summary>
    public async Task<IReadOnlyList<MigrationStatusEntry>> ValidateAsync(CancellationToken cancellationToken = default)
    {
        var status = await StatusLinesAsync(cancellationToken);
        foreach (var line in status.Where(s => s.Entry.State is MigrationState.Pending or MigrationState.Failed))
            line.Script?.EnsureRunnable();
        return new MigrationStatusReport(HistoryTable, status.Select(s => s.Entry).ToList()).Problems;
    }

    /// <summary>
    /// Makes the history agree with the folder: removes failed entries (so <c>up</c> runs them again), records the
    /// current checksum of edited files, and forgets migrations whose files are gone.
    /// </summary>
    public async Task<IReadOnlyList<RepairAction>> RepairAsync(CancellationToken cancellationToken = default)
    {
        var (migrations, locked) = await LoadWhileLockingAsync(cancellationToken);
        await using var runLock = locked;
        await using var connection = await OpenAsync(cancellationToken);
        var history = await _history.ReadAsync(connection, cancellationToken);
        var actions = new List<RepairAction>();
        await using var batch = new NpgsqlBatch(connection);
        foreach (var (entry, row, script) in MigrationStatusBuilder.Build(migrations, history))
        {
            if (row is null)
                continue;
            switch (entry.State)
            {
                case MigrationState.Failed:
                    batch.BatchCommands.Add(_history.Forget(row.Rank));
                    actions.Add(new RepairAction(entry.Version, entry.Name, (row.PartlyReverted, script) switch
                    {
                        (_, null) => "removed the failed entry of the migration whose file is gone",
                        (true, _) => "forgot the partly reverted migration (its down file failed part-way; what it left must be undone by hand); 'up' applies it again",
                        _ => "removed the failed entry; 'up' runs it again",
                    }));
                    break;
                case MigrationState.Changed:
                    batch.BatchCommands.Add(_history.Realign(row.Rank, script!.Checksum));
                    actions.Add(new RepairAction(entry.Version, entry.Name, $"recorded the edited file's checksum {script.Checksum}"));
                    break;
                case MigrationState.Missing:
                    batch.BatchCommands.Add(_history.Forget(row.Rank));
                    actions.Add(new RepairAction(entry.Version, entry.Name, "forgot the applied migration whose file is gone"));
                    break;
            }
        }

        if (batch.BatchCommands.Count > 0)
            await batch.ExecuteNonQueryAsync(cancellationToken);
        return actions;
    }

    /// <summary>
    /// Removes the history rows of these migrations (versioned ones by version, repeatable ones by name), as a rollback
    /// from a snapshot leaves the schema as it was before them; returns how many rows went.
    /// </summary>
    public async Task<int> ForgetAsync(IReadOnlyCollection<(string? Version, string Name)> migrations, CancellationToken cancellationToken = default)
    {
        await using var runLock = await LockAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var history = await _history.ReadAsync(connection, cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var row in history.Where(r => r.Kind != MigrationKind.Baseline && migrations.Any(m => m.Version is { } v ? v == r.Version : m.Name == r.Name && r.Kind == MigrationKind.Repeatable)))
            batch.BatchCommands.Add(_history.Forget(row.Rank));
        if (batch.BatchCommands.Count > 0)
            await batch.ExecuteNonQueryAsync(cancellationToken);
        return batch.BatchCommands.Count;
    }

    /// <summary>The versions of the applied versioned migrations, newest first.</summary>
    public async Task<IReadOnlyList<string>> AppliedVersionsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        var history = await _history.ReadAsync(connection, cancellationToken);
        return [.. history.Where(r => r.Success && r.Kind == MigrationKind.Versioned && r.ParsedVersion is not null)
            .OrderByDescending(r => r.ParsedVersion).Select(r => r.Version!)];
    }

    /// <summary>Marks an existing database as being at <paramref name="version"/>: files up to it count as applied.</summary>
    public async Task BaselineAsync(string version, CancellationToken cancellationToken = default)
    {
        var parsed = MigrationVersion.Parse(version);
        await using var runLock = await LockAsync(cancellationToken);
        await using var connection = await OpenAsync(cancellationToken);
        var history = await _history.EnsureAndReadAsync(connection, cancellationToken);
        if (history.FirstOrDefault(r => r.Success && r.Kind != MigrationKind.Repeatable) is { } applied)
        {
            throw new FerryException(
                $"{HistoryTable} already records {(applied.Kind == MigrationKind.Baseline ? "a baseline at" : "applied migration")} {applied.Version}: a baseline only marks a database that has no migration history yet.",
                FailureKind.Failed);
        }

        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { _history.Baseline(parsed.Text) } };
        await batch.ExecuteNonQueryAsync(cancellationToken);
        _logger.LogInformation("Baselined {HistoryTable} at version {Version}", HistoryTable, parsed.Text);
    }

    /// <summary>
    /// Creates the up and down files of a new migration numbered after the newest one, in the naming style the
    /// folder already uses (<c>001_name.up.sql</c> when empty). Returns their paths.
    /// </summary>
    public static IReadOnlyList<string> NewMigration(string directory, string name) => MigrationDirectory.Create(directory, name);

    Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken) =>
        _target.OpenAsync(_dataSource.CreateConnection(), cancellationToken);

    /// <summary>
    /// The migration lock, then no session of an earlier runner still working: a runner killed while the server ran
    /// what it had sent loses the lock with its client, but its session runs on and commits (both waits together
    /// within --lock-timeout).
    /// </summary>
    async Task<MigrationLock> LockAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + _options.LockTimeout;
        var runLock = await MigrationLock.AcquireAsync(await OpenAsync(cancellationToken), _history.QualifiedName, _options.LockTimeout, _logger, cancellationToken);
        try
        {
            await EarlierRunSessions.WaitAsync(runLock.Connection, _mark, $"an earlier migration runner on {HistoryTable}", deadline, "raise --lock-timeout", _logger, cancellationToken);
            return runLock;
        }
        catch
        {
            await runLock.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Reads the folder while the lock is being taken: the lock's connection (the process's first use of Npgsql)
    /// takes about as long as reading a few hundred files. An error in the folder wins: the lock attempt is
    /// cancelled, the lock released if it was already taken, and the folder's error thrown.
    /// </summary>
    Task<(List<LoadedMigration> Migrations, MigrationLock Lock)> LoadWhileLockingAsync(CancellationToken cancellationToken) =>
        Ferry.Internal.Meanwhile.AcquireAsync(LockAsync, () => LoadAsync(cancellationToken), cancellationToken);

    /// <summary>
    /// Every migration's up file (<see cref="MigrationScript.Read"/>). Synchronous, so a folder error is thrown by the
    /// call itself; callers await it all the same.
    /// </summary>
    Task<List<LoadedMigration>> LoadAsync(CancellationToken cancellationToken)
    {
        var loaded = new List<LoadedMigration>();
        foreach (var files in MigrationDirectory.Load(Directory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            loaded.Add(new LoadedMigration(files, MigrationScript.Read(files.UpPath)));
        }

        return Task.FromResult(loaded);
    }
}
