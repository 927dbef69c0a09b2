using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Check;

/// <summary><c>ferry check --on SOURCE</c> and <c>--compare SOURCE</c>: the table, the <c>--json</c> document, the journal row, options refused.</summary>
public sealed class CheckCompareCliTests : IDisposable
{
    static readonly Dictionary<string, string> NoEnvironment = [];

    readonly string _root = Directory.CreateTempSubdirectory("ferry-check-compare-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Write(string yaml)
    {
        var path = Path.Combine(_root, Guid.NewGuid().ToString("N")[..8] + ".yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public async Task On_a_source_the_table_names_its_failing_keys_without_touching_a_target()
    {
        await using var source = await CheckRunnerTests.ItemsAsync();
        var path = Write("items: { unique: [name] }");

        var human = await CliRunner.RunAsync(NoEnvironment, _root, "check", "--expect", path, "--on", source.Url);
        var json = await CliRunner.RunAsync(NoEnvironment, _root, "check", "--expect", path, "--on", source.Url, "--json");

        Assert.True(human.ExitCode == 1, human.ToString());
        Assert.Contains($"Checked on {source.Url}", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("id=1; id=3", human.Stdout, StringComparison.Ordinal);
        var document = json.Json();
        Assert.Equal(source.Url, document.GetProperty("source").GetString());
        var result = document.GetProperty("results")[0];
        Assert.Equal([1, 3], result.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("key").GetProperty("id").GetInt32()));
        Assert.False(result.TryGetProperty("introduced", out _));
        Assert.False(Directory.Exists(Path.Combine(_root, ".ferry")));
    }

    [Fact]
    public async Task Compare_shows_and_journals_an_introduced_failure_beside_a_pre_existing_one()
    {
        var (sourceDb, targetDb) = await CheckCompareTests.CopiedAsync();
        await using var source = sourceDb;
        await using var target = targetDb;
        var path = Write("users: { unique: [email], not_null: [name] }");

        var (report, metrics) = (Path.Combine(_root, "compare.html"), Path.Combine(_root, "compare.prom"));
        var human = await CliRunner.RunAsync(NoEnvironment, _root, "check", "--expect", path, "--compare", source.Url, "--database", target.Url, "--report", report, "--metrics", metrics);
        var json = await CliRunner.RunAsync(NoEnvironment, _root, "check", "--expect", path, "--compare", source.Url, "--database", target.Url, "--json");

        Assert.True(human.ExitCode == 1, human.ToString());
        Assert.Contains($"Compared with {source.Url}", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("introduced", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("pre-existing (1 failing)", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("2 failed, 0 could not run; 1 introduced, 1 pre-existing", human.Stdout, StringComparison.Ordinal);
        var html = await File.ReadAllTextAsync(report);
        Assert.Contains($"<dt>compared with</dt><dd>{source.Url}</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge failed\">introduced</span>", html, StringComparison.Ordinal);
        Assert.Contains("pre-existing (1 failing)", html, StringComparison.Ordinal);
        var prom = await File.ReadAllTextAsync(metrics);
        Assert.Contains("ferry_check_compared{comparison=\"introduced\"} 1\n", prom, StringComparison.Ordinal);
        Assert.Contains("ferry_check_compared{comparison=\"pre-existing\"} 1\n", prom, StringComparison.Ordinal);
        Assert.Contains("ferry_check_compared{comparison=\"resolved\"} 0\n", prom, StringComparison.Ordinal);
        var results = json.Json().GetProperty("results");
        var unique = results[0];
        Assert.Equal(("failed", true, "introduced"), (unique.GetProperty("status").GetString(), unique.GetProperty("introduced").GetBoolean(), unique.GetProperty("comparison").GetString()));
        Assert.Equal([1, 3], unique.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("key").GetProperty("id").GetInt32()));
        var figures = unique.GetProperty("source");
        Assert.Equal(("public.users", "passed", 0), (figures.GetProperty("table").GetString(), figures.GetProperty("status").GetString(), figures.GetProperty("failing").GetInt32()));
        var notNull = results[1];
        Assert.Equal((false, "pre-existing"), (notNull.GetProperty("introduced").GetBoolean(), notNull.GetProperty("comparison").GetString()));
        Assert.Equal([2], notNull.GetProperty("source").GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("key").GetProperty("id").GetInt32()));
        var journaled = await target.ScalarAsync<string>("SELECT string_agg(r->>'comparison', ',') FROM ferry.runs, jsonb_array_elements(document->'results') r WHERE kind = 'check' AND id = (SELECT max(id) FROM ferry.runs)");
        Assert.Equal("introduced,pre-existing", journaled);
    }

    [Fact]
    public async Task Compare_maps_names_back_through_transform()
    {
        await using var source = await TestCluster.CreateDatabaseAsync();
        await using var target = await TestCluster.CreateDatabaseAsync();
        await source.ExecuteAsync("CREATE TABLE people (id int PRIMARY KEY, mail text); INSERT INTO people VALUES (1, 'a@x.io'), (2, 'b@x.io');");
        await target.ExecuteAsync("CREATE TABLE members (id int PRIMARY KEY, email text); INSERT INTO members VALUES (1, 'a@x.io'), (2, 'a@x.io');");
        var transform = Write("people: { rename: members, columns: { mail: { rename: email } } }");

        var result = await CliRunner.RunAsync(NoEnvironment, _root, "check", "--expect", Write("members: { unique: [email], rows: source }"), "--compare", source.Url, "--transform", transform, "--database", target.Url, "--json");

        Assert.True(result.ExitCode == 1, result.ToString());
        var results = result.Json().GetProperty("results");
        Assert.Equal(("introduced", "public.people", "passed"), (results[0].GetProperty("comparison").GetString(), results[0].GetProperty("source").GetProperty("table").GetString(), results[0].GetProperty("source").GetProperty("status").GetString()));
        Assert.Equal([1, 2], results[0].GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("key").GetProperty("id").GetInt32()));
        Assert.Equal(("passed", "none"), (results[1].GetProperty("status").GetString(), results[1].GetProperty("comparison").GetString()));
    }

    [Theory]
    [InlineData("--on", "--compare", "--on and --compare cannot be given together")]
    [InlineData("--on", "--transform", "--transform maps the target's names to the source's, which only --compare needs.")]
    public async Task Options_that_do_not_go_together_exit_2(string first, string second, string message)
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        var path = Write("users: { rows: 1 }");

        var result = await CliRunner.RunAsync(NoEnvironment, _root, "check", "--expect", path, first, db.Url, second, second == "--transform" ? path : db.Url, "--database", db.Url);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
    }
}
