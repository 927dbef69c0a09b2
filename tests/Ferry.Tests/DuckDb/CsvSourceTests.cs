using Ferry.Sources;
using Ferry.Sources.DuckDb;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.DuckDb;

/// <summary>CSV files through DuckDB's sniffer, with header, delimiter, quote and null string overridden.</summary>
public sealed class CsvSourceTests : IDisposable
{
    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    static async Task<(Ferry.Schema.TableModel Table, RecordingSink Sink)> ReadAsync(DuckDbSource source)
    {
        await using (source)
        {
            var table = Assert.Single((await source.DiscoverAsync(CancellationToken.None)).Tables);
            using var reader = source.OpenReader(table, ReadRange.All);
            return (table, RecordingSink.ReadAll(reader, table.Columns.Count));
        }
    }

    [Fact]
    public async Task The_sniffer_types_columns_and_reads_unicode_and_nulls()
    {
        await File.WriteAllTextAsync(_files.PathOf("people.csv"), """"
            id,name,born,height,active
            1,Zoë Ångström,1990-05-01,1.75,true
            2,"Smith, ""Jr""",,1.8,false
            3,李小龍,1940-11-27,,true

            """");

        var (table, sink) = await ReadAsync(DuckDbSource.Csv(_files.PathOf("people.csv"), "people"));
        Assert.Equal(["bigint", "text", "date", "double precision", "boolean"], table.Columns.Select(c => c.Type.ToSql()));
        Assert.Equal([1L, "Zoë Ångström", new DateOnly(1990, 5, 1), 1.75, true], sink.Rows[0]);
        Assert.Equal([2L, "Smith, \"Jr\"", RecordingSink.Null, 1.8, false], sink.Rows[1]);
        Assert.Equal([3L, "李小龍", new DateOnly(1940, 11, 27), RecordingSink.Null, true], sink.Rows[2]);
    }

    [Fact]
    public async Task Header_delimiter_quote_and_null_string_can_be_set()
    {
        await File.WriteAllTextAsync(_files.PathOf("a.txt"), "1;'x;y';NA\n2;NA;7\n");
        await File.WriteAllTextAsync(_files.PathOf("b.txt"), "3;'z';8\n");
        var options = new CsvOptions { Header = false, Delimiter = ";", Quote = "'", NullString = "NA" };

        var (table, sink) = await ReadAsync(DuckDbSource.Csv(_files.PathOf("*.txt"), "t", options));
        Assert.Equal(["column0", "column1", "column2"], table.Columns.Select(c => c.SourceName));
        Assert.Equal(3, sink.Rows.Count);
        Assert.Equal([1L, "x;y", RecordingSink.Null], sink.Rows[0]);
        Assert.Equal([2L, RecordingSink.Null, 7L], sink.Rows[1]);
        Assert.Equal([3L, "z", 8L], sink.Rows[2]);
    }

    [Fact]
    public async Task Files_of_a_glob_are_read_each_with_its_dialect_and_one_type_per_column_keeping_what_they_hold()
    {
        // 'code' is BIGINT in the first file and VARCHAR in the second: both are read as VARCHAR, so 007 stays 007.
        await File.WriteAllTextAsync(_files.PathOf("part1.csv"), "id,name,code\n1,a,007\n2,b,010\n");
        await File.WriteAllTextAsync(_files.PathOf("part2.csv"), "name;id;code;extra\nc;3;x9;true\nd;4;y8;false\n");

        var (table, sink) = await ReadAsync(DuckDbSource.Csv(_files.PathOf("part*.csv"), "t"));
        Assert.Equal(["id", "name", "code", "extra"], table.Columns.Select(c => c.SourceName));
        Assert.Equal(["bigint", "text", "text", "boolean"], table.Columns.Select(c => c.Type.ToSql()));
        Assert.Equal([[1L, "a", "007", RecordingSink.Null], [2L, "b", "010", RecordingSink.Null], [3L, "c", "x9", true], [4L, "d", "y8", false]],
            sink.Rows.OrderBy(r => (long)r[0]!).ToList());
    }
}
