namespace Ferry.Check.Spec;

/// <summary><c>unique: [a]</c> or, composite, <c>unique: [[a, b]]</c>: no two rows share the values (rows with a NULL among them never clash, as in a unique constraint).</summary>
public sealed record UniqueExpectation(IReadOnlyList<string> Unique) : Expectation
{
    public override string Kind => "unique";

    public override IReadOnlyList<string> Columns => Unique;

    public override string Description => $"unique ({string.Join(", ", Unique)})";
}
