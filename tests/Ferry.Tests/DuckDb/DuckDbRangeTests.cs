using Ferry.Sources;
using Ferry.Sources.DuckDb;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.DuckDb;

/// <summary>Ranges for parallel loads: every row read exactly once across them.</summary>
public sealed class DuckDbRangeTests : IDisposable
{
    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    static async Task<List<long>> ReadByRangesAsync(DuckDbSource source, int parts, int expectedRanges)
    {
        await using (source)
        {
            var table = Assert.Single((await source.DiscoverAsync(CancellationToken.None)).Tables);
            var ranges = source.PlanRanges(table, parts);
            Assert.Equal(expectedRanges, ranges.Count);
            var ids = new List<long>();
            foreach (var range in ranges)
            {
                using var reader = source.OpenReader(table, range);
                ids.AddRange(RecordingSink.ReadAll(reader, table.Columns.Count).Rows.Select(r => (long)r[0]!));
            }

            return ids;
        }
    }

    [Fact]
    public async Task Parquet_files_split_by_row_number_cover_every_row_once()
    {
        DuckDbTestFiles.Execute(null,
            $"COPY (SELECT i AS id FROM range(0, 3000) t(i)) TO '{_files.PathOf("p1.parquet")}' (FORMAT parquet, ROW_GROUP_SIZE 1000)",
            $"COPY (SELECT i AS id FROM range(3000, 8000) t(i)) TO '{_files.PathOf("p2.parquet")}' (FORMAT parquet, ROW_GROUP_SIZE 1000)",
            $"COPY (SELECT i AS id FROM range(8000, 8010) t(i)) TO '{_files.PathOf("p3.parquet")}' (FORMAT parquet)");

        var ids = await ReadByRangesAsync(DuckDbSource.Parquet(_files.PathOf("p*.parquet"), "t"), 3, 3);
        Assert.Equal(Enumerable.Range(0, 8010).Select(i => (long)i), ids.Order());
    }

    [Fact]
    public async Task DuckDB_tables_split_by_rowid_cover_every_row_once()
    {
        var path = _files.PathOf("r.duckdb");
        DuckDbTestFiles.Execute(path, "CREATE TABLE r AS SELECT i AS id FROM range(10000) t(i); DELETE FROM r WHERE id % 3 = 0;");

        var ids = await ReadByRangesAsync(DuckDbSource.Database(path), 4, 4);
        Assert.Equal(Enumerable.Range(0, 10000).Where(i => i % 3 != 0).Select(i => (long)i), ids.Order());
    }

    [Fact]
    public async Task CSV_is_read_whole()
    {
        await File.WriteAllTextAsync(_files.PathOf("c.csv"), "id\n1\n2\n3\n");
        var ids = await ReadByRangesAsync(DuckDbSource.Csv(_files.PathOf("c.csv"), "c"), 4, 1);
        Assert.Equal([1L, 2L, 3L], ids);
    }
}
