namespace Ferry.Verify;

/// <summary>The outcome of a verification: one entry per source table.</summary>
public sealed class VerifyResult
{
    public required IReadOnlyList<TableVerification> Tables { get; init; }

    /// <summary>Every table is identical and free of integrity problems.</summary>
    public bool Ok => Tables.All(t => t.Ok);
}
