using Ferry.Backup;
using Ferry.Connections;

namespace Ferry.Rollback.Internal;

/// <summary>
/// Undoes a <c>copy</c> run: drops what it created (views, tables, enum types, a schema it made and left empty) and
/// its resume state, then puts back from the run's snapshot the tables <c>--replace</c> replaced.
/// </summary>
internal sealed class CopyUndo(PostgresTarget target, RunFootprint footprint, BackupManifest? snapshot) : IRunUndo
{
    public Task<RollbackPlan> PlanAsync(CancellationToken cancellationToken)
    {
        var run = footprint.Run;
        if (!footprint.RecordsCreated)
        {
            throw new FerryException(
                $"Run {run.Id} (copy) does not record what it created (an older Ferry wrote its journal): drop its tables by hand, or restore a backup taken before it (`ferry backups`).",
                FailureKind.Configuration);
        }

        var replaced = footprint.Replaced.ToHashSet(StringComparer.Ordinal);
        if (replaced.Count > 0 && snapshot is null)
        {
            throw new FerryException(
                $"Run {run.Id} (copy --replace) replaced {string.Join(", ", footprint.Replaced)} and took no snapshot of them first " +
                "(`ferry copy --replace --backup` takes one): there is nothing to put them back from. Nothing was changed.",
                FailureKind.Configuration);
        }

        var drops = new List<CatalogObject>();
        drops.AddRange(footprint.CreatedViews.Select(v => Object(v, "view")));
        drops.AddRange(footprint.CreatedTables.Where(t => !replaced.Contains(t)).Select(t => Object(t, "table")));
        drops.AddRange(footprint.CreatedTypes.Select(t => Object(t, "type")));
        drops.AddRange(footprint.CreatedSchemas.Select(s => new CatalogObject(s, s, "schema")));
        var restores = footprint.Replaced.Where(t => snapshot!.Tables.Any(b => b.Schema + "." + b.Name == t)).ToList();
        if (restores.Count < replaced.Count)
        {
            var missing = footprint.Replaced.Except(restores, StringComparer.Ordinal);
            throw new FerryException($"Run {run.Id}'s snapshot {snapshot!.Name} does not hold {string.Join(", ", missing)}, which the run replaced. Nothing was changed.", FailureKind.Configuration);
        }

        var actions = drops.OrderBy(d => d.Order).Select(d => $"drop {d.Kind} {d.Display} (created by run {run.Id}{(d.Kind == "schema" ? ", when left empty" : "")})").ToList();
        if (footprint.CreatedTables.Count > 0)
            actions.Add($"forget the resume state (ferry.copy_state) of {string.Join(", ", footprint.CreatedTables)}");
        if (restores.Count > 0)
            actions.Add($"restore {string.Join(", ", restores)} from snapshot {snapshot!.Name}, proven by fingerprints");
        if (actions.Count == 0)
            actions.Add($"nothing: run {run.Id} created and replaced nothing");

        return Task.FromResult(new RollbackPlan(footprint, restores.Count > 0 ? RollbackStrategy.Snapshot : RollbackStrategy.DropCreated, actions)
        {
            Backup = restores.Count > 0 ? snapshot!.Name : null,
            Drops = drops,
            Restores = restores,
        });
    }

    public async Task<RollbackResult> RunAsync(RollbackPlan plan, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        await using (var connection = await target.OpenAsync(cancellationToken))
            await ObjectDrops.RunAsync(connection, plan.Drops, [.. footprint.CreatedTables.Concat(footprint.Replaced)], cancellationToken);
        var restore = plan.Restores.Count == 0 ? null
            : await Restorer.RestoreAsync(target, plan.Backup!, new RestoreRequest { Tables = plan.Restores }, progress, cancellationToken);
        return new RollbackResult(plan, restore, null);
    }

    static CatalogObject Object(string qualified, string kind)
    {
        var dot = qualified.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? new CatalogObject("public", qualified, kind) : new CatalogObject(qualified[..dot], qualified[(dot + 1)..], kind);
    }
}
