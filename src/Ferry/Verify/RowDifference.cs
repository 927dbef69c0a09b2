namespace Ferry.Verify;

/// <summary>
/// A differing row: its key (target column → value: numbers for integer columns, else canonical text), or for a
/// table without a key the row's canonical text and how many copies differ.
/// </summary>
public sealed record RowDifference(IReadOnlyDictionary<string, object?>? Key, string Kind, string? Row = null, long Count = 1);
