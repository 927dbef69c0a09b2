namespace Ferry.Check.Spec;

/// <summary>
/// <c>range: { capacity_mw: { min: 0, max: 5000 } }</c>: every value that is not NULL lies within the bounds (inclusive),
/// which are written as the column's type reads them: numbers, or dates and timestamps as text.
/// </summary>
public sealed record RangeExpectation(string Column, string? Min, string? Max) : Expectation
{
    public override string Kind => "range";

    public override IReadOnlyList<string> Columns => [Column];

    public override string Description => $"range {Column} {Min}..{Max}";
}
