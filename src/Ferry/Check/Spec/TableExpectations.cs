using Ferry.Transforms.Spec;

namespace Ferry.Check.Spec;

/// <summary>A table's expectations for one stage, in the file's order; <see cref="Table"/> is the name as written (a quoted part keeps its case).</summary>
public sealed record TableExpectations(SourceTableName Table, CheckStage Stage, IReadOnlyList<Expectation> Expectations, string File, int Line);
