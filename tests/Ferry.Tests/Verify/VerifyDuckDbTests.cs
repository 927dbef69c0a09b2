using System.Text.Json;
using Ferry.Copy;
using Ferry.Sources.DuckDb;
using Ferry.Tests.DuckDb;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Ferry.Verify;

namespace Ferry.Tests.Verify;

/// <summary>Agreement through the DuckDB source: every DuckDB type copied by the real pipeline verifies identical.</summary>
public sealed class VerifyDuckDbTests : IDisposable
{
    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Every_DuckDB_type_verifies_identical_after_a_copy_and_a_change_is_named()
    {
        var path = _files.PathOf("warehouse.duckdb");
        // Row 1's d uses all 38 digits of its DECIMAL(38,10), beyond System.Decimal.
        DuckDbTestFiles.Execute(path, DuckDbTypesTests.CreateEverything);
        await using var db = await TestCluster.CreateDatabaseAsync("verify_duckdb");
        var copy = await new CopyRunner(new CopyOptions { Source = "duckdb:" + path, Target = db.Target, RejectsDirectory = _files.PathOf("rejects") }).RunAsync(default);
        Assert.Equal(3, copy.RowsWritten);

        await using var source = DuckDbSource.Database(path);
        var result = await new Verifier(db.Target).VerifyAsync(source, default);

        var everything = Assert.Single(result.Tables);
        Assert.True(everything.Ok, JsonSerializer.Serialize(new { everything.Problems, everything.Differences, everything.Integrity }));
        Assert.Equal((3L, 3L, "content", 0L), (everything.SourceRows, everything.TargetRows!.Value, everything.Compared, everything.SourceRejected));

        await db.ExecuteAsync("UPDATE everything SET st = st, mp = mp WHERE id = 1; UPDATE everything SET ls = '{}' WHERE id = 2; UPDATE everything SET ttz = '12:34:56+02' WHERE id = 1");
        var changed = Assert.Single((await new Verifier(db.Target).VerifyAsync(source, default)).Tables);
        Assert.Equal([(1L, "changed"), (2L, "changed")], changed.Differences.Select(d => ((long)d.Key!["id"]!, d.Kind)).ToList());
    }

    [Fact]
    public async Task A_parquet_file_copied_as_a_table_verifies_identical_from_the_CLI()
    {
        using var file = SqliteTestFile.CopyOf("alltypes_plain.parquet");
        var parquet = Path.ChangeExtension(file.Path, ".parquet");
        File.Copy(file.Path, parquet);
        await using var db = await TestCluster.CreateDatabaseAsync("verify_duckdb");
        var copy = await CliRunner.RunAsync("copy", "parquet:" + parquet, "--table", "alltypes", "--database", db.Url, "--rejects", _files.PathOf("rejects"));
        Assert.True(copy.ExitCode == 0, copy.ToString());

        var verify = await CliRunner.RunAsync("verify", "parquet:" + parquet, "--table", "alltypes", "--to", db.Url, "--json");

        Assert.True(verify.ExitCode == 0, verify.ToString());
        var table = Assert.Single(verify.Json().GetProperty("tables").EnumerateArray().ToList());
        Assert.Equal(("public.alltypes", 8, 8), (table.GetProperty("target").GetString(), table.GetProperty("source_rows").GetInt64(), table.GetProperty("target_rows").GetInt64()));

        await db.ExecuteAsync("DELETE FROM alltypes WHERE ctid = (SELECT min(ctid) FROM alltypes)");
        var after = await CliRunner.RunAsync("verify", "parquet:" + parquet, "--table", "alltypes", "--to", db.Url, "--json");
        Assert.Equal(1, after.ExitCode);
        var difference = Assert.Single(Assert.Single(after.Json().GetProperty("tables").EnumerateArray().ToList()).GetProperty("differences").EnumerateArray().ToList());
        Assert.Equal(("missing", 1), (difference.GetProperty("kind").GetString(), difference.GetProperty("count").GetInt64()));
    }
}
