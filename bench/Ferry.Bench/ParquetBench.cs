using System.Diagnostics;
using System.Globalization;
using Ferry.Connections;
using Ferry.Copy;
using Ferry.Local;
using Ferry.Sources.DuckDb.Native;
using Npgsql;

namespace Ferry.Bench;

/// <summary>
/// Parquet → PostgreSQL: Ferry's copy of a generated <c>fact_demand_daily</c> file against PostgreSQL's own
/// server-side <c>COPY … FROM 'file.csv'</c> of the same rows into the same table shape, and the ratio.
/// </summary>
public static class ParquetBench
{
    const string Generate = """
        SELECT i AS id,
               DATE '2020-01-01' + (i % 1500)::INTEGER AS day,
               (i % 500)::INTEGER AS store_id,
               'SKU-' || lpad(((i * 7919) % 100000)::VARCHAR, 6, '0') AS product,
               ((i * 37) % 100000 / 100.0)::DECIMAL(12,2) AS demand,
               ((i * 0.618033) % 1000)::DOUBLE AS price,
               TIMESTAMP '2024-01-01 00:00:00' + to_microseconds(i * 1000003) AS updated_at
        FROM range({0}) t(i)
        """;

    public static async Task<int> RunAsync(long rows, string? databaseUrl, string directory)
    {
        Directory.CreateDirectory(directory);
        var parquet = Path.GetFullPath(Path.Combine(directory, "fact_demand_daily.parquet"));
        var csv = Path.GetFullPath(Path.Combine(directory, "fact_demand_daily.csv"));
        var clock = Stopwatch.StartNew();
        using (var db = DuckDbDatabase.Open(null, readOnly: false))
        using (var connection = db.Connect())
        {
            var select = string.Format(CultureInfo.InvariantCulture, Generate, rows);
            connection.Execute($"COPY ({select}) TO '{parquet}' (FORMAT parquet, COMPRESSION zstd)");
            connection.Execute($"COPY (SELECT * FROM read_parquet('{parquet}')) TO '{csv}' (FORMAT csv, HEADER false)");
        }

        // The server reads the CSV itself: it must be able to open it.
        File.SetUnixFileMode(csv, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        for (var dir = Path.GetDirectoryName(csv); dir is not null && dir != "/"; dir = Path.GetDirectoryName(dir))
            File.SetUnixFileMode(dir, File.GetUnixFileMode(dir) | UnixFileMode.OtherExecute);
        Console.Error.WriteLine($"generated {rows:N0} rows: {new FileInfo(parquet).Length / 1e6:F1} MB Parquet, {new FileInfo(csv).Length / 1e6:F1} MB CSV in {clock.Elapsed.TotalSeconds:F1} s");

        LocalCluster? cluster = null;
        PostgresTarget target;
        if (databaseUrl is not null)
            target = PostgresTarget.Parse(databaseUrl);
        else
        {
            cluster = new LocalCluster(Path.Combine(directory, "pg"), new LocalClusterOptions { NoSync = true });
            target = await cluster.StartAsync();
        }

        try
        {
            await ExecuteAsync(target, "DROP TABLE IF EXISTS fact_demand_daily, pg_copy CASCADE; DROP SCHEMA IF EXISTS ferry CASCADE");
            clock.Restart();
            var result = await new CopyRunner(new CopyOptions
            {
                Source = "parquet:" + parquet,
                TableName = "fact_demand_daily",
                Target = target,
                RejectsDirectory = Path.Combine(directory, "rejects"),
            }).RunAsync(CancellationToken.None);
            var ferry = clock.Elapsed.TotalSeconds;
            if (result.RowsWritten != rows)
                throw new InvalidOperationException($"Ferry wrote {result.RowsWritten} of {rows} rows.");

            // Autovacuum off, as Ferry has it while it loads: a worker starting on the table mid-COPY is noise, not the floor.
            await ExecuteAsync(target, "CREATE TABLE pg_copy (LIKE fact_demand_daily) WITH (autovacuum_enabled = off)");
            clock.Restart();
            await ExecuteAsync(target, $"COPY pg_copy FROM '{csv}' (FORMAT csv)");
            var server = clock.Elapsed.TotalSeconds;

            Console.WriteLine($"rows {rows}");
            Console.WriteLine($"ferry parquet->postgres {ferry:F2} s ({rows / ferry:N0} rows/s, whole run: plan, DDL, load, keys, ANALYZE)");
            Console.WriteLine($"postgres server-side COPY FROM csv {server:F2} s ({rows / server:N0} rows/s)");
            Console.WriteLine($"ratio {ferry / server:F2}x");
            return 0;
        }
        finally
        {
            if (cluster is not null)
            {
                await cluster.StopAsync(immediate: true);
                cluster.Delete();
            }
        }
    }

    static async Task ExecuteAsync(PostgresTarget target, string sql)
    {
        await using var connection = await target.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }
}
