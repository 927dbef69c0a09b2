using Ferry.Connections;
using Npgsql;

namespace Ferry.Copy.Internal;

/// <summary>The copy's last check: per table, rows read = written + rejected, and written = <c>count(*)</c> in the target.</summary>
internal static class RowAccounting
{
    /// <summary>
    /// Counts the tables in parallel. A count runs without parallel workers: it runs beside ANALYZE, which takes
    /// longer, so workers would only take the cores ANALYZE needs.
    /// </summary>
    public static async Task CheckAsync(NpgsqlDataSource dataSource, Retrier retrier, CopyResult result, ParallelOptions jobs)
    {
        var counts = new long[result.Tables.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, counts.Length), jobs, async (i, ct) =>
        {
            var planned = result.Plan.Tables.First(t => t.DisplayName == result.Tables[i].Target);
            counts[i] = await retrier.RunAsync($"counting the rows of {planned.DisplayName}", async (_, ct2) =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct2);
                await TargetSql.ExecuteAsync(connection, "SET max_parallel_workers_per_gather = 0", ct2);
                await using var command = new NpgsqlCommand($"SELECT count(*) FROM {planned.QualifiedName}", connection) { CommandTimeout = 0 };
                return (long)(await command.ExecuteScalarAsync(ct2))!; // closing resets the setting (DISCARD ALL)
            }, ct);
        });
        var problems = new List<string>();
        foreach (var (table, count) in result.Tables.Zip(counts))
        {
            if (table.RowsRead != table.RowsWritten + table.RowsRejected)
                problems.Add($"{table.Target}: {table.RowsRead} rows read but {table.RowsWritten} written + {table.RowsRejected} rejected");
            if (count != table.RowsWritten)
                problems.Add($"{table.Target}: {table.RowsWritten} rows written but the table holds {count}");
        }

        if (problems.Count > 0)
            throw new FerryException("Row accounting does not add up: " + string.Join("; ", problems) + ". Do not trust this copy; run it again with --replace.", FailureKind.Failed);
    }
}
