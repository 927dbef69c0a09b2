namespace Ferry.Check.Spec;

/// <summary><c>values: { market: [CAISO, ERCOT] }</c>: every value that is not NULL is one of these (compared as the column's type).</summary>
public sealed record ValuesExpectation(string Column, IReadOnlyList<string> Allowed) : Expectation
{
    public override string Kind => "values";

    public override IReadOnlyList<string> Columns => [Column];

    public override string Description => $"values {Column} in [{string.Join(", ", Allowed)}]";
}
