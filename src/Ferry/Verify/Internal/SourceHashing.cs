using System.Runtime.ExceptionServices;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Transforms;
using Ferry.Transforms.Folding;

namespace Ferry.Verify.Internal;

/// <summary>
/// The source side of a <see cref="TableComparison"/>: reads the table's ranges in parallel through
/// <see cref="RowHasher"/>s, folding the rows into buckets, or collecting the rows of the buckets drilled into.
/// </summary>
internal sealed class SourceHashing : ISourceSide
{
    readonly ISource _source;
    readonly PlannedTable _table;
    readonly List<PgType> _types;
    readonly bool[] _apart;
    readonly List<int> _keyIndexes;
    readonly bool _integerKey;
    readonly bool _utf8;

    /// <summary>Each range's rows as (integer key, row hash) pairs, kept by the fingerprint when <see cref="KeepRows"/>.</summary>
    List<long>[]? _kept;

    /// <summary>
    /// Keep each row's integer key and hash while fingerprinting (16 bytes a row), so the rows of the drilled buckets are
    /// found in memory rather than by reading the source again; only with an integer key.
    /// </summary>
    public bool KeepRows { get; init; }

    public SourceHashing(ISource source, PlannedTable table, List<PgType> types, List<TargetColumn> columns, List<int> keyIndexes, bool integerKey, bool utf8)
    {
        _source = source;
        _table = table;
        _types = types;
        _apart = [.. columns.Select(CanonicalSql.HashesLongValuesApart)];
        _keyIndexes = keyIndexes;
        _integerKey = integerKey;
        _utf8 = utf8;
    }

    /// <summary>Reads the source's ranges in parallel (as the copy does), each into its own buckets, then adds them up.</summary>
    public async Task<SourceFingerprint> FingerprintAsync(int buckets, CancellationToken cancellationToken)
    {
        var mask = buckets - 1;
        var parts = await InParallelAsync(range =>
        {
            var counts = new long[buckets];
            var sums = new ulong[buckets];
            var kept = KeepRows ? new List<long>() : null;
            var (rows, rejected) = ReadRows(range, (hasher, rowHash) =>
            {
                var b = Bucket(hasher, rowHash, mask);
                counts[b]++;
                sums[b] += unchecked((ulong)rowHash);
                if (kept is not null)
                {
                    kept.Add(hasher.IntegerKey);
                    kept.Add(rowHash);
                }
            }, cancellationToken);
            return (Fingerprint: new SourceFingerprint(counts, sums, rows, rejected), Kept: kept);
        }, cancellationToken);
        if (KeepRows)
            _kept = [.. parts.Select(p => p.Kept!)];
        return Sum(parts.Select(p => p.Fingerprint).ToArray(), buckets);
    }

    static SourceFingerprint Sum(SourceFingerprint[] parts, int buckets)
    {
        var total = parts[0];
        foreach (var part in parts.Skip(1))
        {
            for (var b = 0; b < buckets; b++)
            {
                total.Counts[b] += part.Counts[b];
                total.Sums[b] = unchecked(total.Sums[b] + part.Sums[b]);
            }

            total = total with { Rows = total.Rows + part.Rows, Rejected = total.Rejected + part.Rejected };
        }

        return total;
    }

    /// <summary>
    /// Runs <paramref name="read"/> on each of the source's ranges of the table, in parallel, each on a thread of its own:
    /// readers on the thread pool's few threads (as many as cores) kept the target's asynchronous reads waiting for one.
    /// </summary>
    async Task<T[]> InParallelAsync<T>(Func<ReadRange, T> read, CancellationToken cancellationToken)
    {
        // A small table is read by one reader: more would cost more than they save (the copy splits as rarely).
        var ranges = (_table.Source.EstimatedRows ?? 0) > Copy.CopyOptions.DefaultSplitAboveRows
            ? _source.PlanRanges(_table.Source, Environment.ProcessorCount)
            : [ReadRange.All];
        if (ranges.Count == 0)
            ranges = [ReadRange.All];
        var tasks = ranges.Select(range => Task.Factory.StartNew(() => read(range), cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default)).ToArray();
        try
        {
            return await Task.WhenAll(tasks);
        }
        catch (Exception) when (tasks.Any(t => t.IsFaulted))
        {
            // What a range threw, as it was thrown: a FerryException is a message for the user, not a crash.
            var errors = tasks.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).ToList();
            ExceptionDispatchInfo.Throw(errors.FirstOrDefault(e => e is FerryException) ?? errors[0]);
            throw;
        }
    }

    /// <summary>Reads one range, hashing each row the reader did not reject; returns rows hashed and rows rejected.</summary>
    (long Rows, long Rejected) ReadRows(ReadRange range, Action<RowHasher, long> onRow, CancellationToken cancellationToken)
    {
        long rows = 0, rejected = 0;
        var hasher = NewHasher();
        using var reader = _source.OpenReader(_table, range);
        var folds = JsonFoldSink.Over(hasher, _table);
        var sink = ColumnStepSink.ForVerify((Copy.IRowSink?)folds ?? hasher, _table);
        while (reader.ReadRow(sink))
        {
            folds?.EndRow();
            if (((rows + rejected) & 0xFFF) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            if (hasher.Rejected)
            {
                rejected++;
            }
            else
            {
                onRow(hasher, hasher.RowHash());
                rows++;
            }

            hasher.Reset();
        }

        return (rows, rejected);
    }

    RowHasher NewHasher() => new(_types, _keyIndexes, _integerKey, _utf8, _apart);

    int Bucket(RowHasher hasher, long rowHash, int mask) =>
        (int)((_integerKey ? hasher.IntegerKey : hasher.HasKey ? hasher.KeyHash() : rowHash) & mask);

    public async Task<List<(string Text, long RowHash, string?[]? Key)>> RowsInAsync(int[] drilled, int mask, CancellationToken cancellationToken)
    {
        var wanted = new bool[mask + 1];
        foreach (var b in drilled)
            wanted[b] = true;
        if (_kept is not null)
            return KeptRowsIn(wanted, mask);
        return
        [
            .. (await InParallelAsync(range =>
            {
                var rows = new List<(string, long, string?[]?)>();
                ReadRows(range, (hasher, rowHash) =>
                {
                    if (wanted[Bucket(hasher, rowHash, mask)])
                        rows.Add(hasher.HasKey ? (hasher.KeyText(), rowHash, hasher.KeyValues()) : (hasher.RowText(), rowHash, null));
                }, cancellationToken);
                return rows;
            }, cancellationToken)).SelectMany(r => r),
        ];
    }

    /// <summary>The kept rows of the wanted buckets, as a reader would give them: the key's digits are its canonical text.</summary>
    List<(string Text, long RowHash, string?[]? Key)> KeptRowsIn(bool[] wanted, int mask)
    {
        var rows = new List<(string, long, string?[]?)>();
        foreach (var kept in _kept!)
        {
            for (var i = 0; i < kept.Count; i += 2)
            {
                if (!wanted[(int)(kept[i] & mask)])
                    continue;
                string?[] key = [kept[i].ToString(System.Globalization.CultureInfo.InvariantCulture)];
                rows.Add((KeyValues.Join(key), kept[i + 1], key));
            }
        }

        return rows;
    }

    public Task<(long Rows, long Rejected)> CountAsync(CancellationToken cancellationToken) =>
        Task.Run(() => TableComparison.CountSource(_source, _table, cancellationToken), cancellationToken);
}
