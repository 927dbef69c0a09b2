using Ferry.Backup;
using Ferry.Connections;
using Ferry.Rollback.Internal;

namespace Ferry.Rollback;

/// <summary>
/// Undoes one journaled run (<c>ferry rollback</c>): <see cref="PlanAsync"/> decides how and refuses what cannot be
/// undone safely, before anything changes; <see cref="RunAsync"/> carries the plan out. A <c>migrate up</c> run is
/// reverted by its down files or from its snapshot; a <c>copy</c> run by dropping what it created and restoring what
/// it replaced.
/// </summary>
public sealed class RollbackRunner(PostgresTarget target, RollbackOptions options)
{
    public Task<RollbackPlan> PlanAsync(CancellationToken cancellationToken = default) =>
        new RollbackPlanner(target, options).PlanAsync(cancellationToken);

    public Task<RollbackResult> RunAsync(RollbackPlan plan, IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
        Undo(plan).RunAsync(plan, progress, cancellationToken);

    IRunUndo Undo(RollbackPlan plan) => plan.RunKind == "copy"
        ? new CopyUndo(target, plan.Footprint, null)
        : new MigrationUndo(target, plan.Footprint, null, options);
}
