namespace Ferry.Check.Spec;

/// <summary><c>sql: [ "SELECT id FROM t WHERE start_date &gt; end_date" ]</c>: a query that must return no rows (run read-only).</summary>
public sealed record SqlExpectation(string Query) : Expectation
{
    public override string Kind => "sql";

    public override string Description => $"sql {Query}";
}
