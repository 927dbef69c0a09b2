namespace Ferry.Verify;

/// <summary>The kinds of <see cref="RowDifference"/>.</summary>
public static class DifferenceKind
{
    /// <summary>The key is in both, the values differ.</summary>
    public const string Changed = "changed";

    /// <summary>In the source, not in the target.</summary>
    public const string Missing = "missing";

    /// <summary>In the target, not in the source.</summary>
    public const string Extra = "extra";

    /// <summary>
    /// The key is in both, and a column whose values came through a step that is not repeatable (a salted hash) holds a
    /// value that step could not have made of the source's; <see cref="RowDifference.Row"/> names the column.
    /// </summary>
    public const string Unmatched = "unmatched";
}
