using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Check;

/// <summary><c>ferry copy --expect</c>: before: on the source refuses the copy writing nothing, after: on the target fails it.</summary>
public sealed class CopyGateTests : IDisposable
{
    readonly TempDirectory _directory = new("ferry-copy-gate-");

    public void Dispose() => _directory.Dispose();

    string Root => Directory.CreateDirectory(_directory.Path).FullName;

    string Write(string yaml) => _directory.Write(yaml);

    [Theory]
    [InlineData("sqlite")]
    [InlineData("duckdb")]
    public async Task A_failing_before_expectation_on_the_source_writes_nothing_and_names_the_failing_keys(string kind)
    {
        using var file = SourceCheckTests.ItemsSqlite();
        var source = kind == "sqlite" ? "sqlite:" + file.Path : "duckdb:" + SourceCheckTests.ItemsDuckDb(Root);
        await using var db = await TestCluster.CreateDatabaseAsync();
        var expect = Write("before:\n  items:\n    unique: [name]\n    not_null: [id]\nafter:\n  items:\n    rows: 4\n");

        var copy = await CliRunner.RunAsync("copy", source, "--to", db.Url, "--expect", expect, "--rejects", Root);

        Assert.True(copy.ExitCode == 1, copy.ToString());
        Assert.Contains("unique (name)", copy.Stdout, StringComparison.Ordinal);
        Assert.Contains("id=1; id=3", copy.Stdout, StringComparison.Ordinal);
        Assert.Contains("nothing was written", copy.Stdout, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p', 'v') AND n.nspname NOT IN ('pg_catalog', 'information_schema')"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'"));
    }

    [Fact]
    public async Task A_failing_after_expectation_exits_1_with_the_failing_keys_in_the_json_document_and_the_journal()
    {
        using var file = SourceCheckTests.ItemsSqlite();
        await using var db = await TestCluster.CreateDatabaseAsync();
        var expect = Write("before:\n  items:\n    not_null: [id]\nitems:\n  values: { market: [CAISO, ERCOT] }\n  rows: 4\n");

        var copy = await CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--to", db.Url, "--expect", expect, "--rejects", Root, "--json");

        Assert.True(copy.ExitCode == 1, copy.ToString());
        var json = copy.Json();
        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Equal(4, json.GetProperty("tables")[0].GetProperty("rows_written").GetInt32());
        var check = json.GetProperty("check");
        Assert.False(check.GetProperty("ok").GetBoolean());
        var values = check.GetProperty("results")[0];
        Assert.Equal(("public.items", "values", "failed", "after"), (values.GetProperty("table").GetString(), values.GetProperty("expectation").GetString(), values.GetProperty("status").GetString(), values.GetProperty("stage").GetString()));
        Assert.Equal([3], values.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("key").GetProperty("id").GetInt32()));
        Assert.Equal("passed", check.GetProperty("results")[1].GetProperty("status").GetString());
        Assert.Equal(2, check.GetProperty("results").GetArrayLength());
        Assert.Equal("3", await db.ScalarAsync<string>("SELECT document->'check'->'results'->0->'samples'->0->'key'->>'id' FROM ferry.runs WHERE kind = 'copy'"));
    }

    [Fact]
    public async Task A_copy_of_some_tables_checks_only_their_expectations()
    {
        using var file = SourceCheckTests.ItemsSqlite();
        await using var db = await TestCluster.CreateDatabaseAsync();
        var expect = Write("items:\n  rows: 4\nowners:\n  rows: 100\n");

        var copy = await CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--to", db.Url, "--tables", "items", "--expect", expect, "--rejects", Root, "--json");

        Assert.True(copy.ExitCode == 0, copy.ToString());
        var result = Assert.Single(copy.Json().GetProperty("check").GetProperty("results").EnumerateArray());
        Assert.Equal(("public.items", "passed"), (result.GetProperty("table").GetString(), result.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Rows_source_passes_after_a_full_copy_and_fails_after_a_filtered_one()
    {
        using var file = SourceCheckTests.ItemsSqlite();
        await using var full = await TestCluster.CreateDatabaseAsync();
        await using var filtered = await TestCluster.CreateDatabaseAsync();
        var expect = Write("items:\n  rows: source\n");

        var all = await CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--to", full.Url, "--expect", expect, "--rejects", Root, "--json");
        var some = await CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--to", filtered.Url, "--expect", expect, "--rejects", Root, "--json", "--where", "items: id < 3");

        Assert.True(all.ExitCode == 0, all.ToString());
        Assert.Equal("passed", all.Json().GetProperty("check").GetProperty("results")[0].GetProperty("status").GetString());
        Assert.True(some.ExitCode == 1, some.ToString());
        var rows = some.Json().GetProperty("check").GetProperty("results")[0];
        Assert.Equal(("failed", 2), (rows.GetProperty("status").GetString(), rows.GetProperty("failing").GetInt32()));
        Assert.Contains("2 rows, expected 4", rows.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_project_files_expect_section_gates_the_copy_and_the_report_and_metrics_show_the_after_check()
    {
        using var file = SourceCheckTests.ItemsSqlite();
        await using var db = await TestCluster.CreateDatabaseAsync();
        File.WriteAllText(Path.Combine(Root, "ferry.yml"), "expect:\n  items:\n    values: { market: [CAISO, ERCOT] }\n");
        var report = Path.Combine(Root, "copy.html");
        var metrics = Path.Combine(Root, "copy.prom");

        var copy = await CliRunner.RunAsync(new Dictionary<string, string>(), Root, "copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", Root, "--report", report, "--metrics", metrics);

        Assert.True(copy.ExitCode == 1, copy.ToString());
        Assert.Contains("after: expectations failed", copy.Stdout, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(report);
        Assert.Contains("Expectations after the copy</h2>", html, StringComparison.Ordinal);
        Assert.Contains("<code>id=3</code>", html, StringComparison.Ordinal);
        Assert.Contains("ferry_check_expectations{status=\"failed\"} 1\n", await File.ReadAllTextAsync(metrics), StringComparison.Ordinal);
    }
}
