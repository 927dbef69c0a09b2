using System.Globalization;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.DuckDb;

/// <summary><c>ferry copy</c> and <c>ferry verify</c> of CSV (and Parquet) files DuckDB's sniffer or reader finds hard, as a user types them.</summary>
public sealed class CsvCliTests : IDisposable
{
    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    Task<CliResult> RunAsync(params string[] args) => CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, args);

    static async Task<long> TablesAsync(TestDatabase db) =>
        await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('t', 'copy_state')");

    [Fact]
    public async Task A_bank_export_with_a_preamble_loads_with_the_columns_the_plan_found_and_verifies()
    {
        // Sniffed again with store_rejects, DuckDB took this file for one column ("Bank export"): the load read another layout than the plan.
        await File.WriteAllTextAsync(_files.PathOf("bank.csv"), "Bank export\nAccount;DE12 3456\n\nDate;Text;Amount;Balance\n" +
            "2024-01-01;Coffee, large;-3,50;100,00\n2024-01-02;Rent;-500,00;-400,00\n2024-01-03;Salary;2500,00;2100,00\n");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var copy = await RunAsync("copy", "csv:bank.csv", "--table", "t", "--to", db.Url, "--rejects", _files.PathOf("rejects"), "--json");
        Assert.True(copy.ExitCode == 0, copy.ToString());
        var table = copy.Json().GetProperty("tables")[0];
        Assert.Equal((3, 3), (table.GetProperty("rows_read").GetInt64(), table.GetProperty("rows_written").GetInt64()));
        Assert.Equal([new DateOnly(2024, 1, 2), "Rent", "-500,00", "-400,00"], (await db.RowsAsync("SELECT * FROM t WHERE text = 'Rent'")).Single());
        var verify = await RunAsync("verify", "csv:bank.csv", "--table", "t", "--to", db.Url);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact]
    public async Task A_line_with_two_errors_is_one_reject_with_both_and_rows_read_is_the_files_rows()
    {
        // 40,000 data lines; line 35,001, past the rows the sniffer samples, has two values its BIGINT columns cannot hold (DuckDB lists two errors).
        await File.WriteAllTextAsync(_files.PathOf("two.csv"), "a,b,c\n" + string.Concat(Enumerable.Range(1, 40_000).Select(i =>
            i == 35_000 ? "x,y,35000\n" : string.Create(CultureInfo.InvariantCulture, $"{i},{i * 2},{i}\n"))));
        await using var db = await TestCluster.CreateDatabaseAsync();

        var copy = await RunAsync("copy", "csv:two.csv", "--table", "t", "--to", db.Url, "--rejects", _files.PathOf("rejects"), "--json");
        Assert.True(copy.ExitCode == 1, copy.ToString());
        var table = copy.Json().GetProperty("tables")[0];
        Assert.Equal((40_000, 39_999, 1), (table.GetProperty("rows_read").GetInt64(), table.GetProperty("rows_written").GetInt64(), table.GetProperty("rows_rejected").GetInt64()));
        var reject = System.Text.Json.JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(_files.PathOf("rejects/t.jsonl")))).RootElement;
        Assert.Null(reject.GetProperty("column").GetString());
        Assert.Equal("x,y,35000", reject.GetProperty("value").GetString());
        Assert.Equal("line 35001: could not convert \"x\" to BIGINT; could not convert \"y\" to BIGINT (the line: x,y,35000); " +
            "--cast t.a=text loads the column as text; --cast t.b=text loads the column as text", reject.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_parquet_file_whose_footer_reads_but_data_does_not_stops_the_copy_before_anything_is_created()
    {
        var good = _files.PathOf("a.parquet");
        var bad = _files.PathOf("b.parquet");
        DuckDbTestFiles.Execute(null, $"COPY (SELECT 1::BIGINT AS id, 'x' AS v) TO '{good}' (FORMAT parquet)",
            $"COPY (SELECT i AS id, 'value ' || i AS v FROM range(100000) t(i)) TO '{bad}' (FORMAT parquet)");
        // The first page header, right after the magic bytes, is garbage; the footer (the schema) still reads.
        await using (var file = File.OpenWrite(bad))
        {
            file.Position = 4;
            file.Write(Enumerable.Repeat((byte)0xff, 56).ToArray());
        }

        await using var db = await TestCluster.CreateDatabaseAsync();

        var copy = await RunAsync("copy", "parquet:*.parquet", "--table", "t", "--to", db.Url, "--rejects", _files.PathOf("rejects"));
        Assert.True(copy.ExitCode == 2, copy.ToString());
        var line = Assert.Single(copy.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains($"Parquet file {bad} cannot be read by DuckDB", line, StringComparison.Ordinal);
        Assert.Equal(0L, await TablesAsync(db));
    }

    [Fact]
    public async Task A_csv_with_mixed_line_ends_is_refused_in_one_line_naming_them_and_loads_with_csv_strict_false()
    {
        await File.WriteAllTextAsync(_files.PathOf("mixed.csv"), "id,name\r\n1,a\n2,b\r\n3,c\n");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var refused = await RunAsync("copy", "csv:mixed.csv", "--table", "t", "--to", db.Url, "--rejects", _files.PathOf("rejects"));
        Assert.True(refused.ExitCode == 2, refused.ToString());
        var line = Assert.Single(refused.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("mixes line ends (line 1 ends in CRLF, line 2 in LF)", line, StringComparison.Ordinal);
        Assert.Contains("--csv-strict false", line, StringComparison.Ordinal);
        Assert.DoesNotContain("ignore_errors", line, StringComparison.Ordinal);
        Assert.Equal(0L, await TablesAsync(db));

        var copy = await RunAsync("copy", "csv:mixed.csv", "--table", "t", "--csv-strict", "false", "--to", db.Url, "--rejects", _files.PathOf("rejects"));
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal([[1L, "a"], [2L, "b"], [3L, "c"]], await db.RowsAsync("SELECT id, name FROM t ORDER BY id"));
        var verify = await RunAsync("verify", "csv:mixed.csv", "--table", "t", "--csv-strict", "false", "--to", db.Url);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact]
    public async Task An_empty_csv_creates_no_table_and_says_there_is_nothing_to_copy_as_for_an_empty_sqlite_file()
    {
        await File.WriteAllTextAsync(_files.PathOf("empty.csv"), "");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var copy = await RunAsync("copy", "csv:empty.csv", "--table", "t", "--to", db.Url, "--rejects", _files.PathOf("rejects"));
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Contains("empty.csv has no header and no rows", copy.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing to copy", copy.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 't'"));
    }

    [Fact]
    public async Task A_header_only_csv_creates_its_table_with_its_columns_and_no_rows_and_an_empty_file_beside_it_is_left_out()
    {
        await File.WriteAllTextAsync(_files.PathOf("a.csv"), "id,name,amount\n");
        await File.WriteAllTextAsync(_files.PathOf("b.csv"), "");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var copy = await RunAsync("copy", "csv:*.csv", "--table", "t", "--to", db.Url, "--rejects", _files.PathOf("rejects"), "--json");
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Contains("b.csv has no header and no rows: left out", copy.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, copy.Json().GetProperty("tables")[0].GetProperty("rows_read").GetInt64());
        Assert.Equal(["id", "name", "amount"], (await db.RowsAsync(
            "SELECT attname::text FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0 ORDER BY attnum")).Select(r => (string)r[0]!));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM t"));
    }
}
