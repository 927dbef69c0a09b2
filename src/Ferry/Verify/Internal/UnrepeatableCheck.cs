using System.Collections.Concurrent;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Transforms;
using Ferry.Transforms.Folding;
using Npgsql;

namespace Ferry.Verify.Internal;

/// <summary>
/// The columns whose values came through a step that is not repeatable (a salted hash: the same password gives another
/// hash each time): their hash compares only whether a value is there. This checks, row by row matched by key, that each
/// target value is one the step could make of the source's (<see cref="ColumnStep.Matches"/>, in parallel over the
/// cores), for every row or the first <see cref="VerifyOptions.Sample"/>. A mismatch is a difference of kind
/// <see cref="DifferenceKind.Unmatched"/> naming the column.
/// </summary>
internal sealed class UnrepeatableCheck(
    ISource source, PlannedTable table, HashedRelation target, List<PgType> types, List<TargetColumn> columns, List<int> keyIndexes, bool utf8, VerifyOptions options)
{
    public async Task RunAsync(NpgsqlConnection connection, TableVerification result, CancellationToken cancellationToken)
    {
        var checkedColumns = Enumerable.Range(0, columns.Count).Where(i => columns[i].PresenceOnly).ToArray();
        if (checkedColumns.Length == 0)
            return;
        var names = string.Join(", ", checkedColumns.Select(i => columns[i].Name));
        if (keyIndexes.Count == 0)
        {
            result.Problems.Add($"{names}: values made by a step that is not repeatable are checked row by row, by key, and the table has none");
            return;
        }

        var sourceRows = await Task.Run(() => ReadSource(checkedColumns, cancellationToken), cancellationToken);
        options.Progress?.Report($"{table.Source.SourceName}: checking {sourceRows.Count:N0} rows of {names} against their source values");
        var keyColumns = keyIndexes.Select(i => columns[i]).ToList();
        var pairs = new List<(string?[] Key, int Column, string Source, string Target)>();
        await using (var command = new NpgsqlCommand(
            $"SELECT {CanonicalSql.Text(keyColumns, utf8, hashLongValuesApart: false)}, {string.Join(", ", keyColumns.Select(CanonicalSql.Raw))}, " +
            $"{string.Join(", ", checkedColumns.Select(i => CanonicalSql.Quote(columns[i].Name)))} FROM {target.From}{target.Where()}",
            connection) { CommandTimeout = 0 })
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                if (!sourceRows.TryGetValue(reader.GetString(0), out var values))
                    continue;
                var key = Enumerable.Range(0, keyColumns.Count).Select(k => reader.IsDBNull(1 + k) ? null : reader.GetString(1 + k)).ToArray();
                for (var c = 0; c < checkedColumns.Length; c++)
                {
                    var column = 1 + keyColumns.Count + c;
                    // NULL against a value is a difference the row hashes already found.
                    if (values[c] is { } sourceValue && !reader.IsDBNull(column))
                        pairs.Add((key, c, sourceValue, reader.GetString(column)));
                }
            }
        }

        var steps = checkedColumns.Select(i => table.Written[i].Steps.First(s => !s.Deterministic)).ToArray();
        var unmatched = new ConcurrentBag<(string?[] Key, int Column)>();
        Parallel.ForEach(pairs, new ParallelOptions { CancellationToken = cancellationToken, MaxDegreeOfParallelism = Environment.ProcessorCount }, pair =>
        {
            if (!steps[pair.Column].Matches(pair.Source, pair.Target))
                unmatched.Add((pair.Key, pair.Column));
        });
        if (unmatched.IsEmpty)
            return;
        var ordered = unmatched.OrderBy(u => u.Key, Comparer<string?[]>.Create((a, b) => KeyValues.Compare(keyColumns, a, b))).ToList();
        result.DifferencesTotal += ordered.Count;
        foreach (var (key, column) in ordered.Take(Math.Max(0, options.MaxDifferences - result.Differences.Count)))
            result.Differences.Add(new RowDifference(KeyValues.ToDictionary(keyColumns, key), DifferenceKind.Unmatched, $"{columns[checkedColumns[column]].Name}: not {steps[column].Description} of the source value"));
        result.Truncated |= result.Differences.Count < result.DifferencesTotal;
    }

    /// <summary>The source's rows (the first <see cref="VerifyOptions.Sample"/>): key text → the checked columns' values as the step would have taken them.</summary>
    Dictionary<string, string?[]> ReadSource(int[] checkedColumns, CancellationToken cancellationToken)
    {
        // The steps name a column by its place among those read; the checked ones are among those written.
        var slot = new int[table.Copied.Count];
        Array.Fill(slot, -1);
        for (var c = 0; c < checkedColumns.Length; c++)
            slot[table.Copied.ToList().IndexOf(table.Written[checkedColumns[c]])] = c;
        var rows = new Dictionary<string, string?[]>(StringComparer.Ordinal);
        var hasher = new RowHasher(types, keyIndexes, integerKey: false, utf8);
        var values = new string?[checkedColumns.Length];
        var folds = JsonFoldSink.Over(hasher, table);
        var sink = ColumnStepSink.ForVerify((Copy.IRowSink?)folds ?? hasher, table, (column, value) =>
        {
            if (slot[column] >= 0)
                values[slot[column]] = value;
        });
        using var reader = source.OpenReader(table, ReadRange.All);
        while ((options.Sample is not { } sample || rows.Count < sample) && reader.ReadRow(sink))
        {
            if ((rows.Count & 0xFFF) == 0)
                cancellationToken.ThrowIfCancellationRequested();
            folds?.EndRow();
            if (!hasher.Rejected)
                rows[hasher.KeyText()] = values;
            values = new string?[checkedColumns.Length];
            hasher.Reset();
        }

        return rows;
    }
}
