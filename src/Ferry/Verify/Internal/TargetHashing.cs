using System.Globalization;
using System.Numerics;
using Npgsql;

namespace Ferry.Verify.Internal;

/// <summary>
/// The target side of a <see cref="TableComparison"/>: the canonical row and key texts and their hashes in SQL
/// (<see cref="CanonicalSql"/>), the buckets' aggregates (a large heap split by page ranges over a few
/// connections), and the row count.
/// </summary>
internal sealed class TargetHashing
{
    readonly TargetTable _target;
    readonly NpgsqlConnection _connection;

    /// <summary>Opens another connection with the canonical session settings (for parallel target work); null for one connection.</summary>
    readonly Func<CancellationToken, Task<NpgsqlConnection>>? _openConnection;
    readonly List<TargetColumn> _columns;
    readonly List<TargetColumn> _keyColumns;
    readonly bool _integerKey;
    readonly bool _utf8;

    public TargetHashing(
        TargetTable target, NpgsqlConnection connection, Func<CancellationToken, Task<NpgsqlConnection>>? openConnection,
        List<TargetColumn> columns, List<TargetColumn> keyColumns, bool integerKey, bool utf8)
    {
        _target = target;
        _connection = connection;
        _openConnection = openConnection;
        _columns = columns;
        _keyColumns = keyColumns;
        _integerKey = integerKey;
        _utf8 = utf8;
    }

    public async Task<long> CountTargetAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {_target.QualifiedName}", _connection) { CommandTimeout = 0 };
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>
    /// The target's rows as (key text, row text), hashed: the inner query every target pass reads;
    /// <paramref name="where"/> limits the rows read (a page range).
    /// </summary>
    public string HashedRows(int mask, string extraColumns = "", string where = "")
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
    public async Task<Dictionary<int, (long Count, ulong Sum)>> FingerprintTargetAsync(int mask, CancellationToken cancellationToken)
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
}
