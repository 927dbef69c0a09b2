namespace Ferry.Verify.Internal;

/// <summary>
/// The source side of a <see cref="TableComparison"/>: hashed in C# as its readers stream (<see cref="SourceHashing"/>),
/// or inside its own server (<see cref="ServerSourceHashing"/>).
/// </summary>
internal interface ISourceSide
{
    /// <summary>The rows folded into <paramref name="buckets"/> buckets (a count and a wrapping sum of row hashes each).</summary>
    Task<SourceFingerprint> FingerprintAsync(int buckets, CancellationToken cancellationToken);

    /// <summary>
    /// The rows of the drilled buckets: (key text, row hash, key values) with a key, (row text, row hash, null) without.
    /// </summary>
    Task<List<(string Text, long RowHash, string?[]? Key)>> RowsInAsync(int[] drilled, int mask, CancellationToken cancellationToken);

    /// <summary>The rows, and those the source's readers reject, counted without hashing.</summary>
    Task<(long Rows, long Rejected)> CountAsync(CancellationToken cancellationToken);
}

/// <summary>A source's buckets, its rows and the rows its readers rejected.</summary>
internal sealed record SourceFingerprint(long[] Counts, ulong[] Sums, long Rows, long Rejected);
