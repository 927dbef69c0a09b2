using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Sync;

/// <summary><c>ferry sync --backup</c>: the tables a run changes are snapshotted first, and a restore puts them back.</summary>
public sealed class SyncBackupTests : IDisposable
{
    readonly TempDirectory _folder = new("ferry-sync-backup-");

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_sync_with_backup_snapshots_the_tables_before_applying_deletes_and_a_restore_undoes_it()
    {
        var path = SyncSqlite.Items(_folder.Path);
        await using var db = await TestCluster.CreateDatabaseAsync("syncbackup");
        string[] sync = ["sync", "sqlite:" + path, "--to", db.Url, "--watermark", "updated_at", "--deletes", "apply"];
        var first = await CliRunner.RunAsync([.. sync, "--backup"]);
        Assert.True(first.ExitCode == 0, first.ToString());
        // A first run creates its tables: nothing existed to snapshot.
        Assert.True(await db.ScalarAsync<bool>("SELECT to_regclass('ferry.backups') IS NULL"));
        SyncSqlite.Run(path, "DELETE FROM items WHERE id = 1; UPDATE items SET name = 'B', updated_at = '2026-12-02 09:00:00' WHERE id = 2;");

        var second = await CliRunner.RunAsync([.. sync, "--backup", "--json"]);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal("(2,B)", await db.ScalarAsync<string>("SELECT string_agg((id, name)::text, ',' ORDER BY id) FROM items"));
        var name = await db.ScalarAsync<string>("SELECT name FROM ferry.backups WHERE reason = 'sync --backup'");
        Assert.Equal(2L, await db.ScalarAsync<long>($"SELECT count(*) FROM {name}.items"));
        var restore = await CliRunner.RunAsync("restore", name, "--database", db.Url);
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal("(1,a),(2,b)", await db.ScalarAsync<string>("SELECT string_agg((id, name)::text, ',' ORDER BY id) FROM items"));
    }
}
