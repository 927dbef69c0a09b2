namespace Ferry.Check.Spec;

/// <summary><c>fresh: { updated_at: 6h }</c>: the column's newest value is not older than this (an empty table is not fresh).</summary>
public sealed record FreshExpectation(string Column, TimeSpan Within, string Written) : Expectation
{
    public override string Kind => "fresh";

    public override IReadOnlyList<string> Columns => [Column];

    public override string Description => $"fresh {Column} within {Written}";
}
