namespace Ferry.Check.Spec;

/// <summary><c>rows: 72</c>, <c>rows: { min: 1, max: 1000 }</c> or <c>rows: source</c> (as many as the source has).</summary>
public sealed record RowsExpectation(long? Min, long? Max, bool FromSource) : Expectation
{
    public override string Kind => "rows";

    public override string Description =>
        FromSource ? "rows = source" : Min == Max ? $"rows = {Min}" : $"rows {Min?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""}..{Max?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ""}";
}
