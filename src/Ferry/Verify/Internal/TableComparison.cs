using System.Globalization;
using Ferry.Schema;
using Ferry.Sources;
using Npgsql;

using Ferry.Transforms;

namespace Ferry.Verify.Internal;

/// <summary>
/// Compares one source table with its target table. Both sides fold their rows into B buckets (by key hash;
/// by row hash without a key), each bucket a count and a wrapping sum of row hashes: the source in C# while
/// it streams (or in SQL on its own server, a PostgreSQL source), the target in SQL (<c>GROUP BY bucket</c>), so
/// only B aggregates cross the wire. Buckets that differ are read again on both sides, keys and row hashes only,
/// to name the differing rows.
/// </summary>
internal sealed class TableComparison
{
    /// <summary>
    /// Rows per bucket aimed for: a drill-down holds at most this many rows per differing bucket in memory, and
    /// fewer groups keep the target's aggregate fast.
    /// </summary>
    const int DefaultRowsPerBucket = 1024;
    const int DefaultMaxBuckets = 1 << 16;

    /// <summary>Rows per bucket aimed for; a sync asks for fewer, so that few buckets differ after a change of 1% of the rows.</summary>
    public int RowsPerBucket { get; init; } = DefaultRowsPerBucket;

    public int MaxBuckets { get; init; } = DefaultMaxBuckets;

    /// <summary>A source hashed in C# with an integer key keeps each row's key and hash, so the drill-down does not read it again.</summary>
    public bool KeepSourceRows { get; init; }

    /// <summary>Every differing key with its kind, found by <see cref="KeyedDifferencesAsync"/>.</summary>
    List<(string?[] Key, string Kind)> _keyed = [];

    readonly ISource _source;
    readonly PlannedTable _table;
    readonly TargetTable _target;
    readonly VerifyOptions _options;
    readonly NpgsqlConnection _connection;
    readonly bool _utf8;
    readonly TableVerification _result;

    readonly List<PgType> _types = [];
    readonly List<TargetColumn> _columns = [];
    readonly List<int> _keyIndexes = [];
    readonly List<TargetColumn> _keyColumns = [];

    /// <summary>A source hashed on its own server (null: hashed in C#), and its columns as its catalog describes them, matched to <see cref="_columns"/>.</summary>
    readonly SourceTableOnServer? _server;
    readonly List<TargetColumn> _sourceColumns = [];

    /// <summary>The key is one integer column on both sides: its value is its bucket, no hash needed.</summary>
    bool _integerKey;

    /// <summary>Opens another connection with the canonical session settings (for parallel target work); null for one connection.</summary>
    readonly Func<CancellationToken, Task<NpgsqlConnection>>? _openConnection;

    /// <summary>The two sides, hashing the matched columns: set once <see cref="MatchColumns"/> has run.</summary>
    ISourceSide _sourceSide = null!;
    ServerHashing _targetSide = null!;

    /// <summary>What the source side's readers read: the source, or for a table with steps on a server, its canonical texts (<see cref="ServerCanonicalReads"/>).</summary>
    ISource _reads = null!;

    public TableComparison(
        ISource source, PlannedTable table, TargetTable target, VerifyOptions options, NpgsqlConnection connection, bool utf8, TableVerification result,
        Func<CancellationToken, Task<NpgsqlConnection>>? openConnection = null, SourceTableOnServer? server = null)
    {
        _openConnection = openConnection;
        _server = server;
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
        await CompareAsync(cancellationToken);
        if (_result.Compared == "content" && _columns.Any(c => c.PresenceOnly))
            await new UnrepeatableCheck(_reads, _table, HashedRelation.Of(_target), _types, _columns, _keyIndexes, _utf8, _options).RunAsync(_connection, _result, cancellationToken);
    }

    /// <summary>
    /// For a sync: the buckets compared and the differing ones drilled, without the checks after; every differing key
    /// (the options' <see cref="VerifyOptions.MaxDifferences"/> unbounded) with its kind. A table without a key, or one
    /// whose columns do not match, has its reason in the result's problems.
    /// </summary>
    public async Task<List<(string?[] Key, string Kind)>> KeyedDifferencesAsync(CancellationToken cancellationToken)
    {
        await CompareAsync(cancellationToken);
        return _keyed;
    }

    /// <summary>The key the rows are matched by (target columns); empty when the table has none.</summary>
    public IReadOnlyList<TargetColumn> KeyColumns => _keyColumns;

    async Task CompareAsync(CancellationToken cancellationToken)
    {
        var comparable = MatchColumns();
        _reads = SteppedOnServer ? new ServerCanonicalReads(_source, _table, comparable ? ReadColumnsOnServer() : null) : _source;
        _sourceSide = _server is null || SteppedOnServer
            ? new SourceHashing(_reads, _table, _types, _columns, _keyIndexes, _integerKey, _utf8) { KeepRows = KeepSourceRows && _integerKey }
            : new ServerSourceHashing(new ServerHashing(_server.Relation(_table.Copied), _server.Connection, _server.Open, _sourceColumns, [.. _keyIndexes.Select(i => _sourceColumns[i])], _integerKey, _server.Utf8), _keyIndexes.Count > 0);
        _targetSide = new ServerHashing(HashedRelation.Of(_target), _connection, _openConnection, _columns, _keyColumns, _integerKey, _utf8);
        if (_options.CountsOnly || !comparable)
        {
            _result.Compared = "counts";
            var sourceCount = _sourceSide.CountAsync(cancellationToken);
            _result.TargetRows = await _targetSide.CountAsync(cancellationToken);
            (_result.SourceRows, _result.SourceRejected) = await sourceCount;
            return;
        }

        // Without any estimate (never analyzed, no source figure) the target's count sizes the buckets: one bucket for
        // a large table would make a drill-down read all of it into memory.
        var estimate = Math.Max(_table.Source.EstimatedRows ?? 0, (long)Math.Max(0, _target.EstimatedRows));
        if (estimate == 0)
            estimate = await _targetSide.CountAsync(cancellationToken);
        var buckets = BucketCount(estimate, RowsPerBucket, MaxBuckets);
        var mask = buckets - 1;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var sourceTask = Task.Run(async () =>
        {
            var fingerprint = await _sourceSide.FingerprintAsync(buckets, cancellationToken);
            return (Fingerprint: fingerprint, Seconds: clock.Elapsed.TotalSeconds);
        }, cancellationToken);
        var target = await _targetSide.FingerprintAsync(mask, cancellationToken);
        var targetSeconds = clock.Elapsed.TotalSeconds;
        var (source, sourceSeconds) = await sourceTask;
        _options.Progress?.Report(string.Create(CultureInfo.InvariantCulture,
            $"{_table.Source.SourceName}: source hashed in {sourceSeconds:0.0} s, target in {targetSeconds:0.0} s ({buckets} buckets)"));
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
        _options.Progress?.Report($"{_table.Source.SourceName}: {differing.Count} of {buckets} buckets differ; reading {drilled.Length} of them again");
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

    /// <summary>
    /// A table with column steps from a source hashed on its server: the steps run in Ferry, so its rows are hashed there,
    /// every value read as text (an integer key is hashed as text then: both sides bucket by the key's hash).
    /// </summary>
    bool SteppedOnServer => _server is not null && (_table.HasSteps || _table.Folds.Count > 0);

    /// <summary>The source catalog's entry of each column read (a column folded away has no target column: its own entry).</summary>
    List<TargetColumn?> ReadColumnsOnServer() =>
        [.. _table.Copied.Select(c => _table.Written.ToList().IndexOf(c) is var w and >= 0 ? _sourceColumns[w] : _server!.Column(c, null))];

    /// <summary>Pairs each copied source column with its target column; false when one is missing there.</summary>
    bool MatchColumns()
    {
        var copied = _table.Written;
        var ok = true;
        foreach (var column in copied)
        {
            var name = Verifier.TargetNameOf(_table, column, _options.Names);
            var target = _target.Column(name);
            var onServer = _server?.Column(column, target);
            if (target is null)
                _result.Problems.Add($"column {name} (source {column.SourceName}) is missing in {_target.DisplayName}");
            else if (_server is not null && onServer is null)
                _result.Problems.Add($"column {column.SourceName} is missing in the source's {_server.Catalog.DisplayName}");
            else
            {
                _columns.Add(column.Steps.Any(step => !step.Deterministic) ? target with { PresenceOnly = true } : target);
                _types.Add(SteppedOnServer ? ServerCanonicalReads.HashedType(_table, column) : column.Type);
                if (onServer is not null)
                    _sourceColumns.Add(onServer);
                continue;
            }

            ok = false;
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
            && (_server is null ? _types[_keyIndexes[0]].Kind is PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt : !SteppedOnServer && _sourceColumns[_keyIndexes[0]].IsInteger);
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

    static int BucketCount(long estimate, int rowsPerBucket, int maxBuckets)
    {
        var buckets = 1;
        while (buckets < maxBuckets && (long)buckets * rowsPerBucket < estimate)
            buckets <<= 1;
        return buckets;
    }

    /// <summary>Rows of a source table (and rows its reader rejects), read without rendering anything.</summary>
    public static (long Rows, long Rejected) CountSource(ISource source, PlannedTable table, CancellationToken cancellationToken)
    {
        var sink = new CountingSink();
        // A step may reject a row, as it did in the copy; one that is not repeatable is not run.
        var stepped = ColumnStepSink.ForVerify(sink, table);
        long rows = 0, rejected = 0;
        using var reader = source.OpenReader(table, ReadRange.All);
        while (reader.ReadRow(stepped))
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

    async Task DrillKeyedAsync(int[] drilled, int mask, CancellationToken cancellationToken)
    {
        var sourceTask = Task.Run(() => _sourceSide.RowsInAsync(drilled, mask, cancellationToken), cancellationToken);
        var target = new Dictionary<string, (long Hash, string?[] Key)>(StringComparer.Ordinal);
        var differences = new List<(string?[] Key, string Kind)>();
        foreach (var (hash, key) in await _targetSide.KeyedRowsInAsync(drilled, mask, cancellationToken))
        {
            if (!target.TryAdd(KeyValues.Join(key), (hash, key)))
                differences.Add((key, DifferenceKind.Extra)); // The same key twice in the target: the second is extra.
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
        _keyed = differences;
        _result.DifferencesTotal = differences.Count;
        _result.Differences.AddRange(differences.Select(d => new RowDifference(KeyValues.ToDictionary(_keyColumns, d.Key), d.Kind)));
    }

    async Task DrillKeylessAsync(int[] drilled, int mask, CancellationToken cancellationToken)
    {
        var sourceTask = Task.Run(() => _sourceSide.RowsInAsync(drilled, mask, cancellationToken), cancellationToken);
        var rows = new Dictionary<long, (long Source, long Target, string Text)>();
        foreach (var (hash, count, text) in await _targetSide.KeylessRowsInAsync(drilled, mask, cancellationToken))
            rows[hash] = (0, count, text);

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
}
