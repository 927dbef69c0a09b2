using Ferry.Rollback.Internal;

namespace Ferry.Rollback;

/// <summary>
/// What undoing one run does, decided before anything changes (<c>--dry-run</c> prints it): the run, the strategy,
/// the snapshot it restores (if any) and the actions in the order they run, one line each.
/// </summary>
public sealed class RollbackPlan
{
    internal RollbackPlan(RunFootprint footprint, RollbackStrategy strategy, IReadOnlyList<string> actions)
    {
        Footprint = footprint;
        Strategy = strategy;
        Actions = actions;
        Tables = [.. footprint.Touched.Order(StringComparer.Ordinal)];
    }

    public long RunId => Footprint.Run.Id;

    /// <summary>The run's kind: <c>copy</c> or <c>migrate up</c>.</summary>
    public string RunKind => Footprint.Run.Kind;

    public RollbackStrategy Strategy { get; }

    /// <summary>The snapshot restored (a backup's name), or null.</summary>
    public string? Backup { get; init; }

    /// <summary>The actions, in order, for a person.</summary>
    public IReadOnlyList<string> Actions { get; }

    /// <summary>The tables the run touched (qualified names).</summary>
    public IReadOnlyList<string> Tables { get; }

    internal RunFootprint Footprint { get; }

    /// <summary>Objects dropped first: made by the run (or, for a snapshot, made since it was taken).</summary>
    internal IReadOnlyList<CatalogObject> Drops { get; init; } = [];

    /// <summary>The snapshot's tables put back (qualified names); empty without a snapshot.</summary>
    internal IReadOnlyList<string> Restores { get; init; } = [];

    /// <summary>How many migrations the down files revert (<see cref="RollbackStrategy.DownFiles"/>).</summary>
    internal int DownSteps { get; init; }
}
