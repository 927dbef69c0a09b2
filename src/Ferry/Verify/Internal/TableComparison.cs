using System.Globalization;
using System.Numerics;
using System.Runtime.ExceptionServices;
using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources;
using Npgsql;
using NpgsqlTypes;

namespace Ferry.Verify.Internal;

/// <summary>
/// Compares one source table with its target table. Both sides fold their rows into B buckets (by key hash;
/// by row hash without a key), each bucket a count and a wrapping sum of row hashes: the source in C# while
/// it streams, the target in SQL (<c>GROUP BY bucket</c>), so only B aggregates cross the wire. Buckets that
/// differ are read again on both sides, keys and row hashes only, to name the differing rows.
/// </summary>
internal sealed class TableComparison
{
    /// <summary>
    /// Rows per bucket aimed for: a drill-down holds at most this many rows per differing bucket in memory, and
    /// fewer groups keep the target's aggregate fast (3M rows: 4,096 groups 1.7 s, 65,536 groups 2.2 s).
    /// </summary>
    const int RowsPerBucket = 1024;
    const int MaxBuckets = 1 << 16;

    readonly ISource _source;
    readonly TableModel _table;
    readonly TargetTable _target;
    readonly VerifyOptions _options;
    readonly NpgsqlConnection _connection;
    readonly bool _utf8;
    readonly TableVerification _result;

    readonly List<PgType> _types = [];
    readonly List<TargetColumn> _columns = [];
    readonly List<int> _keyIndexes = [];
    readonly List<TargetColumn> _keyColumns = [];

    /// <summary>The key is one integer column on both sides: its value is its bucket, no hash needed.</summary>
    bool _integerKey;

    /// <summary>Opens another connection with the canonical session settings (for parallel target work); null for one connection.</summary>
    readonly Func<CancellationToken, Task<NpgsqlConnection>>? _openConnection;

    public TableComparison(
        ISource source, TableModel table, TargetTable target, VerifyOptions options, NpgsqlConnection connection, bool utf8, TableVerification result,
        Func<CancellationToken, Task<NpgsqlConnection>>? openConnection = null)
    {
        _openConnection = openConnection;
        _source = source;
        _table = table;
        _target = target;
        _options = options;
        _connection = connection;
        _utf8 = utf8;
        _result = result;
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var comparable = MatchColumns();
        if (_options.CountsOnly || !comparable)
        {
            _result.Compared = "counts";
            var sourceCount = Task.Run(() => CountSource(_source, _table, cancellationToken), cancellationToken);
            _result.TargetRows = await CountTargetAsync(cancellationToken);
            (_result.SourceRows, _result.SourceRejected) = await sourceCount;
            return;
        }

        // Without any estimate (never analyzed, no source figure) the target's count sizes the buckets: one bucket for
        // a large table would make a drill-down read all of it into memory.
        var estimate = Math.Max(_table.EstimatedRows ?? 0, (long)Math.Max(0, _target.EstimatedRows));
        if (estimate == 0)
            estimate = await CountTargetAsync(cancellationToken);
        var buckets = BucketCount(estimate);
        var mask = buckets - 1;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sourceTask = Task.Run(async () =>
        {
            var fingerprint = await FingerprintSourceAsync(buckets, cancellationToken);
            return (Fingerprint: fingerprint, Seconds: clock.Elapsed.TotalSeconds);
        }, cancellationToken);
        var target = await FingerprintTargetAsync(mask, cancellationToken);
        var targetSeconds = clock.Elapsed.TotalSeconds;
        var (source, sourceSeconds) = await sourceTask;
        _options.Progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"{_table.SourceName}: source hashed in {sourceSeconds:0.0} s, target in {targetSeconds:0.0} s ({buckets} buckets)"));
        _result.SourceRows = source.Rows;
        _result.SourceRejected = source.Rejected;
        _result.TargetRows = target.Values.Sum(b => b.Count);

        var differing = new List<int>();
        for (var b = 0; b < buckets; b++)
        {
            target.TryGetValue(b, out var t);
            if (source.Counts[b] != t.Count || source.Sums[b] != t.Sum)
                differing.Add(b);
        }

        if (differing.Count == 0)
            return;
        // Every differing bucket holds at least one differing row: more buckets than that are not needed.
        var drilled = differing.Take(Math.Max(1, _options.MaxDifferences)).ToArray();
        _result.Truncated = drilled.Length < differing.Count;
        _options.Progress?.Report($"{_table.SourceName}: {differing.Count} of {buckets} buckets differ; reading {drilled.Length} of them again");
        if (_keyIndexes.Count > 0)
            await DrillKeyedAsync(drilled, mask, cancellationToken);
        else
            await DrillKeylessAsync(drilled, mask, cancellationToken);
        if (_result.DifferencesTotal == 0)
        {
            // Fingerprints differ but no row was named: never silently "ok" (e.g. a key duplicated in the source).
            _result.Problems.Add($"{differing.Count} of {buckets} row groups differ, but no differing key was found (is the key unique in the source?)");
        }

        if (_result.Differences.Count > _options.MaxDifferences)
        {
            _result.Differences.RemoveRange(_options.MaxDifferences, _result.Differences.Count - _options.MaxDifferences);
            _result.Truncated = true;
        }
    }

    /// <summary>Pairs each copied source column with its target column; false when one is missing there.</summary>
    bool MatchColumns()
    {
        var copied = _table.Columns.Where(c => c.GeneratedSql is null).ToList();
        var ok = true;
        foreach (var column in copied)
        {
            var name = Verifier.TargetNameOf(_table, column, _options.Names);
            if (_target.Column(name) is { } target)
            {
                _columns.Add(target);
                _types.Add(column.Type);
            }
            else
            {
                _result.Problems.Add($"column {name} (source {column.SourceName}) is missing in {_target.DisplayName}");
                ok = false;
            }
        }

        var keyNames = KeyColumnNames();
        foreach (var name in keyNames)
        {
            var index = _columns.FindIndex(c => c.Name == name);
            if (index < 0)
            {
                _keyIndexes.Clear();
                _keyColumns.Clear();
                break;
            }

            _keyIndexes.Add(index);
            _keyColumns.Add(_columns[index]);
        }

        _result.Key = [.. _keyColumns.Select(c => c.Name)];
        _integerKey = _keyIndexes.Count == 1 && _keyColumns[0].IsInteger
            && _types[_keyIndexes[0]].Kind is PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt;
        return ok;
    }

    /// <summary>The source's primary key (by source or target column names), else the target's.</summary>
    IReadOnlyList<string> KeyColumnNames()
    {
        if (_table.PrimaryKey is { Columns.Count: > 0 } primaryKey)
        {
            var names = primaryKey.Columns.Select(c => Verifier.ResolveColumn(_table, c, _options.Names)).ToList();
            return names.Any(n => n is null) ? [] : [.. names.Select(n => n!)];
        }

        return _target.Keys.FirstOrDefault(k => k.Primary)?.Columns ?? [];
    }

    static int BucketCount(long estimate)
    {
        var buckets = 1;
        while (buckets < MaxBuckets && (long)buckets * RowsPerBucket < estimate)
            buckets <<= 1;
        return buckets;
    }

    sealed record SourceFingerprint(long[] Counts, ulong[] Sums, long Rows, long Rejected);

    /// <summary>Reads the source's ranges in parallel (as the copy does), each into its own buckets, then adds them up.</summary>
    async Task<SourceFingerprint> FingerprintSourceAsync(int buckets, CancellationToken cancellationToken)
    {
        var mask = buckets - 1;
        var parts = await InParallelAsync(range =>
        {
            var counts = new long[buckets];
            var sums = new ulong[buckets];
            var (rows, rejected) = ReadRows(range, (hasher, rowHash) =>
            {
                var b = Bucket(hasher, rowHash, mask);
                counts[b]++;
                sums[b] += unchecked((ulong)rowHash);
            }, cancellationToken);
            return new SourceFingerprint(counts, sums, rows, rejected);
        }, cancellationToken);
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
        var ranges = _source.PlanRanges(_table, Environment.ProcessorCount);
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
        while (reader.ReadRow(hasher))
        {
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

    RowHasher NewHasher() => new(_types, _keyIndexes, _integerKey, _utf8, [.. _columns.Select(CanonicalSql.HashesLongValuesApart)]);

    int Bucket(RowHasher hasher, long rowHash, int mask) =>
        (int)((_integerKey ? hasher.IntegerKey : hasher.HasKey ? hasher.KeyHash() : rowHash) & mask);

    /// <summary>Rows of a source table (and rows its reader rejects), read without rendering anything.</summary>
    public static (long Rows, long Rejected) CountSource(ISource source, TableModel table, CancellationToken cancellationToken)
    {
        var sink = new CountingSink();
        long rows = 0, rejected = 0;
        using var reader = source.OpenReader(table, ReadRange.All);
        while (reader.ReadRow(sink))
        {
            if (((rows + rejected) & 0xFFF) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            if (sink.Rejected)
                rejected++;
            else
                rows++;
            sink.Rejected = false;
        }

        return (rows, rejected);
    }

    async Task<long> CountTargetAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {_target.QualifiedName}", _connection) { CommandTimeout = 0 };
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The target's rows as (key text, row text), hashed: the inner query every target pass reads;
    /// <paramref name="where"/> limits the rows read (a page range).
    /// </summary>
    string HashedRows(int mask, string extraColumns = "", string where = "")
    {
        var rowText = CanonicalSql.Text(_columns, _utf8);
        // Keys are matched and reported by their values: their text is never hashed apart.
        var keyText = _keyColumns.Count > 0 && !_integerKey ? CanonicalSql.Text(_keyColumns, _utf8, hashLongValuesApart: false) : null;
        var rowHash = CanonicalSql.Hash("s.rt", _utf8);
        var bucket = _integerKey ? $"s.ik & {mask}"
            : keyText is null ? $"({rowHash}) & {mask}"
            : $"({CanonicalSql.Hash("s.kt", _utf8)}) & {mask}";
        return $"SELECT {bucket} AS b, {rowHash} AS h, s.rt{extraColumns} FROM (SELECT {rowText} AS rt{(keyText is null ? "" : $", {keyText} AS kt")}{(_integerKey ? $", coalesce({CanonicalSql.Quote(_keyColumns[0].Name)}::bigint, 0) AS ik" : "")}{RawKeyColumns()} FROM {_target.QualifiedName}{where}) s";
    }

    string RawKeyColumns() =>
        string.Concat(_keyColumns.Select((c, i) => $", {CanonicalSql.Raw(c)} AS k{i}"));

    /// <summary>Heaps smaller than this (8 MB) are hashed on one connection.</summary>
    const long PagesToSplit = 1024;

    /// <summary>
    /// The target's buckets. A large table is split by page ranges over a few connections (each reads only its
    /// pages: a TID range scan), as the copy loads a table over several connections; their buckets add up.
    /// </summary>
    async Task<Dictionary<int, (long Count, ulong Sum)>> FingerprintTargetAsync(int mask, CancellationToken cancellationToken)
    {
        var parts = _openConnection is not null && _target.Pages >= PagesToSplit ? Math.Clamp(Environment.ProcessorCount, 1, 4) : 1;
        if (parts == 1)
            return await FingerprintTargetPartAsync(_connection, mask, "", cancellationToken);
        var tasks = Enumerable.Range(0, parts).Select(async part =>
        {
            await using var connection = await _openConnection!(cancellationToken);
            // The parts are the parallelism: with workers, each part's plan scanned the whole table, filtering by ctid.
            await using (var serial = new NpgsqlCommand("SET max_parallel_workers_per_gather = 0", connection))
                await serial.ExecuteNonQueryAsync(cancellationToken);
            return await FingerprintTargetPartAsync(connection, mask, PageRange(part, parts), cancellationToken);
        }).ToList();
        var buckets = new Dictionary<int, (long Count, ulong Sum)>();
        foreach (var result in await Task.WhenAll(tasks))
        {
            foreach (var (b, (count, sum)) in result)
            {
                buckets.TryGetValue(b, out var total);
                buckets[b] = (total.Count + count, unchecked(total.Sum + sum));
            }
        }

        return buckets;
    }

    /// <summary>Part <paramref name="part"/> of <paramref name="parts"/> of the heap's pages; the outer parts are open-ended (the table may have grown).</summary>
    string PageRange(int part, int parts)
    {
        var from = _target.Pages * part / parts;
        var to = _target.Pages * (part + 1) / parts;
        var lower = part == 0 ? null : $"ctid >= '({from},0)'::tid";
        var upper = part == parts - 1 ? null : $"ctid < '({to},0)'::tid";
        return " WHERE " + string.Join(" AND ", new[] { lower, upper }.OfType<string>());
    }

    async Task<Dictionary<int, (long Count, ulong Sum)>> FingerprintTargetPartAsync(NpgsqlConnection connection, int mask, string where, CancellationToken cancellationToken)
    {
        var sql = $"SELECT b, count(*), sum(h)::text FROM ({HashedRows(mask, where: where)}) f GROUP BY b";
        var buckets = new Dictionary<int, (long, ulong)>();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var sum = BigInteger.Parse(reader.GetString(2), CultureInfo.InvariantCulture);
            buckets[(int)reader.GetInt64(0)] = (reader.GetInt64(1), (ulong)(sum & ulong.MaxValue));
        }

        return buckets;
    }

    async Task DrillKeyedAsync(int[] drilled, int mask, CancellationToken cancellationToken)
    {
        var wanted = Wanted(drilled, mask);
        var sourceTask = Task.Run(() => SourceRowsInAsync(wanted, mask, cancellationToken), cancellationToken);
        var keys = string.Concat(_keyColumns.Select((_, i) => $", s.k{i}"));
        var sql = $"SELECT h{string.Concat(_keyColumns.Select((_, i) => $", k{i}"))} FROM ({HashedRows(mask, keys)}) f WHERE b = ANY($1)";
        var target = new Dictionary<string, (long Hash, string?[] Key)>(StringComparer.Ordinal);
        var differences = new List<(string?[] Key, string Kind)>();
        await using (var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 })
        {
            command.Parameters.Add(new() { Value = Array.ConvertAll(drilled, b => (long)b), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var key = new string?[_keyColumns.Count];
                for (var i = 0; i < key.Length; i++)
                    key[i] = reader.IsDBNull(i + 1) ? null : reader.GetString(i + 1);
                if (!target.TryAdd(KeyValues.Join(key), (reader.GetInt64(0), key)))
                    differences.Add((key, DifferenceKind.Extra)); // The same key twice in the target: the second is extra.
            }
        }

        var source = await sourceTask;
        var sourceKeys = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        foreach (var (keyText, rowHash, sourceKey) in source)
        {
            var key = sourceKey!;
            sourceKeys.TryAdd(keyText, key);
            if (!target.TryGetValue(keyText, out var targetHash))
                differences.Add((key, DifferenceKind.Missing));
            else if (targetHash.Hash != rowHash)
                differences.Add((key, DifferenceKind.Changed));
        }

        foreach (var (keyText, (_, key)) in target)
        {
            if (!sourceKeys.ContainsKey(keyText))
                differences.Add((key, DifferenceKind.Extra));
        }

        differences.Sort((a, b) => KeyValues.Compare(_keyColumns, a.Key, b.Key));
        _result.DifferencesTotal = differences.Count;
        _result.Differences.AddRange(differences.Select(d => new RowDifference(KeyValues.ToDictionary(_keyColumns, d.Key), d.Kind)));
    }

    async Task DrillKeylessAsync(int[] drilled, int mask, CancellationToken cancellationToken)
    {
        var wanted = Wanted(drilled, mask);
        var sourceTask = Task.Run(() => SourceRowsInAsync(wanted, mask, cancellationToken), cancellationToken);
        var sql = $"SELECT h, count(*), min(rt) FROM ({HashedRows(mask)}) f WHERE b = ANY($1) GROUP BY h";
        var rows = new Dictionary<long, (long Source, long Target, string Text)>();
        await using (var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 })
        {
            command.Parameters.Add(new() { Value = Array.ConvertAll(drilled, b => (long)b), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                rows[reader.GetInt64(0)] = (0, reader.GetInt64(1), reader.GetString(2));
        }

        foreach (var (text, rowHash, _) in await sourceTask)
        {
            rows.TryGetValue(rowHash, out var entry);
            rows[rowHash] = (entry.Source + 1, entry.Target, entry.Text ?? text);
        }

        var differences = rows.Values
            .Where(r => r.Source != r.Target)
            .Select(r => new RowDifference(null, r.Source > r.Target ? DifferenceKind.Missing : DifferenceKind.Extra, r.Text, Math.Abs(r.Source - r.Target)))
            .OrderBy(d => d.Row, StringComparer.Ordinal)
            .ToList();
        _result.DifferencesTotal = differences.Sum(d => d.Count);
        _result.Differences.AddRange(differences);
    }

    static bool[] Wanted(int[] drilled, int mask)
    {
        var wanted = new bool[mask + 1];
        foreach (var b in drilled)
            wanted[b] = true;
        return wanted;
    }

    /// <summary>
    /// The source rows of the drilled buckets: (key text, row hash, key values) with a key, (row text, row hash, null) without.
    /// </summary>
    async Task<List<(string Text, long RowHash, string?[]? Key)>> SourceRowsInAsync(bool[] wanted, int mask, CancellationToken cancellationToken) =>
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

    /// <summary>Counts rows, noting rejections, without rendering anything.</summary>
    sealed class CountingSink : IRowSink
    {
        public bool Rejected { get; set; }

        public void SetNull(int column) { }

        public void SetBoolean(int column, bool value) { }

        public void SetInt16(int column, short value) { }

        public void SetInt32(int column, int value) { }

        public void SetInt64(int column, long value) { }

        public void SetFloat4(int column, float value) { }

        public void SetFloat8(int column, double value) { }

        public void SetDecimal(int column, decimal value) { }

        public void SetNumericText(int column, string value) { }

        public void SetText(int column, string value) { }

        public void SetTextUtf8(int column, ReadOnlySpan<byte> value) { }

        public void SetBytes(int column, ReadOnlySpan<byte> value) { }

        public void SetDate(int column, DateOnly value) { }

        public void SetTime(int column, TimeSpan value) { }

        public void SetTimeTz(int column, DateTimeOffset value) { }

        public void SetTimestamp(int column, DateTime value) { }

        public void SetTimestampTz(int column, DateTime utcValue) { }

        public void SetInfinity(int column, bool negative) { }

        public void SetInterval(int column, NpgsqlInterval value) { }

        public void SetUuid(int column, Guid value) { }

        public void SetArray<T>(int column, T[] value) { }

        public void SetBits(int column, System.Collections.BitArray value) { }

        public void Reject(int column, string? value, string reason) => Rejected = true;

        public void NoteRepair(int column, string original, string reason) { }
    }
}
