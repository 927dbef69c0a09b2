using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.DuckDb;

/// <summary><c>ferry copy</c> with duckdb:, parquet: and csv: sources, as a user types it.</summary>
public sealed class DuckDbCliTests : IDisposable
{
    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Copy_csv_with_overrides_reports_json_and_lands_the_rows()
    {
        await File.WriteAllTextAsync(_files.PathOf("visits.csv"), "7|'a|b'|NA\n8|NA|2024-05-01\n");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, "copy", "csv:visits.csv", "--table", "visits",
            "--csv-header", "false", "--csv-delimiter", "|", "--csv-quote", "'", "--csv-null", "NA",
            "--database", db.Url, "--rejects", _files.PathOf("rejects"), "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var table = result.Json().GetProperty("tables")[0];
        Assert.Equal(2, table.GetProperty("rows_written").GetInt64());
        var rows = await db.RowsAsync("SELECT column0, column1, column2::text FROM visits ORDER BY column0");
        Assert.Equal([7L, "a|b", null], rows[0]);
        Assert.Equal([8L, null, "2024-05-01"], rows[1]);

        // verify reads the files with the same overrides; without them the sniffer reads other values.
        string[] verify = ["verify", "csv:visits.csv", "--table", "visits", "--database", db.Url];
        var same = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory,
            [.. verify, "--csv-header", "false", "--csv-delimiter", "|", "--csv-quote", "'", "--csv-null", "NA"]);
        Assert.True(same.ExitCode == 0, same.ToString());
        var sniffed = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, verify);
        Assert.True(sniffed.ExitCode == 1, sniffed.ToString());
    }

    [Fact]
    public async Task Csv_numbers_a_double_cannot_give_back_as_written_land_as_numeric_exactly_and_verify()
    {
        // 'id' beyond BIGINT, 'ratio' with a 17th digit no double prints: DuckDB sniffs both DOUBLE, and a double
        // would round them. 'printed' holds doubles written with 17 digits (%.17g): it stays double precision.
        await File.WriteAllTextAsync(_files.PathOf("big.csv"),
            "id,ratio,printed,tiny\n" +
            "123456789012345678901,0.30000000000000001,0.10000000000000001,1.5e-30\n" +
            "-99999999999999999999999,1.5,0.29999999999999999,2\n" +
            "9007199254740993,1.5e-30,1e300,\n");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var dryRun = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, "copy", "csv:big.csv", "--table", "big", "--dry-run");
        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Contains("CSV numbers with more digits than a double keeps → numeric", dryRun.Stdout, StringComparison.Ordinal);

        var copy = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, "copy", "csv:big.csv", "--table", "big",
            "--database", db.Url, "--rejects", _files.PathOf("rejects"), "--verify");
        Assert.True(copy.ExitCode == 0, copy.ToString());
        var types = await db.RowsAsync("SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'big'::regclass AND attnum > 0 ORDER BY attnum");
        // 'tiny' holds numbers a double gives back: it stays double precision.
        Assert.Equal(["numeric", "numeric", "double precision", "double precision"], types.Select(t => (string)t[1]!).ToList());
        var rows = await db.RowsAsync("SELECT id::text, ratio::text, printed, tiny FROM big ORDER BY big.id");
        Assert.Equal(["-99999999999999999999999", "1.5", 0.3, 2.0], rows[0]);
        Assert.Equal(["9007199254740993", "0.0000000000000000000000000000015", 1e300, null], rows[1]);
        Assert.Equal(["123456789012345678901", "0.30000000000000001", 0.1, 1.5e-30], rows[2]);

        string[] verify = ["verify", "csv:big.csv", "--table", "big", "--database", db.Url, "--json"];
        var same = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, verify);
        Assert.True(same.ExitCode == 0, same.ToString());
        await db.ExecuteAsync("UPDATE big SET id = id + 1 WHERE ratio = 1.5");
        var changed = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, verify);
        Assert.Equal(1, changed.ExitCode);
        Assert.Equal(2, changed.Json().GetProperty("tables")[0].GetProperty("differences_total").GetInt64());
    }

    [Fact]
    public async Task Copy_duckdb_dry_run_shows_the_mapping_rules()
    {
        var path = _files.PathOf("wh.duckdb");
        DuckDbTestFiles.Execute(path, "CREATE TABLE fact (id UBIGINT PRIMARY KEY, amount DECIMAL(38,10), tags VARCHAR[], meta STRUCT(a INTEGER))");

        var result = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, "copy", "duckdb:wh.duckdb", "--dry-run");
        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var text in new[] { "UBIGINT → numeric(20,0)", "DECIMAL(p,s) → numeric(p,s)", "numeric(38,10)", "text[]", "jsonb" })
            Assert.Contains(text, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_cast_the_readers_cannot_produce_is_refused_before_anything_is_written_and_by_dry_run()
    {
        DuckDbTestFiles.Execute(_files.PathOf("c.duckdb"), "CREATE TABLE c (id INTEGER PRIMARY KEY, n DOUBLE, ts TIMESTAMP, i INTEGER); INSERT INTO c VALUES (1, 1.5, '2024-01-02 03:04:05', 7)");
        DuckDbTestFiles.Execute(null, $"COPY (SELECT 1.5::DOUBLE AS n) TO '{_files.PathOf("c.parquet")}' (FORMAT parquet)");
        await using var db = await TestCluster.CreateDatabaseAsync();

        foreach (var (source, casts) in new[]
        {
            ("duckdb:c.duckdb", new[] { "--cast", "c.n=integer", "--cast", "c.ts=date", "--cast", "c.i=uuid" }),
            ("parquet:c.parquet", new[] { "--table", "c", "--cast", "c.n=integer" }),
        })
        {
            foreach (var dryRun in new[] { true, false })
            {
                string[] args = ["copy", source, .. casts, "--to", db.Url, "--rejects", _files.PathOf("rejects"), .. dryRun ? new[] { "--dry-run" } : []];
                var result = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, args);

                Assert.True(result.ExitCode == 2, result.ToString());
                Assert.Contains("c.n: DuckDB type DOUBLE cannot be written as integer", result.Stderr, StringComparison.Ordinal);
                Assert.Contains("Nothing was written", result.Stderr, StringComparison.Ordinal);
                if (source.StartsWith("duckdb", StringComparison.Ordinal))
                {
                    Assert.Contains("cannot be written as date", result.Stderr, StringComparison.Ordinal);
                    Assert.Contains("cannot be written as uuid", result.Stderr, StringComparison.Ordinal);
                }

                Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('c', 'copy_state')"));
            }
        }
    }

    [Fact]
    public async Task A_corrupt_parquet_file_is_a_one_line_error_naming_it()
    {
        await File.WriteAllTextAsync(_files.PathOf("broken.parquet"), "garbage");
        var result = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, "copy", "parquet:" + _files.PathOf("*.parquet"), "--table", "t",
            "--to", "postgres://nobody@127.0.0.1:1/none");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("broken.parquet cannot be read by DuckDB", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("90000,abc,2024-02-29,90000.25", "n", "could not convert \"abc\" to BIGINT (the line: 90000,abc,2024-02-29,90000.25); --cast late.n=text loads the column as text")]
    [InlineData("90000,630000,2024-02-29,90000.25,extra", null, "too many fields: 5, where the file has 4 columns (the line: 90000,630000,2024-02-29,90000.25,extra)")]
    public async Task A_late_csv_line_duckdb_cannot_read_in_a_glob_of_files_is_rejected_naming_the_file_and_line_and_the_rest_loads(string badLine, string? column, string problem)
    {
        // Each file is read with the dialect discovery found and store_rejects, in a glob as for one file.
        DuckDbTestFiles.WriteLateBadCsv(_files.PathOf("late.csv"), 100_000, 90_000, badLine);
        await File.WriteAllTextAsync(_files.PathOf("late0.csv"), "id,n,d,f\n0,0,2000-01-01,0.25\n");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, "copy", "csv:late*.csv", "--table", "late",
            "--to", db.Url, "--rejects", _files.PathOf("rejects"), "--json");
        Assert.True(result.ExitCode == 1, result.ToString());
        var table = result.Json().GetProperty("tables")[0];
        Assert.Equal((100_001, 100_000, 1), (table.GetProperty("rows_read").GetInt64(), table.GetProperty("rows_written").GetInt64(), table.GetProperty("rows_rejected").GetInt64()));
        var reject = System.Text.Json.JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(_files.PathOf("rejects/late.jsonl")))).RootElement;
        Assert.Equal(column, reject.GetProperty("column").GetString());
        Assert.Equal($"line 90001 of {_files.PathOf("late.csv")}: {problem}", reject.GetProperty("reason").GetString());
        foreach (var dump in new[] { "Attempting to execute", "Original Line", "Possible", "Auto-Detected", "sample_size" })
            Assert.DoesNotContain(dump, result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Without_the_native_library_one_line_says_how_to_get_it()
    {
        // A copy of the binaries without libduckdb.so, run as its own process (the library loads once per process).
        var bin = _files.PathOf("bin");
        Directory.CreateDirectory(bin);
        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory).Where(f => f.EndsWith(".dll", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal)))
            File.Copy(file, Path.Combine(bin, Path.GetFileName(file)));
        await File.WriteAllTextAsync(_files.PathOf("wh.duckdb"), "");
        var info = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = _files.Directory };
        foreach (var arg in new[] { Path.Combine(bin, "Ferry.Cli.dll"), "copy", "duckdb:wh.duckdb", "--dry-run" })
            info.ArgumentList.Add(arg);
        info.Environment.Remove("FERRY_DUCKDB_LIBRARY");
        using var process = System.Diagnostics.Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.Equal(2, process.ExitCode);
        var line = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("libduckdb.so was not found", line, StringComparison.Ordinal);
        Assert.Contains("scripts/setup.sh", line, StringComparison.Ordinal);
    }
}
