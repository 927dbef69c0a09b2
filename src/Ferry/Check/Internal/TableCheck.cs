using Ferry.Check.Spec;
using Ferry.Verify.Internal;

namespace Ferry.Check.Internal;

/// <summary>
/// One table's expectations, run in passes: the table and its columns found in the catalog (a missing one puts only
/// the expectations that need it in error), then the one scan, the phone pass, and the queries of their own.
/// </summary>
internal static class TableCheck
{
    public static async Task<IEnumerable<ExpectationResult>> RunAsync(CheckSession session, TableExpectations spec, CheckOptions options, CancellationToken cancellationToken)
    {
        CheckedTable? table;
        string? problem = null;
        try
        {
            table = await session.Database.FindTableAsync(spec.Table, cancellationToken);
        }
        catch (CheckQueryException e)
        {
            (table, problem) = (null, e.Message);
        }

        if (table is null)
        {
            problem ??= $"the table {spec.Table} does not exist";
            return spec.Expectations.Select(e => ExpectationResult.Error(spec.Table.Qualified, spec.Stage, e, problem));
        }

        var run = new TableRun(session, spec, table, options.MaxSamples);
        var items = new List<CheckItem>();
        for (var i = 0; i < spec.Expectations.Count; i++)
        {
            var expectation = spec.Expectations[i];
            var columns = new List<TargetColumn>();
            foreach (var name in expectation.Columns)
            {
                if (table.Column(name) is { } column)
                    columns.Add(column);
            }

            var item = new CheckItem(i, expectation, columns);
            if (expectation.Columns.FirstOrDefault(c => table.Column(c) is null) is { } missing)
                run.Error(item, table.Missing(missing));
            else
                items.Add(item);
        }

        await ScanPass.RunAsync(run, items, options.SourceRows, cancellationToken);
        await PhonePass.RunAsync(run, items, cancellationToken);
        await SeparateQueries.RunAsync(run, items.Where(i => !run.IsDone(i)).ToList(), cancellationToken);
        return run.Results;
    }
}
