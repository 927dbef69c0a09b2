using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Copy;

public sealed class CopyCliTests
{
    [Fact]
    public async Task Copy_has_help_naming_its_options()
    {
        var result = await CliRunner.RunAsync("copy", "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--to", "--tables", "--table", "--jobs", "--names", "--rejects", "--dry-run", "--resume", "--schema", "--cast", "--invalid-utf8", "--replace", "--verify" })
            Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql:app.db", "unknown kind 'mysql'")]
    [InlineData("app.db", "has no kind")]
    [InlineData("sqlite:/nonexistent/app.db", "/nonexistent/app.db does not exist")]
    [InlineData("sqlite:/", "/ is a directory, not a database file")]
    [InlineData("csv:data/*.csv", "--table NAME")]
    public async Task Bad_sources_are_configuration_errors(string source, string message)
    {
        var result = await CliRunner.RunAsync(new Dictionary<string, string>(), Path.GetTempPath(), "copy", source, "--to", "postgres://nobody@127.0.0.1:1/none", "--json");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        // Under --json a failure still prints one document (DESIGN.md): the error, its code and the message.
        var error = result.Json();
        Assert.False(error.GetProperty("ok").GetBoolean());
        Assert.Equal("usage", error.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains(message, error.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_names_rule_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync("copy", "sqlite:x.db", "--names", "camel");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("camel", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_cast_is_a_configuration_error()
    {
        var result = await CliRunner.RunAsync("copy", "sqlite:x.db", "--cast", "invoice.total=money2");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Unknown PostgreSQL type 'money2'", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_terminal_shows_a_progress_bar_per_table_with_rows_and_rate()
    {
        using var file = new Ferry.Tests.Sqlite.SqliteTestFile(
            "CREATE TABLE events (id INTEGER PRIMARY KEY, label TEXT)",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000) INSERT INTO events SELECT i, 'event ' || i FROM n",
            "CREATE TABLE tiny (id INTEGER PRIMARY KEY)",
            "INSERT INTO tiny VALUES (1), (2), (3)");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await CliRunner.RunProcessAsync(null, Path.GetTempPath(), TimeSpan.FromMinutes(2), terminal: true,
            "copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", Path.Combine(Path.GetTempPath(), "ferry-progress-rejects"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var screen = result.Stdout;
        Assert.Contains("\u001b[", screen, StringComparison.Ordinal); // drawn with ANSI control sequences, redrawn in place
        Assert.Contains("━", screen, StringComparison.Ordinal); // the bar
        Assert.Matches(@"public\.events[^\n]*━[^\n]*100%[^\n]*150,000 rows", screen);
        Assert.Matches(@"public\.tiny[^\n]*100%[^\n]*3 rows", screen);
        Assert.Matches(@"[\d,]+ rows [\d,]+ rows/s", screen);
        Assert.DoesNotContain("loaded public.events:", screen, StringComparison.Ordinal); // the plain lines are for logs
        Assert.Contains("every table's count checked", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_profiled_during_the_copy_is_said_on_stderr_and_verifies_identical()
    {
        using var file = new Ferry.Tests.Sqlite.SqliteTestFile(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER, at DATETIME)",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 3000) INSERT INTO t SELECT i, i, '2024-03-05 14:30:15' FROM n",
            "UPDATE t SET n = 2.25 WHERE id = 2900",
            "UPDATE t SET at = 1700000000 WHERE id = 2950");
        await using var db = await TestCluster.CreateDatabaseAsync();

        // A relative path, as users write it (the source keeps the name as written).
        var result = await CliRunner.RunAsync(new Dictionary<string, string>(), Path.GetDirectoryName(file.Path)!,
            "copy", "sqlite:" + Path.GetFileName(file.Path), "--to", db.Url, "--verify", "--json", "--rejects", Path.Combine(Path.GetTempPath(), "ferry-profiled-rejects"));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Loading public.t again, profiled: row 2900 of all rows: column n holds a value that bigint may not take", result.Stderr, StringComparison.Ordinal);
        var json = result.Json();
        Assert.Equal("sqlite:" + Path.GetFileName(file.Path), json.GetProperty("source").GetString());
        Assert.Equal(3000, json.GetProperty("tables")[0].GetProperty("rows_written").GetInt64());
        Assert.Contains(json.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.StartsWith("t: Column at (DATETIME → timestamp without time zone): 1 integer read as Unix epoch seconds", StringComparison.Ordinal));
        Assert.True(json.GetProperty("verify").GetProperty("ok").GetBoolean(), result.Stdout);
        Assert.Equal("numeric", await db.ScalarAsync<string>("SELECT data_type FROM information_schema.columns WHERE table_name = 't' AND column_name = 'n'"));
        Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20), await db.ScalarAsync<DateTime>("SELECT at FROM t WHERE id = 2950"));
    }

    [Fact]
    public async Task Copy_with_verify_proves_Chinook_identical_in_one_json_document()
    {
        using var file = Ferry.Tests.Sqlite.SqliteTestFile.CopyOf("chinook.sqlite");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var result = await CliRunner.RunAsync(new Dictionary<string, string>(), Path.GetTempPath(), "copy", "sqlite:" + file.Path, "--to", db.Url, "--verify", "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal(11, json.GetProperty("tables").GetArrayLength());
        var verify = json.GetProperty("verify");
        Assert.True(verify.GetProperty("ok").GetBoolean());
        var tables = verify.GetProperty("tables").EnumerateArray().ToList();
        Assert.Equal(11, tables.Count);
        Assert.All(tables, t => Assert.Equal(0, t.GetProperty("differences").GetArrayLength()));
        Assert.Contains(tables, t => t.GetProperty("target").GetString() == "public.track" && t.GetProperty("target_rows").GetInt64() == 3503);
    }
}
