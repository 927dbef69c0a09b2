using System.Text.Json;
using Ferry.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Ferry.Tests.Sync;

/// <summary><c>ferry sync</c> on the command line: its JSON document, its exit codes, its journal row, and verify after it.</summary>
public sealed class SyncCliTests : IDisposable
{
    readonly TempDirectory _folder = new("ferry-sync-cli-");

    public void Dispose() => _folder.Dispose();

    string Source()
    {
        Directory.CreateDirectory(_folder.Path);
        var path = Path.Combine(_folder.Path, "app.db");
        Sqlite(path, """
            CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, updated_at DATETIME NOT NULL);
            INSERT INTO items VALUES (1, 'a', '2026-12-01 10:00:00'), (2, 'b', '2026-12-01 11:00:00');
            """);
        return path;
    }

    static void Sqlite(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The document with its times taken out (they differ run to run).</summary>
    static string Golden(CliResult result)
    {
        var json = result.Json();
        var tables = json.GetProperty("tables").EnumerateArray().Select(t => string.Join(" ",
            t.GetProperty("source").GetString(), t.GetProperty("target").GetString(), t.GetProperty("mode").GetString(), t.GetProperty("ok").GetBoolean(),
            t.GetProperty("watermark_column").GetString(), t.GetProperty("watermark_before").ToString(), t.GetProperty("watermark_after").ToString(),
            t.GetProperty("rows_read").GetInt64(), t.GetProperty("rows_inserted").GetInt64(), t.GetProperty("rows_updated").GetInt64(),
            t.GetProperty("rows_deleted").GetInt64(), t.GetProperty("deletes_pending").ToString(), t.GetProperty("rows_rejected").GetInt64()));
        return $"ok={json.GetProperty("ok").GetBoolean()} " + string.Join(" | ", tables);
    }

    [Fact]
    public async Task Sync_prints_its_document_exits_0_is_journaled_and_verify_finds_the_sides_identical()
    {
        var path = Source();
        await using var target = await TestCluster.CreateDatabaseAsync("synccli");
        var first = await CliRunner.RunAsync("sync", "sqlite:" + path, "--to", target.Url, "--watermark", "updated_at", "--json");
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal("ok=True items public.items copy True updated_at  2026-12-01 11:00:00 2 2 0 0  0", Golden(first));

        Sqlite(path, "UPDATE items SET name = 'b2', updated_at = '2026-12-02 08:00:00' WHERE id = 2; INSERT INTO items VALUES (3, 'c', '2026-12-02 09:00:00'); DELETE FROM items WHERE id = 1;");
        var second = await CliRunner.RunAsync("sync", "sqlite:" + path, "--to", target.Url, "--watermark", "items=updated_at", "--deletes", "apply", "--json");
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("ok=True items public.items watermark True updated_at 2026-12-01 11:00:00 2026-12-02 09:00:00 2 1 1 1  0", Golden(second));
        Assert.Equal(2, await target.ScalarAsync<long>("SELECT count(*) FROM ferry.runs WHERE kind = 'sync' AND exit_code = 0"));

        var verify = await CliRunner.RunAsync("verify", "sqlite:" + path, "--to", target.Url, "--json");
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.True(verify.Json().GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_stopped_table_exits_1_and_bad_options_exit_2()
    {
        var path = Source();
        await using var target = await TestCluster.CreateDatabaseAsync("synccli");
        Assert.Equal(0, (await CliRunner.RunAsync("sync", "sqlite:" + path, "--to", target.Url, "--watermark", "updated_at")).ExitCode);
        Sqlite(path, "ALTER TABLE items ADD COLUMN extra TEXT;");

        var stopped = await CliRunner.RunAsync("sync", "sqlite:" + path, "--to", target.Url, "--watermark", "updated_at", "--on-schema-change", "fail", "--json");
        Assert.Equal(1, stopped.ExitCode);
        var table = stopped.Json().GetProperty("tables")[0];
        Assert.False(table.GetProperty("ok").GetBoolean());
        Assert.Contains("column extra (text) is new in items", table.GetProperty("error").GetString(), StringComparison.Ordinal);

        // Without a watermark the table is synced by diff, which adds the new column as the watermark sync does.
        var byDiff = await CliRunner.RunAsync("sync", "sqlite:" + path, "--to", target.Url, "--json");
        Assert.True(byDiff.ExitCode == 0, byDiff.ToString());
        var diffed = byDiff.Json().GetProperty("tables")[0];
        Assert.Equal("diff", diffed.GetProperty("mode").GetString());
        Assert.Contains("Column extra (text) is new in items", diffed.GetProperty("notes")[0].GetString(), StringComparison.Ordinal);

        var badOverlap = await CliRunner.RunAsync("sync", "sqlite:" + path, "--to", target.Url, "--watermark", "updated_at", "--overlap", "five");
        Assert.Equal(2, badOverlap.ExitCode);
        Assert.Contains("--overlap 'five'", badOverlap.Stderr, StringComparison.Ordinal);

        var notTime = await CliRunner.RunAsync("sync", "sqlite:" + path, "--to", target.Url, "--watermark", "name");
        Assert.Equal(2, notTime.ExitCode);
        Assert.Contains("a watermark is a whole-number, date or timestamp column", notTime.Stderr, StringComparison.Ordinal);
    }
}
