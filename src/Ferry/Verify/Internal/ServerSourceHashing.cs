namespace Ferry.Verify.Internal;

/// <summary>
/// The source side of a <see cref="TableComparison"/> for a source hashed inside its own server: the same SQL as the
/// target's (<see cref="ServerHashing"/>), over the source's relation in its snapshot; a server rejects nothing.
/// </summary>
internal sealed class ServerSourceHashing(ServerHashing server, bool keyed) : ISourceSide
{
    public async Task<SourceFingerprint> FingerprintAsync(int buckets, CancellationToken cancellationToken)
    {
        var counts = new long[buckets];
        var sums = new ulong[buckets];
        long rows = 0;
        foreach (var (b, (count, sum)) in await server.FingerprintAsync(buckets - 1, cancellationToken))
        {
            counts[b] = count;
            sums[b] = sum;
            rows += count;
        }

        return new SourceFingerprint(counts, sums, rows, 0);
    }

    public async Task<List<(string Text, long RowHash, string?[]? Key)>> RowsInAsync(int[] drilled, int mask, CancellationToken cancellationToken)
    {
        if (keyed)
            return [.. (await server.KeyedRowsInAsync(drilled, mask, cancellationToken)).Select(r => (KeyValues.Join(r.Key), r.Hash, (string?[]?)r.Key))];
        var rows = new List<(string, long, string?[]?)>();
        foreach (var (hash, count, text) in await server.KeylessRowsInAsync(drilled, mask, cancellationToken))
        {
            for (var i = 0L; i < count; i++)
                rows.Add((text, hash, null));
        }

        return rows;
    }

    public async Task<(long Rows, long Rejected)> CountAsync(CancellationToken cancellationToken) => (await server.CountAsync(cancellationToken), 0);
}
