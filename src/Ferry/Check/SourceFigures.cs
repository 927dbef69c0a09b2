namespace Ferry.Check;

/// <summary>Under <c>--compare</c>, how an expectation came out on the source: its table there, status, failing count, first failing rows.</summary>
public sealed record SourceFigures(string Table, CheckStatus Status, long Failing, IReadOnlyList<CheckSample> Samples, string? Message);
