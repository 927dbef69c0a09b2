using Ferry.Connections;
using Ferry.Copy;
using Ferry.Schema;
using Npgsql;

namespace Ferry.Target;

/// <summary>The copy's last check: per table, rows read = written + rejected + filtered, and written = <c>count(*)</c> in the target.</summary>
internal static class RowAccounting
{
    /// <summary>
    /// A count runs without parallel workers: it runs beside ANALYZE, which takes longer, so workers would only take the
    /// cores ANALYZE needs.
    /// </summary>
    public const string NoParallelWorkers = "SET max_parallel_workers_per_gather = 0";

    public static string Count(PlannedTable table) => $"SELECT count(*) FROM {table.QualifiedName}";

    /// <summary>Counts the tables in parallel, each by its step of <paramref name="counts"/>.</summary>
    public static async Task CheckAsync(NpgsqlDataSource dataSource, Retrier retrier, StepGroup counts, CopyResult result, ParallelOptions jobs)
    {
        var found = new long[result.Tables.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, found.Length), jobs, async (i, ct) =>
        {
            var step = counts.Steps.First(s => s.Table!.DisplayName == result.Tables[i].Target);
            found[i] = await retrier.RunAsync($"counting the rows of {step.Table!.DisplayName}", async (_, ct2) =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct2);
                await TargetSql.ExecuteAsync(connection, step.Statements[0], ct2);
                await using var command = new NpgsqlCommand(step.Statements[1], connection) { CommandTimeout = 0 };
                return (long)(await command.ExecuteScalarAsync(ct2))!; // closing resets the setting (DISCARD ALL)
            }, ct);
        });
        var problems = new List<string>();
        foreach (var (table, count) in result.Tables.Zip(found))
        {
            if (table.RowsRead != table.RowsWritten + table.RowsRejected + table.RowsFiltered)
                problems.Add($"{table.Target}: {table.RowsRead} rows read but {table.RowsWritten} written + {table.RowsRejected} rejected + {table.RowsFiltered} filtered");
            if (count != table.RowsWritten)
                problems.Add($"{table.Target}: {table.RowsWritten} rows written but the table holds {count}");
        }

        if (problems.Count > 0)
            throw new FerryException("Row accounting does not add up: " + string.Join("; ", problems) + ". Do not trust this copy; run it again with --replace.", FailureKind.Failed);
    }
}
