namespace Ferry.Rollback.Internal;

/// <summary>How runs of one kind are undone: the plan (refusing what cannot be undone), then its execution.</summary>
internal interface IRunUndo
{
    Task<RollbackPlan> PlanAsync(CancellationToken cancellationToken);

    Task<RollbackResult> RunAsync(RollbackPlan plan, IProgress<string>? progress, CancellationToken cancellationToken);
}
