namespace Ferry.Check;

/// <summary>A check's outcome: every expectation's result, in the file's order, table by table.</summary>
public sealed record CheckResult(IReadOnlyList<ExpectationResult> Results)
{
    /// <summary>Nothing failed with severity error and every expectation could run (warnings allowed).</summary>
    public bool Ok => !Results.Any(r => r.Status is CheckStatus.Failed or CheckStatus.Error);
}
