namespace Ferry.Check.Spec;

/// <summary>When an expectation holds: <c>before:</c> the work (a readiness test), or <c>after:</c> it (ungrouped ones are after).</summary>
public enum CheckStage
{
    Before,
    After,
}
