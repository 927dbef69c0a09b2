using System.Text.Json;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;

namespace Ferry.Tests.Copy;

/// <summary>A rejects file that cannot be written stops its table clearly, and never holds a broken line.</summary>
public sealed class RejectsDiskTests
{
    [Fact]
    public async Task A_full_disk_stops_the_table_with_whole_lines_and_resume_after_freeing_space_finishes_exactly()
    {
        // 2,000 notes, every fourth with a NUL (PostgreSQL's text cannot take it): 500 rejects, far more than 16 KB of lines.
        using var file = new SqliteTestFile(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000) INSERT INTO notes SELECT i, CASE WHEN i % 4 = 0 THEN 'bad' || char(0) || i ELSE 'note ' || i END FROM n");
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var disk = Tmpfs.Mount("16k");
        var rejectFile = Path.Combine(disk.Directory, "notes.jsonl");

        var full = await CliRunner.RunAsync(new Dictionary<string, string>(), disk.Directory, "copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", disk.Directory, "--json");

        Assert.True(full.ExitCode == 1, full.ToString());
        Assert.Contains(rejectFile, full.Stderr, StringComparison.Ordinal);
        Assert.Contains("No space left on device", full.Stderr, StringComparison.Ordinal);
        Assert.Contains("public.notes", full.Stderr, StringComparison.Ordinal);
        Assert.Contains("--resume", full.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("bug in Ferry", full.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", full.Stderr, StringComparison.Ordinal);
        var written = AssertWholeJsonLines(rejectFile);
        Assert.InRange(written, 1, 499);

        disk.Unmount(); // space freed: the same directory, now on the machine's disk
        var resumed = await CliRunner.RunAsync(new Dictionary<string, string>(), disk.Directory, "copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", disk.Directory, "--json", "--resume");

        Assert.True(resumed.ExitCode == 1, resumed.ToString()); // rows were rejected
        var table = resumed.Json().GetProperty("tables")[0];
        Assert.Equal((2000, 1500, 500), (table.GetProperty("rows_read").GetInt32(), table.GetProperty("rows_written").GetInt32(), table.GetProperty("rows_rejected").GetInt32()));
        Assert.Equal(1500L, await db.ScalarAsync<long>("SELECT count(*) FROM notes"));
        Assert.Equal(500, AssertWholeJsonLines(rejectFile));
    }

    /// <summary>Every line of the file is one JSON object and the file ends with a whole line; returns how many.</summary>
    static int AssertWholeJsonLines(string path)
    {
        var text = File.Exists(path) ? File.ReadAllText(path) : "";
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "the last line is broken: " + text[^Math.Min(200, text.Length)..]);
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            Assert.Equal("notes", json.RootElement.GetProperty("table").GetString());
        }

        return lines.Length;
    }
}
