using Ferry.Copy;
using Ferry.Sources;
using Ferry.Sources.DuckDb;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.DuckDb;

/// <summary>
/// Dates and timestamps at the ends of years 1-9999 are real values, not infinity (DateOnly/DateTime MinValue and
/// MaxValue are those dates), through DuckDB files, Parquet, CSV and lists; DuckDB's own infinity stays infinite.
/// </summary>
public sealed class DuckDbTemporalEdgeTests : IDisposable
{
    const string CreateEdges = """
        CREATE TABLE dt (id INTEGER PRIMARY KEY, d DATE, ts TIMESTAMP, tz TIMESTAMPTZ, s TIMESTAMP_S, ms TIMESTAMP_MS);
        INSERT INTO dt VALUES
            (1, '0001-01-01', '0001-01-01 00:00:00', '0001-01-01 00:00:00+00', '0001-01-01 00:00:00', '0001-01-01 00:00:00'),
            (2, '9999-12-31', '9999-12-31 23:59:59.999999', '9999-12-31 23:59:59+00', '9999-12-31 23:59:59', '9999-12-31 23:59:59.999');
        """;

    static readonly string[][] Expected =
    [
        ["1", "0001-01-01", "0001-01-01 00:00:00", "0001-01-01 00:00:00", "0001-01-01 00:00:00", "0001-01-01 00:00:00"],
        ["2", "9999-12-31", "9999-12-31 23:59:59.999999", "9999-12-31 23:59:59", "9999-12-31 23:59:59", "9999-12-31 23:59:59.999"],
    ];

    const string SelectTexts = "SELECT id::text, d::text, ts::text, (tz AT TIME ZONE 'UTC')::text, s::text, ms::text FROM dt ORDER BY id";

    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>Copies, checks the texts PostgreSQL holds, verifies identical, then verifies a row set to -infinity by hand as changed.</summary>
    async Task CopyAndVerifyAsync(string sourceText, string? table, Func<ISource> open)
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        var result = await new CopyRunner(new CopyOptions
        {
            Source = sourceText,
            TableName = table,
            Target = db.Target,
            RejectsDirectory = _files.PathOf("rejects"),
        }).RunAsync(CancellationToken.None);
        Assert.True(result.Ok, string.Join("; ", result.Failures));
        Assert.Equal((2L, 2L, 0L), (result.RowsRead, result.RowsWritten, result.RowsRejected));
        Assert.Equal(Expected, (await db.RowsAsync(SelectTexts)).Select(r => r.Select(v => (string)v!).ToArray()).ToArray());

        // Verify's source side must not render 0001-01-01 as -infinity either.
        await DuckDbTestFiles.VerifyIdenticalThenChangedAsync(db, open, "UPDATE dt SET d = '-infinity' WHERE id = 1");
    }

    [Fact]
    public Task A_DuckDB_file_keeps_year_1_and_9999_exactly()
    {
        var path = _files.PathOf("dt.duckdb");
        DuckDbTestFiles.Execute(path, CreateEdges);
        return CopyAndVerifyAsync("duckdb:" + path, null, () => DuckDbSource.Database(path));
    }

    [Fact]
    public Task A_Parquet_file_keeps_year_1_and_9999_exactly()
    {
        var path = _files.PathOf("dt.parquet");
        DuckDbTestFiles.Execute(null, CreateEdges, $"COPY dt TO '{path}' (FORMAT parquet)");
        return CopyAndVerifyAsync("parquet:" + path, "dt", () => DuckDbSource.Parquet(path, "dt"));
    }

    [Fact]
    public async Task A_CSV_file_keeps_year_1_and_9999_exactly()
    {
        var path = _files.PathOf("dt.csv");
        await File.WriteAllTextAsync(path, """
            id,d,ts,tz,s,ms
            1,0001-01-01,0001-01-01 00:00:00,0001-01-01 00:00:00+00,0001-01-01 00:00:00,0001-01-01 00:00:00
            2,9999-12-31,9999-12-31 23:59:59.999999,9999-12-31 23:59:59+00,9999-12-31 23:59:59,9999-12-31 23:59:59.999

            """);
        await CopyAndVerifyAsync("csv:" + path, "dt", () => DuckDbSource.Csv(path, "dt"));
    }

    [Fact]
    public async Task Lists_keep_year_1_and_9999_exactly_and_infinity_stays_infinite()
    {
        var path = _files.PathOf("lists.duckdb");
        DuckDbTestFiles.Execute(path, """
            CREATE TABLE l (id INTEGER PRIMARY KEY, d DATE, ts TIMESTAMP, ds DATE[], tss TIMESTAMP[], tzs TIMESTAMPTZ[]);
            INSERT INTO l VALUES
                (1, 'infinity', '-infinity', ['0001-01-01', '9999-12-31', NULL, 'infinity', '-infinity'],
                    ['0001-01-01 00:00:00', '9999-12-31 23:59:59.999999', 'infinity', '-infinity'], ['0001-01-01 00:00:00+00', 'infinity']),
                (2, '-infinity', 'infinity', [], NULL, NULL);
            """);
        await using var db = await TestCluster.CreateDatabaseAsync();
        var result = await new CopyRunner(new CopyOptions { Source = "duckdb:" + path, Target = db.Target, RejectsDirectory = _files.PathOf("rejects") })
            .RunAsync(CancellationToken.None);
        Assert.Equal((2L, 2L, 0L), (result.RowsRead, result.RowsWritten, result.RowsRejected));

        await db.ExecuteAsync($"ALTER DATABASE \"{db.Name}\" SET TimeZone = 'UTC'");
        var rows = await db.RowsAsync("SELECT d::text, ts::text, ds::text, tss::text, tzs::text FROM l ORDER BY id");
        Assert.Equal(
            ["infinity", "-infinity", "{0001-01-01,9999-12-31,NULL,infinity,-infinity}",
             "{\"0001-01-01 00:00:00\",\"9999-12-31 23:59:59.999999\",infinity,-infinity}", "{\"0001-01-01 00:00:00+00\",infinity}"],
            rows[0]);
        Assert.Equal(["-infinity", "infinity", "{}", null, null], rows[1]);

        await DuckDbTestFiles.VerifyIdenticalThenChangedAsync(db, () => DuckDbSource.Database(path), "UPDATE l SET ds[1] = '-infinity' WHERE id = 1");
    }
}
