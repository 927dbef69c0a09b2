using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Sqlite;

/// <summary>What the CLI prints as log lines: one line per message, whatever the names hold.</summary>
public sealed class SqliteCliLineTests
{
    [Fact]
    public async Task A_table_name_with_a_newline_is_one_escaped_log_line_and_exact_in_json()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE \"a\nb\" (id INTEGER PRIMARY KEY, \"c\td\" TEXT, \"e\u001b[31mf\" REAL)",
            "INSERT INTO \"a\nb\" VALUES (1, 'x', 1.5), (2, 'y', 'not a real')");
        await using var db = await TestCluster.CreateDatabaseAsync("newline");
        var rejects = Path.Combine(Path.GetTempPath(), "ferry-rejects-" + Guid.NewGuid().ToString("N")[..10]);

        var copy = await CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", rejects);

        Assert.Equal(1, copy.ExitCode);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM \"a\nb\""));
        var lines = (copy.Stdout + copy.Stderr).Split('\n');
        Assert.DoesNotContain(lines, l => l.StartsWith("b", StringComparison.Ordinal) || l.Contains('\u001b') || l.Contains('\t'));
        Assert.Contains(lines, l => l.Contains("a\\nb", StringComparison.Ordinal) && l.Contains("rejected", StringComparison.Ordinal));

        var json = await CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", rejects, "--replace", "--json");
        var table = Assert.Single(json.Json().GetProperty("tables").EnumerateArray());
        Assert.Equal("a\nb", table.GetProperty("source").GetString());
        Assert.Equal("public.a\nb", table.GetProperty("target").GetString());
        var rejected = Assert.Single(File.ReadAllLines(Directory.GetFiles(rejects).Single()));
        Assert.Contains("\"e\\u001B[31mf\"", rejected, StringComparison.OrdinalIgnoreCase);
        Directory.Delete(rejects, true);
    }
}
