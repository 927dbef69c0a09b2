using Ferry.Backup;
using Ferry.Connections;
using Ferry.Migrations;

namespace Ferry.Rollback.Internal;

/// <summary>
/// Undoes a <c>migrate up</c> run: by its migrations' down files, newest first, when each has one (and no
/// <c>--from-backup</c>); otherwise from the snapshot the run took (<c>migrate up --backup</c>): what exists now in
/// the snapshot's schemas and did not then is dropped, the snapshot's tables are put back and proven, and the run's
/// history rows are removed.
/// </summary>
internal sealed class MigrationUndo(PostgresTarget target, RunFootprint footprint, BackupManifest? snapshot, RollbackOptions options) : IRunUndo
{
    public async Task<RollbackPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var run = footprint.Run;
        var migrations = footprint.Migrations;
        if (migrations.Count == 0)
            throw new FerryException($"Run {run.Id} (migrate up) applied no migration: there is nothing to roll back.", FailureKind.Configuration);
        var withoutDown = migrations.Where(m => m.Kind != "versioned" || m.Down is null).ToList();
        if (!options.FromBackup && withoutDown.Count == 0)
            return await DownPlanAsync(cancellationToken);
        if (snapshot is null)
        {
            var why = options.FromBackup
                ? "--from-backup was given"
                : $"{string.Join(", ", withoutDown.Select(m => Path.GetFileName(m.File)))} {(withoutDown.Count == 1 ? "has" : "have")} no down file";
            throw new FerryException(
                $"Run {run.Id} (migrate up) cannot be rolled back: {why}, and the run took no snapshot (`ferry migrate up --backup` takes one). " +
                "Restore a backup taken before it (`ferry backups`), or write the down files. Nothing was changed.",
                FailureKind.Configuration);
        }

        return await SnapshotPlanAsync(snapshot, cancellationToken);
    }

    async Task<RollbackPlan> DownPlanAsync(CancellationToken cancellationToken)
    {
        var run = footprint.Run;
        var migrator = options.Migrator ?? throw new FerryException($"Run {run.Id} is undone by its down files: give the migrations' folder (--dir).", FailureKind.Configuration);
        var versions = footprint.Migrations.Select(m => m.Version!).ToList();
        var applied = await migrator.AppliedVersionsAsync(cancellationToken);
        var newest = applied.Take(versions.Count).ToHashSet(StringComparer.Ordinal);
        if (!versions.All(newest.Contains))
        {
            var after = applied.TakeWhile(v => !versions.Contains(v)).ToList();
            var gone = versions.Where(v => !applied.Contains(v)).ToList();
            throw new FerryException(
                $"Run {run.Id} (migrate up) cannot be rolled back by its down files: " +
                (gone.Count > 0 ? $"{string.Join(", ", gone)} {(gone.Count == 1 ? "is" : "are")} no longer applied in {migrator.HistoryTable}" : $"{string.Join(", ", after)} {(after.Count == 1 ? "was" : "were")} applied after it; revert {(after.Count == 1 ? "it" : "them")} first (`ferry migrate down`)") +
                ". Nothing was changed.",
                FailureKind.Configuration);
        }

        return new RollbackPlan(footprint, RollbackStrategy.DownFiles, [.. footprint.Migrations.AsEnumerable().Reverse().Select(m => $"revert {m.Version} {m.Name} with {Path.GetFileName(m.Down)}")])
        {
            DownSteps = versions.Count,
        };
    }

    async Task<RollbackPlan> SnapshotPlanAsync(BackupManifest backup, CancellationToken cancellationToken)
    {
        var run = footprint.Run;
        var then = backup.Inventory.Select(o => (o.Schema, o.Name, o.Kind)).ToHashSet();
        var schemas = backup.Inventory.Select(o => o.Schema).Concat(backup.Tables.Select(t => t.Schema)).Distinct(StringComparer.Ordinal).ToList();
        var history = footprint.HistoryTable;
        var actions = new List<string>();
        List<CatalogObject> drops;
        await using (var connection = await target.OpenAsync(cancellationToken))
        {
            var now = await LiveObjects.ReadAsync(connection, schemas, cancellationToken);
            drops = [.. now.Where(o => !then.Contains((o.Schema, o.Name, o.Kind)) && o.Schema + "." + o.Name != history && o.Schema != "ferry").OrderBy(d => d.Order)];
            foreach (var drop in drops)
                actions.Add($"drop {await ObjectDrops.DescribeAsync(connection, drop, cancellationToken)} (not there when snapshot {backup.Name} was taken)");
        }

        var restores = backup.Tables.Select(t => t.Schema + "." + t.Name).ToList();
        actions.Add($"restore {string.Join(", ", restores)} from snapshot {backup.Name}, proven by fingerprints");
        actions.Add($"remove the history rows of {string.Join(", ", footprint.Migrations.Select(m => (m.Version is null ? "" : m.Version + " ") + m.Name))} from {history}");
        return new RollbackPlan(footprint, RollbackStrategy.Snapshot, actions)
        {
            Backup = backup.Name,
            Drops = drops,
            Restores = restores,
        };
    }

    public async Task<RollbackResult> RunAsync(RollbackPlan plan, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (plan.Strategy == RollbackStrategy.DownFiles)
        {
            var reverted = await options.Migrator!.DownAsync(new DownOptions { Steps = plan.DownSteps, Force = options.Force }, cancellationToken);
            return new RollbackResult(plan, null, reverted);
        }

        await using (var connection = await target.OpenAsync(cancellationToken))
            await ObjectDrops.RunAsync(connection, plan.Drops, [], cancellationToken);
        var restore = await Restorer.RestoreAsync(target, plan.Backup!, new RestoreRequest { Tables = plan.Restores, Jobs = options.Jobs }, progress, cancellationToken);
        var migrator = options.Migrator is { } given && given.HistoryTable == footprint.HistoryTable
            ? given
            : new Migrator(target, new MigratorOptions { HistoryTable = footprint.HistoryTable ?? MigratorOptions.DefaultHistoryTable });
        await migrator.ForgetAsync([.. footprint.Migrations.Select(m => (m.Version, m.Name))], cancellationToken);
        return new RollbackResult(plan, restore, null);
    }
}
