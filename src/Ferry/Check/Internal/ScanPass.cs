using System.Globalization;
using Ferry.Check.Spec;
using Ferry.Verify.Internal;

namespace Ferry.Check.Internal;

/// <summary>
/// The expectations a table's one scan decides: <c>rows</c>, <c>fresh</c> and every row check the dialect writes as a
/// predicate, counted together by one aggregate query (unique ones by windows over the same read). Only an expectation
/// that failed has its first rows by key read after. When the server refuses the scan, each expectation is tried alone
/// without reading rows, so the one it refuses is in error and the others still run.
/// </summary>
internal static class ScanPass
{
    public static async Task RunAsync(TableRun run, IReadOnlyList<CheckItem> items, ISourceRowCounts? sourceRows, CancellationToken cancellationToken)
    {
        var scanned = items.Where(i => i.Expectation is RowsExpectation or FreshExpectation || Predicate(run, i) is not null).ToList();
        while (scanned.Count > 0)
        {
            var (sql, first) = Compile(run, scanned, noRows: false);
            List<object?[]> rows;
            try
            {
                rows = await run.Session.RowsAsync(run.Name, CheckQueryPurpose.Scan, sql, cancellationToken);
            }
            catch (CheckQueryException e)
            {
                scanned = await ProbeAsync(run, scanned, e.Message, cancellationToken);
                continue;
            }

            await EvaluateAsync(run, scanned, first, rows[0], sourceRows, cancellationToken);
            return;
        }
    }

    static string? Predicate(TableRun run, CheckItem item) => run.Dialect.RowFails(item.Expectation, item.Columns, item.Window);

    /// <summary>The scan of <paramref name="items"/>, and where each one's figures start in its row.</summary>
    static (string Sql, int[] First) Compile(TableRun run, IReadOnlyList<CheckItem> items, bool noRows)
    {
        var aggregates = new List<string>();
        var first = new int[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            first[i] = aggregates.Count + 1;
            var item = items[i];
            if (item.Expectation is FreshExpectation fresh)
            {
                aggregates.Add(run.Dialect.Stale(item.Columns[0], fresh.Within));
                aggregates.Add(run.Dialect.Newest(item.Columns[0]));
            }
            else if (item.Expectation is not RowsExpectation)
            {
                aggregates.Add(run.Dialect.CountWhere(Predicate(run, item)!));
            }
        }

        return (run.Dialect.Scan(run.Table, Projected(run, items), Windows(run, items), aggregates, noRows), first);
    }

    static IReadOnlyList<TargetColumn> Projected(TableRun run, IEnumerable<CheckItem> items) =>
        [.. run.Table.Key.Concat(items.SelectMany(i => i.Columns)).Distinct()];

    static IReadOnlyList<string> Windows(TableRun run, IEnumerable<CheckItem> items) =>
        [.. items.Where(i => i.Expectation is UniqueExpectation).Select(i => run.Dialect.UniqueWindow(i.Columns, i.Window))];

    /// <summary>The items the server takes, each tried alone (no rows read); the others are in error with its message.</summary>
    static async Task<List<CheckItem>> ProbeAsync(TableRun run, List<CheckItem> items, string scanError, CancellationToken cancellationToken)
    {
        var taken = new List<CheckItem>();
        foreach (var item in items)
        {
            try
            {
                await run.Session.RowsAsync(run.Name, CheckQueryPurpose.Probe, Compile(run, [item], noRows: true).Sql, cancellationToken);
                if (item.Expectation is MatchExpectation { Format: MatchFormat.Regex, Pattern: { } pattern } && run.Dialect.RegexProbe(pattern) is { } probe)
                    await run.Session.RowsAsync(run.Name, CheckQueryPurpose.Probe, probe, cancellationToken);
                taken.Add(item);
            }
            catch (CheckQueryException e)
            {
                run.Error(item, e.Message);
            }
        }

        if (taken.Count < items.Count)
            return taken;
        // Each alone is taken, together not: nothing tells which one to blame.
        foreach (var item in items)
            run.Error(item, scanError);
        return [];
    }

    static async Task EvaluateAsync(TableRun run, List<CheckItem> items, int[] first, object?[] figures, ISourceRowCounts? sourceRows, CancellationToken cancellationToken)
    {
        var total = (long)figures[0]!;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            switch (item.Expectation)
            {
                case RowsExpectation rows:
                    await RowsAsync(run, item, rows, total, sourceRows, cancellationToken);
                    break;
                case FreshExpectation fresh:
                    var stale = (long)figures[first[i]]!;
                    var newest = figures[first[i] + 1] as string;
                    run.Done(item, stale, [], stale == 0 ? null
                        : newest is null ? $"{item.Columns[0].Name} has no value: nothing is newer than {fresh.Written}"
                        : $"the newest {item.Columns[0].Name} is {newest}, older than {fresh.Written}");
                    break;
                default:
                    var failing = (long)figures[first[i]]!;
                    run.Done(item, failing, failing == 0 ? [] : await SamplesAsync(run, item, cancellationToken));
                    break;
            }
        }
    }

    static async Task RowsAsync(TableRun run, CheckItem item, RowsExpectation rows, long total, ISourceRowCounts? sourceRows, CancellationToken cancellationToken)
    {
        var (min, max) = (rows.Min, rows.Max);
        if (rows.FromSource)
        {
            if (sourceRows is null)
            {
                run.Error(item, "rows: source compares with the source's row count, and this check has no source: give one with --compare SOURCE (or check during ferry copy --expect)");
                return;
            }

            long? counted;
            try
            {
                counted = await sourceRows.RowsAsync(run.Spec.Table, cancellationToken);
            }
            catch (CheckQueryException e)
            {
                run.Error(item, $"rows: source: {sourceRows.Description}: {e.Message}");
                return;
            }

            if (counted is null)
            {
                run.Error(item, $"rows: source: {sourceRows.Description} has no table {run.Spec.Table}");
                return;
            }

            (min, max) = (counted.Value, counted.Value);
        }

        var off = total < min ? min.Value - total : total > max ? total - max.Value : 0;
        var expected = min == max ? $"{N(min!.Value)}" : $"{(min is null ? "" : "at least " + N(min.Value))}{(min is not null && max is not null ? " and " : "")}{(max is null ? "" : "at most " + N(max.Value))}";
        run.Done(item, off, [], off == 0 ? $"{N(total)} rows" : $"{N(total)} rows, expected {expected}{(rows.FromSource ? $" (as in {sourceRows!.Description})" : "")}");
    }

    static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    static async Task<IReadOnlyList<CheckSample>> SamplesAsync(TableRun run, CheckItem item, CancellationToken cancellationToken)
    {
        var shown = run.Shown(item);
        var sql = run.Dialect.Sample(run.Table, Projected(run, [item]), Windows(run, [item]), Predicate(run, item)!, shown, run.MaxSamples);
        try
        {
            var rows = await run.Session.RowsAsync(run.Name, CheckQueryPurpose.Sample, sql, cancellationToken);
            return [.. rows.Select(r => run.Sample(r, shown))];
        }
        catch (CheckQueryException e)
        {
            run.Session.Note(run.Name, $"could not read the failing rows of {item.Expectation.Description}: {e.Message}");
            return [];
        }
    }
}
