namespace Ferry.Check;

/// <summary>Under <c>--compare</c>, where an expectation's failure comes from: the target's result beside the source's.</summary>
public enum FailureOrigin
{
    /// <summary>It fails on neither side.</summary>
    None,

    /// <summary>It fails in the target and not in the source: the copy or migration caused it.</summary>
    Introduced,

    /// <summary>It fails in both: the source had it already.</summary>
    PreExisting,

    /// <summary>It fails in the source and not in the target: the work cured it.</summary>
    Resolved,

    /// <summary>It could not run on one side (or both), so the sides cannot be compared.</summary>
    Unknown,
}
