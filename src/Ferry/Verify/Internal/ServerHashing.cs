using System.Globalization;
using System.Numerics;
using Npgsql;
using NpgsqlTypes;

namespace Ferry.Verify.Internal;

/// <summary>
/// One side of a <see cref="TableComparison"/> hashed inside its PostgreSQL server (the target; a PostgreSQL source
/// too): the canonical row and key texts and their hashes in SQL (<see cref="CanonicalSql"/>), the buckets'
/// aggregates (a large heap split by page ranges over a few connections), the rows of drilled buckets, the row count.
/// </summary>
internal sealed class ServerHashing
{
    readonly HashedRelation _relation;
    readonly NpgsqlConnection _connection;

    /// <summary>Opens another connection with the canonical session settings (for parallel work); null for one connection.</summary>
    readonly Func<CancellationToken, Task<NpgsqlConnection>>? _openConnection;
    readonly List<TargetColumn> _columns;
    readonly List<TargetColumn> _keyColumns;
    readonly bool _integerKey;
    readonly bool _utf8;

    public ServerHashing(
        HashedRelation relation, NpgsqlConnection connection, Func<CancellationToken, Task<NpgsqlConnection>>? openConnection,
        List<TargetColumn> columns, List<TargetColumn> keyColumns, bool integerKey, bool utf8)
    {
        _relation = relation;
        _connection = connection;
        _openConnection = openConnection;
        _columns = columns;
        _keyColumns = keyColumns;
        _integerKey = integerKey;
        _utf8 = utf8;
    }

    public Task<long> CountAsync(CancellationToken cancellationToken) => _relation.CountAsync(_connection, cancellationToken);

    /// <summary>
    /// The rows as (key text, row text), hashed: the inner query every pass reads; <paramref name="more"/> limits the
    /// rows read (a page range).
    /// </summary>
    public string HashedRows(int mask, string extraColumns = "", string? more = null)
    {
        var rowText = CanonicalSql.Text(_columns, _utf8);
        // Keys are matched and reported by their values: their text is never hashed apart.
        var keyText = _keyColumns.Count > 0 && !_integerKey ? CanonicalSql.Text(_keyColumns, _utf8, hashLongValuesApart: false) : null;
        var rowHash = CanonicalSql.Hash("s.rt", _utf8);
        // One bucket (mask 0) is a constant: hashing the row text for it would build the text again (the subquery is inlined).
        var bucket = mask == 0 ? "0"
            : _integerKey ? $"s.ik & {mask}"
            : keyText is null ? $"({rowHash}) & {mask}"
            : $"({CanonicalSql.Hash("s.kt", _utf8)}) & {mask}";
        return $"SELECT {bucket} AS b, {rowHash} AS h, s.rt{extraColumns} FROM (SELECT {rowText} AS rt{(keyText is null ? "" : $", {keyText} AS kt")}{(_integerKey ? $", coalesce({CanonicalSql.Quote(_keyColumns[0].Name)}::bigint, 0) AS ik" : "")}{RawKeyColumns()} FROM {_relation.From}{_relation.Where(more)}) s";
    }

    string RawKeyColumns() =>
        string.Concat(_keyColumns.Select((c, i) => $", {CanonicalSql.Raw(c)} AS k{i}"));

    /// <summary>Heaps smaller than this (8 MB) are hashed on one connection.</summary>
    const long PagesToSplit = 1024;

    /// <summary>
    /// The buckets. A large table is split by page ranges over a few connections (each reads only its pages: a TID
    /// range scan), as the copy loads a table over several connections; their buckets add up.
    /// </summary>
    public async Task<Dictionary<int, (long Count, ulong Sum)>> FingerprintAsync(int mask, CancellationToken cancellationToken)
    {
        var parts = _openConnection is not null && _relation.Pages >= PagesToSplit ? Math.Clamp(Environment.ProcessorCount, 1, 4) : 1;
        if (parts == 1)
            return await FingerprintPartAsync(_connection, mask, null, cancellationToken);
        var tasks = Enumerable.Range(0, parts).Select(async part =>
        {
            await using var connection = await _openConnection!(cancellationToken);
            // The parts are the parallelism: with workers, each part's plan scanned the whole table, filtering by ctid.
            await using (var serial = new NpgsqlCommand("SET max_parallel_workers_per_gather = 0", connection))
                await serial.ExecuteNonQueryAsync(cancellationToken);
            return await FingerprintPartAsync(connection, mask, PageRange(part, parts), cancellationToken);
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
        var from = _relation.Pages * part / parts;
        var to = _relation.Pages * (part + 1) / parts;
        var lower = part == 0 ? null : $"ctid >= '({from},0)'::tid";
        var upper = part == parts - 1 ? null : $"ctid < '({to},0)'::tid";
        return string.Join(" AND ", new[] { lower, upper }.OfType<string>());
    }

    async Task<Dictionary<int, (long Count, ulong Sum)>> FingerprintPartAsync(NpgsqlConnection connection, int mask, string? pages, CancellationToken cancellationToken)
    {
        var sql = $"SELECT b, count(*), sum(h)::text FROM ({HashedRows(mask, more: pages)}) f GROUP BY b";
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

    /// <summary>The rows of the drilled buckets, keyed: each row's hash and its key's canonical values.</summary>
    public async Task<List<(long Hash, string?[] Key)>> KeyedRowsInAsync(int[] drilled, int mask, CancellationToken cancellationToken)
    {
        var keys = string.Concat(_keyColumns.Select((_, i) => $", s.k{i}"));
        var sql = $"SELECT h{string.Concat(_keyColumns.Select((_, i) => $", k{i}"))} FROM ({HashedRows(mask, keys)}) f WHERE b = ANY($1)";
        var rows = new List<(long, string?[])>();
        await using var command = Drilling(sql, drilled);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var key = new string?[_keyColumns.Count];
            for (var i = 0; i < key.Length; i++)
                key[i] = reader.IsDBNull(i + 1) ? null : reader.GetString(i + 1);
            rows.Add((reader.GetInt64(0), key));
        }

        return rows;
    }

    /// <summary>The rows of the drilled buckets, without a key: per row hash, how many rows have it and one's text.</summary>
    public async Task<List<(long Hash, long Count, string Text)>> KeylessRowsInAsync(int[] drilled, int mask, CancellationToken cancellationToken)
    {
        var rows = new List<(long, long, string)>();
        await using var command = Drilling($"SELECT h, count(*), min(rt) FROM ({HashedRows(mask)}) f WHERE b = ANY($1) GROUP BY h", drilled);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2)));
        return rows;
    }

    NpgsqlCommand Drilling(string sql, int[] drilled)
    {
        var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 };
        command.Parameters.Add(new() { Value = Array.ConvertAll(drilled, b => (long)b), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
        return command;
    }
}
