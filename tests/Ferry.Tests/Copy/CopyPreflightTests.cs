using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;

namespace Ferry.Tests.Copy;

/// <summary>What can be checked before the first write is checked before it: a refused run leaves the target as it was.</summary>
public sealed class CopyPreflightTests
{
    /// <summary>Two tables; one row of notes holds a NUL, which PostgreSQL's text cannot take: it is rejected.</summary>
    static SqliteTestFile Shop() => new(
        "CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)",
        "INSERT INTO customers VALUES (1, 'ann'), (2, 'bob')",
        "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)",
        "INSERT INTO notes VALUES (1, 'fine'), (2, 'a NUL' || char(0) || 'inside')");

    const string StateSql = "SELECT string_agg(concat_ws(' ', source, table_name, status, rows, rows_read, rows_rejected, started, finished), '; ' ORDER BY table_name) FROM ferry.copy_state";

    public enum BadRejects
    {
        AFile,
        UnderAFile,
        ReadOnlyDisk,
    }

    /// <summary>The rejects path given, and what the refusal says about it; <paramref name="cleanup"/> undoes the setup.</summary>
    static (string Path, string Says) Arrange(BadRejects kind, string scratch, List<IDisposable> cleanup)
    {
        var file = Path.Combine(scratch, "rejects.txt");
        File.WriteAllText(file, "not a directory\n");
        switch (kind)
        {
            case BadRejects.AFile:
                return (file, "is a file");
            case BadRejects.UnderAFile:
                return (Path.Combine(file, "rejects"), "is a file");
            default:
                var disk = Tmpfs.Mount("64k", readOnly: true);
                cleanup.Add(disk);
                return (Path.Combine(disk.Directory, "rejects"), "Read-only file system");
        }
    }

    [Theory]
    [InlineData(BadRejects.AFile)]
    [InlineData(BadRejects.UnderAFile)]
    [InlineData(BadRejects.ReadOnlyDisk)]
    public async Task Replace_with_an_unusable_rejects_path_keeps_the_earlier_copy_and_its_state(BadRejects kind)
    {
        using var file = Shop();
        await using var db = await TestCluster.CreateDatabaseAsync();
        var scratch = Directory.CreateTempSubdirectory("ferry-preflight-").FullName;
        var cleanup = new List<IDisposable>();
        try
        {
            var first = await CliRunner.RunAsync(new Dictionary<string, string>(), scratch, "copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", Path.Combine(scratch, "ok"));
            Assert.True(first.ExitCode == 1, first.ToString()); // the NUL row is rejected
            var state = await db.ScalarAsync<string>(StateSql);
            var (rejects, says) = Arrange(kind, scratch, cleanup);

            var again = await CliRunner.RunAsync(new Dictionary<string, string>(), scratch, "copy", "sqlite:" + file.Path, "--to", db.Url, "--replace", "--rejects", rejects);

            Assert.True(again.ExitCode == 2, again.ToString());
            Assert.Contains(rejects, again.Stderr, StringComparison.Ordinal);
            Assert.Contains(says, again.Stderr, StringComparison.Ordinal);
            Assert.Contains("Nothing was written", again.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("bug in Ferry", again.Stderr, StringComparison.Ordinal);
            Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM customers"));
            Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM notes"));
            Assert.Equal(state, await db.ScalarAsync<string>(StateSql));
        }
        finally
        {
            cleanup.ForEach(c => c.Dispose());
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact]
    public async Task A_refused_first_run_writes_nothing_not_even_the_state_table()
    {
        using var file = Shop();
        await using var db = await TestCluster.CreateDatabaseAsync();
        var scratch = Directory.CreateTempSubdirectory("ferry-preflight-").FullName;
        try
        {
            var rejects = Path.Combine(scratch, "rejects.txt");
            await File.WriteAllTextAsync(rejects, "");

            var result = await CliRunner.RunAsync(new Dictionary<string, string>(), scratch, "copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", rejects, "--json");

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains($"--rejects {rejects} is a file", result.Stderr, StringComparison.Ordinal);
            Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'"));
            Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }
}
