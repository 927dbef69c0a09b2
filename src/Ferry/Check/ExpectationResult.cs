using Ferry.Check.Spec;

namespace Ferry.Check;

/// <summary>
/// One expectation's outcome: <see cref="Failing"/> rows (for <c>rows</c>, how far the count is outside what was
/// expected; for <c>fresh</c>, 1 when stale), the first failing rows by key, and a sentence for what a count cannot say.
/// </summary>
public sealed record ExpectationResult(string Table, CheckStage Stage, Expectation Expectation, CheckStatus Status, long Failing, IReadOnlyList<CheckSample> Samples, string? Message)
{
    public string Kind => Expectation.Kind;

    public IReadOnlyList<string> Columns => Expectation.Columns;

    public CheckSeverity Severity => Expectation.Severity;

    /// <summary>Under <c>--compare</c>, the same expectation on the source; null otherwise.</summary>
    public SourceFigures? Source { get; init; }

    /// <summary>Under <c>--compare</c>, whether the failure is the target's alone, the source's too, or neither's.</summary>
    public FailureOrigin Comparison { get; init; }

    /// <summary>Rows fail it in the target and not in the source (its status stays failed or warned).</summary>
    public bool Introduced => Comparison == FailureOrigin.Introduced;

    /// <summary>Whether rows fail it (failed or warned).</summary>
    internal bool Fails => Status is CheckStatus.Failed or CheckStatus.Warned;

    internal static ExpectationResult Error(string table, CheckStage stage, Expectation expectation, string message) =>
        new(table, stage, expectation, CheckStatus.Error, 0, [], message);

    internal static ExpectationResult Of(string table, CheckStage stage, Expectation expectation, long failing, IReadOnlyList<CheckSample> samples, string? message = null) =>
        new(table, stage, expectation, failing == 0 ? CheckStatus.Passed : expectation.Severity == CheckSeverity.Warn ? CheckStatus.Warned : CheckStatus.Failed, failing, samples, message);
}
