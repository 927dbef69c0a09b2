using Ferry.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Ferry.Tests.Sqlite;

/// <summary>A SQLite file that another process is writing to: Ferry waits for it, and says so.</summary>
public sealed class SqliteLockWaitTests
{
    [Fact]
    public async Task A_file_another_process_is_writing_to_is_waited_for_and_the_wait_is_said()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
            "INSERT INTO t VALUES (1, 'a')");
        await using var db = await TestCluster.CreateDatabaseAsync("locked");

        // A writer in another connection: its exclusive lock keeps readers out until it commits, a moment later.
        await using var writer = new SqliteConnection($"Data Source={file.Path};Pooling=False");
        await writer.OpenAsync();
        await using (var begin = writer.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE; INSERT INTO t VALUES (2, 'b')";
            await begin.ExecuteNonQueryAsync();
        }

        var copying = Task.Run(() => CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", Path.GetTempPath()));
        await Task.Delay(TimeSpan.FromSeconds(4));
        await using (var commit = writer.CreateCommand())
        {
            commit.CommandText = "COMMIT";
            await commit.ExecuteNonQueryAsync();
        }

        var copy = await copying;
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Contains($"SQLite file '{file.Path}' is locked: another process holds a write lock on it", copy.Stderr, StringComparison.Ordinal);
        Assert.Contains("Waiting up to 30 s", copy.Stderr, StringComparison.Ordinal);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM t"));
    }
}
