namespace Ferry.Verify;

/// <summary>A broken relationship or a duplicated key in the target.</summary>
public sealed record IntegrityProblem(
    string Kind,
    string Constraint,
    IReadOnlyList<string> Columns,
    string? References,
    long Count,
    IReadOnlyList<IReadOnlyDictionary<string, object?>> Sample)
{
    /// <summary>Rows whose foreign key values have no referenced row.</summary>
    public const string Orphans = "orphans";

    /// <summary>Values of a declared primary or unique key that occur more than once.</summary>
    public const string Duplicates = "duplicates";
}
