namespace Ferry.Copy;

/// <summary>
/// Rows of one table rejected in one column for one kind of reason: <see cref="Reason"/> has the rejected value
/// replaced by <c>…</c> where it quoted it (so a million distinct values make one group), with a few sample rows.
/// </summary>
/// <param name="Column">The source column; null when the row was refused without naming one.</param>
/// <param name="Reason">The reason's pattern, or <see cref="OtherReasons"/> for the groups past the cap.</param>
/// <param name="Rows">How many rows were rejected so.</param>
/// <param name="Samples">The first few rows rejected so (at most <see cref="SampleCount"/>).</param>
public sealed record RejectGroup(string? Column, string Reason, long Rows, IReadOnlyList<RejectSample> Samples)
{
    /// <summary>Samples kept per group.</summary>
    public const int SampleCount = 3;

    /// <summary>Distinct groups kept per table; the rest are counted under one <see cref="OtherReasons"/> group.</summary>
    public const int MaxGroups = 50;

    /// <summary>The reason of the group that counts the rows past <see cref="MaxGroups"/> groups (its column is null).</summary>
    public const string OtherReasons = "other reasons";
}
