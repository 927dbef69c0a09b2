using Ferry.Schema;
using Ferry.Sources;
using Ferry.Sources.DuckDb;
using Ferry.Sources.DuckDb.Native;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.DuckDb;

/// <summary>Parquet files written by DuckDB itself (several compressions), globs, unions, refusals, and the shared datasets.</summary>
public sealed class ParquetSourceTests : IDisposable
{
    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    static async Task<(TableModel Table, RecordingSink Sink)> ReadAsync(DuckDbSource source)
    {
        await using (source)
        {
            var model = await source.DiscoverAsync(CancellationToken.None);
            var table = Assert.Single(model.Tables);
            using var reader = source.OpenReader(table, ReadRange.All);
            var sink = RecordingSink.ReadAll(reader, table.Columns.Count);
            Assert.Equal(sink.Rows.Count, reader.RowsRead);
            return (table, sink);
        }
    }

    [Theory]
    [InlineData("zstd")]
    [InlineData("snappy")]
    [InlineData("gzip")]
    [InlineData("uncompressed")]
    public async Task Every_type_Parquet_carries_reads_exactly(string compression)
    {
        var file = _files.PathOf($"everything_{compression}.parquet");
        DuckDbTestFiles.Execute(null, DuckDbTypesTests.CreateEverything,
            $"COPY (SELECT * FROM everything ORDER BY id) TO '{file}' (FORMAT parquet, COMPRESSION {compression})");

        var (table, sink) = await ReadAsync(DuckDbSource.Parquet(file, "fact_everything"));
        Assert.Equal("fact_everything", table.SourceName);
        Assert.Equal(3, table.EstimatedRows);
        Assert.Equal(3, sink.Rows.Count);
        var row = sink.Rows[0];
        object? Value(string column) => row[table.Columns.FindIndex(c => c.SourceName == column)];

        Assert.Equal("numeric(20,0)", table.Column("ubi").Type.ToSql());
        Assert.Equal(18446744073709551615m, Value("ubi"));
        Assert.Equal("numeric:1234567890123456789012345678.0123456789", Value("d"));
        Assert.Equal(-123.4m, Value("d3"));
        Assert.Equal((short)255, Value("uti"));
        Assert.Equal(new DateOnly(2024, 2, 29), Value("dt"));
        Assert.Equal(new DateTime(2024, 1, 1, 22, 4, 5, DateTimeKind.Utc), Value("tstz"));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5).AddTicks(1_234_570), Value("ts_ns"));
        Assert.Single(sink.Repairs);
        Assert.Equal(Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), Value("u"));
        Assert.Equal("héllo wörld ✓ 😀", Value("v"));
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, Value("bl"));
        Assert.Equal(new int?[] { 1, null, 3 }, Value("li"));
        Assert.Equal(new[] { "a", "b\"c", null }, Value("ls"));
        Assert.Equal("""{"a":1,"b":"x\"y","c":{"x":2.5}}""", Value("st"));
        Assert.Equal("""{"k1":1,"k2":null}""", Value("mp"));
        Assert.Equal(Array.Empty<int?>(), sink.Rows[2][table.Columns.FindIndex(c => c.SourceName == "li")]);
        Assert.Same(RecordingSink.Null, sink.Rows[1][table.Columns.FindIndex(c => c.SourceName == "st")]);
        Assert.Empty(sink.Rejects);
    }

    [Fact]
    public async Task A_glob_of_three_files_is_one_table_with_columns_unioned_by_name()
    {
        DuckDbTestFiles.Execute(null,
            $"COPY (SELECT i AS id, 'a' || i AS name FROM range(3) t(i)) TO '{_files.PathOf("part1.parquet")}' (FORMAT parquet)",
            $"COPY (SELECT i AS id, 'b' || i AS name FROM range(3, 5) t(i)) TO '{_files.PathOf("part2.parquet")}' (FORMAT parquet, COMPRESSION snappy)",
            $"COPY (SELECT 'c' AS name, 9::BIGINT AS id, 1.5::DOUBLE AS score) TO '{_files.PathOf("part3.parquet")}' (FORMAT parquet, COMPRESSION gzip)");

        var (table, sink) = await ReadAsync(DuckDbSource.Parquet(_files.PathOf("part*.parquet"), "fact_demand_daily"));
        Assert.Equal(["id", "name", "score"], table.Columns.Select(c => c.SourceName));
        Assert.Equal(6, table.EstimatedRows);
        Assert.Equal(6, sink.Rows.Count);
        Assert.Equal([0L, 1L, 2L, 3L, 4L, 9L], sink.Rows.Select(r => (long)r[0]!).Order());
        var last = sink.Rows.Single(r => (long)r[0]! == 9);
        Assert.Equal(["c", 1.5], last[1..]);
        Assert.All(sink.Rows.Where(r => (long)r[0]! != 9), r => Assert.Same(RecordingSink.Null, r[2]));
    }

    [Fact]
    public async Task Files_that_disagree_on_a_column_type_are_refused_naming_file_and_column()
    {
        DuckDbTestFiles.Execute(null,
            $"COPY (SELECT 1 AS id, 10 AS amount) TO '{_files.PathOf("a.parquet")}' (FORMAT parquet)",
            $"COPY (SELECT 2 AS id, 'ten' AS amount) TO '{_files.PathOf("b.parquet")}' (FORMAT parquet)");

        await using var source = DuckDbSource.Parquet(_files.PathOf("*.parquet"), "t");
        var e = await Assert.ThrowsAsync<FerryException>(() => source.DiscoverAsync(CancellationToken.None));
        Assert.Contains(_files.PathOf("b.parquet"), e.Message, StringComparison.Ordinal);
        Assert.Contains("column amount as VARCHAR", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_corrupt_file_fails_with_a_clear_error_naming_it()
    {
        DuckDbTestFiles.Execute(null, $"COPY (SELECT 1 AS id) TO '{_files.PathOf("good.parquet")}' (FORMAT parquet)");
        var bad = _files.PathOf("zbad.parquet");
        await File.WriteAllBytesAsync(bad, [.. "PAR1 this is not really parquet"u8]);

        await using var source = DuckDbSource.Parquet(_files.PathOf("*.parquet"), "t");
        var e = await Assert.ThrowsAsync<FerryException>(() => source.DiscoverAsync(CancellationToken.None));
        Assert.StartsWith($"Parquet file {bad} cannot be read by DuckDB", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_glob_that_matches_nothing_says_so()
    {
        await using var source = DuckDbSource.Parquet(_files.PathOf("nothing*.parquet"), "t");
        var e = await Assert.ThrowsAsync<FerryException>(() => source.DiscoverAsync(CancellationToken.None));
        Assert.Contains("matches no files", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("alltypes_plain.parquet")]
    [InlineData("alltypes_plain.snappy.parquet")]
    [InlineData("nulls.snappy.parquet")]
    public async Task Shared_datasets_read_with_DuckDBs_own_row_counts(string name)
    {
        var file = Path.Combine(SharedDatasets, name);
        using var db = DuckDbDatabase.Open(null, readOnly: false);
        using var connection = db.Connect();
        var expected = long.Parse(connection.QueryText($"SELECT count(*) FROM read_parquet('{file}')")[0][0]!, System.Globalization.CultureInfo.InvariantCulture);

        var (table, sink) = await ReadAsync(DuckDbSource.Parquet(file, "t"));
        Assert.True(expected > 0);
        Assert.Equal(expected, sink.Rows.Count);
        Assert.Equal(expected, table.EstimatedRows);
        Assert.Empty(sink.Rejects);
        Assert.All(sink.Rows, r => Assert.DoesNotContain(null, r));
    }

    internal static string SharedDatasets
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "shared", "datasets");
                if (Directory.Exists(candidate))
                    return candidate;
                candidate = Path.Combine(dir.FullName, "..", "shared", "datasets");
                if (File.Exists(Path.Combine(candidate, "alltypes_plain.parquet")))
                    return Path.GetFullPath(candidate);
            }

            return "/work/shared/datasets";
        }
    }
}
