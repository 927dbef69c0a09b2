using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Check;

/// <summary><c>ferry check</c>: exit codes by severity, the <c>--json</c> document, the journal row, a bad file refused.</summary>
public sealed class CheckCliTests : IDisposable
{
    static readonly Dictionary<string, string> NoEnvironment = [];

    readonly string _root = Directory.CreateTempSubdirectory("ferry-check-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Write(string yaml)
    {
        var path = Path.Combine(_root, Guid.NewGuid().ToString("N")[..8] + ".yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public async Task A_warned_failure_exits_0_an_error_one_exits_1_and_the_json_document_names_the_keys()
    {
        await using var db = await CheckRunnerTests.ItemsAsync();
        var warn = Write("items: { not_null: [name], severity: warn }");
        var error = Write("expect:\n  items:\n    unique: [name]\n    rows: 4\n");

        var warned = await CliRunner.RunAsync(NoEnvironment, _root, "check", "--expect", warn, "--database", db.Url);
        var failed = await CliRunner.RunAsync(NoEnvironment, _root, "check", "--expect", error, "--database", db.Url, "--json");

        Assert.True(warned.ExitCode == 0, warned.ToString());
        Assert.Contains("warned", warned.Stdout, StringComparison.Ordinal);
        Assert.Contains("id=4", warned.Stdout, StringComparison.Ordinal);
        Assert.True(failed.ExitCode == 1, failed.ToString());
        var json = failed.Json();
        Assert.False(json.GetProperty("ok").GetBoolean());
        var first = json.GetProperty("results")[0];
        Assert.Equal(
            ["table", "expectation", "columns", "status", "severity", "failing", "samples"],
            first.EnumerateObject().Select(p => p.Name).Take(7));
        Assert.Equal(("public.items", "unique", "name", "failed", "error", 2), (
            first.GetProperty("table").GetString(), first.GetProperty("expectation").GetString(), first.GetProperty("columns")[0].GetString(),
            first.GetProperty("status").GetString(), first.GetProperty("severity").GetString(), first.GetProperty("failing").GetInt32()));
        Assert.Equal([1, 3], first.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("key").GetProperty("id").GetInt32()));
        Assert.Equal("passed", json.GetProperty("results")[1].GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_expectation_in_error_exits_1_and_the_run_is_journaled_as_check()
    {
        await using var db = await CheckRunnerTests.ItemsAsync();
        var path = Write("items: { not_null: [nickname], severity: warn }");

        var result = await CliRunner.RunAsync(NoEnvironment, _root, "check", "--expect", path, "--database", db.Url);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("has no column 'nickname'", result.Stdout, StringComparison.Ordinal);
        var runs = await CliRunner.RunAsync(NoEnvironment, null, "runs", "--database", db.Url, "--json");
        var run = runs.Json().GetProperty("runs")[0];
        Assert.Equal(("check", "problems", 1), (run.GetProperty("kind").GetString(), run.GetProperty("outcome").GetString(), run.GetProperty("exit_code").GetInt32()));
        var document = await db.ScalarAsync<string>("SELECT document->'results'->0->>'status' FROM ferry.runs WHERE kind = 'check'");
        Assert.Equal("error", document);
    }

    [Fact]
    public async Task A_bad_expectations_file_exits_2_naming_the_file_the_line_and_the_key()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        var path = Write("items:\n  rows: 4\n  not_nul: [name]\n");

        var result = await CliRunner.RunAsync(NoEnvironment, _root, "check", "--expect", path, "--database", db.Url, "--json");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{path}, line 3: unknown key 'not_nul' in items: did you mean 'not_null'?", result.Stderr, StringComparison.Ordinal);
        Assert.False(result.Json().GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task The_project_files_expect_section_is_checked_and_the_report_and_metrics_have_its_results()
    {
        await using var db = await CheckRunnerTests.ItemsAsync();
        File.WriteAllText(Path.Combine(_root, "ferry.yml"), "expect:\n  items:\n    values: { market: [CAISO, ERCOT] }\n");
        var report = Path.Combine(_root, "check.html");
        var metrics = Path.Combine(_root, "check.prom");

        var result = await CliRunner.RunAsync(NoEnvironment, _root, "check", "--database", db.Url, "--report", report, "--metrics", metrics);

        Assert.True(result.ExitCode == 1, result.ToString());
        var html = await File.ReadAllTextAsync(report);
        Assert.Contains("<h2 id=\"check\">Expectations</h2>", html, StringComparison.Ordinal);
        Assert.Contains("values market in [CAISO, ERCOT]", html, StringComparison.Ordinal);
        Assert.Contains("<code>id=3</code>", html, StringComparison.Ordinal);
        var prom = await File.ReadAllTextAsync(metrics);
        Assert.Contains("ferry_check_expectations{status=\"failed\"} 1\n", prom, StringComparison.Ordinal);
        Assert.Contains("ferry_check_expectations{status=\"passed\"} 0\n", prom, StringComparison.Ordinal);
        Assert.Contains("ferry_check_failing_rows{table=\"public.items\",expectation=\"values market in [CAISO, ERCOT]\",stage=\"after\"} 1\n", prom, StringComparison.Ordinal);
    }
}
