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
}
