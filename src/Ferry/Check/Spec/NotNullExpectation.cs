namespace Ferry.Check.Spec;

/// <summary><c>not_null: [a, b]</c>, one expectation per column.</summary>
public sealed record NotNullExpectation(string Column) : Expectation
{
    public override string Kind => "not_null";

    public override IReadOnlyList<string> Columns => [Column];

    public override string Description => $"not_null {Column}";
}
