using Ferry.Copy;
using Ferry.Sync;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Sync;

/// <summary>CSV files synced by watermark: append-only (a new file's rows above the watermark are added, once), and --deletes apply refused.</summary>
public sealed class FileSyncTests : IDisposable
{
    readonly TempDirectory _folder = new("ferry-sync-files-");

    public void Dispose() => _folder.Dispose();

    SyncOptions Options(TestDatabase target, SyncDeletes deletes = SyncDeletes.Ignore) => new()
    {
        Copy = new CopyOptions { Source = "csv:" + Path.Combine(_folder.Path, "*.csv"), TableName = "readings", Target = target.Target, RejectsDirectory = Path.Combine(_folder.Path, "rejects") },
        Watermark = "taken_at",
        Deletes = deletes,
    };

    void Write(string name, string text)
    {
        Directory.CreateDirectory(_folder.Path);
        File.WriteAllText(Path.Combine(_folder.Path, name), text);
    }

    [Fact]
    public async Task A_new_file_is_appended_above_the_watermark_once_and_deletes_apply_is_refused()
    {
        Write("a.csv", "sensor,value,taken_at\ns1,1.5,2026-12-01 10:00:00\ns2,2.5,2026-12-01 11:00:00\n");
        await using var target = await TestCluster.CreateDatabaseAsync("syncfiles");
        var first = Assert.Single((await new SyncRunner(Options(target)).RunAsync(CancellationToken.None)).Tables);
        Assert.Equal((TableSyncResult.CopyMode, 2L), (first.Mode, first.RowsInserted));

        Write("b.csv", "sensor,value,taken_at\ns1,3.5,2026-12-01 11:02:00\ns3,4.5,2026-12-02 09:00:00\n");
        var second = Assert.Single((await new SyncRunner(Options(target)).RunAsync(CancellationToken.None)).Tables);
        Assert.True(second.Ok, second.Error);
        Assert.Equal((2L, 0L), (second.RowsInserted, second.RowsUpdated));
        var again = Assert.Single((await new SyncRunner(Options(target)).RunAsync(CancellationToken.None)).Tables);
        Assert.Equal(0L, again.RowsInserted);
        Assert.Equal(4L, await target.ScalarAsync<long>("SELECT count(*) FROM readings"));

        var refused = await Assert.ThrowsAsync<FerryException>(() => new SyncRunner(Options(target, SyncDeletes.Apply)).RunAsync(CancellationToken.None));
        Assert.Contains("--deletes apply", refused.Message, StringComparison.Ordinal);
        Assert.Contains("append-only", refused.Message, StringComparison.Ordinal);
    }
}
