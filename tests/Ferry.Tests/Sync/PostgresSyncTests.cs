using Ferry.Copy;
using Ferry.Sources;
using Ferry.Sync;
using Ferry.Tests.Infrastructure;
using Ferry.Verify;

namespace Ferry.Tests.Sync;

/// <summary>
/// A PostgreSQL source (a second test database) synced by watermark: changes propagate, and a row whose transaction was
/// still open at the last run, committed later with an old timestamp, is caught by the recorded snapshot xmin even
/// with no overlap.
/// </summary>
public sealed class PostgresSyncTests
{
    const string Orders = """
        CREATE TABLE orders (id bigint PRIMARY KEY, customer text NOT NULL, total numeric(10,2), updated_at timestamptz NOT NULL);
        INSERT INTO orders VALUES (1, 'ann', 10.50, '2026-12-01 10:00+00'), (2, 'bob', 20.00, '2026-12-01 11:00+00'), (3, 'cy', 30.25, '2026-12-01 12:00+00');
        """;

    static SyncOptions Options(TestDatabase source, TestDatabase target, TimeSpan overlap, SyncDeletes deletes = SyncDeletes.Apply) => new()
    {
        Copy = new CopyOptions { Source = source.Url, Target = target.Target, Names = Ferry.Schema.NamingRule.Preserve, RejectsDirectory = Path.Combine(Path.GetTempPath(), "ferry-sync-rejects") },
        Watermark = "updated_at",
        Overlap = overlap,
        Deletes = deletes,
    };

    static async Task<TableSyncResult> SyncAsync(SyncOptions options)
    {
        var result = await new SyncRunner(options).RunAsync(CancellationToken.None);
        var table = Assert.Single(result.Tables);
        Assert.True(result.Ok, table.Error);
        return table;
    }

    static async Task<bool> IdenticalAsync(TestDatabase source, TestDatabase target)
    {
        await using var opened = SourceFactory.Open(source.Url, new SourceOptions { Names = Ferry.Schema.NamingRule.Preserve, ProfileData = false });
        return (await new Verifier(target.Target, new VerifyOptions { Names = Ferry.Schema.NamingRule.Preserve }).VerifyAsync(opened, CancellationToken.None)).Ok;
    }

    [Fact]
    public async Task Updates_inserts_and_deletes_propagate_and_a_rerun_changes_nothing()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("syncsrc");
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        await source.ExecuteAsync(Orders);

        var first = await SyncAsync(Options(source, target, SyncOptions.DefaultOverlap));
        Assert.Equal((TableSyncResult.CopyMode, 3L), (first.Mode, first.RowsInserted));
        Assert.StartsWith("2026-12-01 12:00:00", first.WatermarkAfter, StringComparison.Ordinal);
        Assert.True(await IdenticalAsync(source, target));

        await source.ExecuteAsync("UPDATE orders SET total = 1, updated_at = '2026-12-02 09:00+00' WHERE id = 2; INSERT INTO orders VALUES (4, 'dee', 4, '2026-12-02 10:00+00'); DELETE FROM orders WHERE id = 1;");
        var second = await SyncAsync(Options(source, target, SyncOptions.DefaultOverlap));
        Assert.Equal((1L, 1L, 1L), (second.RowsInserted, second.RowsUpdated, second.RowsDeleted));
        Assert.True(await IdenticalAsync(source, target));

        var again = await SyncAsync(Options(source, target, SyncOptions.DefaultOverlap));
        Assert.Equal((0L, 0L, 0L), (again.RowsInserted, again.RowsUpdated, again.RowsDeleted));
        Assert.True(await IdenticalAsync(source, target));
    }

    [Fact]
    public async Task A_transaction_open_at_the_last_run_that_commits_an_old_timestamp_later_is_caught()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("syncsrc");
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        await source.ExecuteAsync(Orders);
        await SyncAsync(Options(source, target, TimeSpan.Zero));

        // Open before the next run, writing a timestamp older than any watermark; it commits only after that run.
        await using var late = await source.OpenRawAsync();
        await using var transaction = await late.BeginTransactionAsync();
        await using (var update = new Npgsql.NpgsqlCommand("UPDATE orders SET total = 777, updated_at = '2026-11-01 00:00+00' WHERE id = 1", late, transaction))
            await update.ExecuteNonQueryAsync();
        await source.ExecuteAsync("INSERT INTO orders VALUES (5, 'eve', 5, '2026-12-05 00:00+00')");

        var during = await SyncAsync(Options(source, target, TimeSpan.Zero));
        Assert.Equal((1L, 0L), (during.RowsInserted, during.RowsUpdated));
        await transaction.CommitAsync();

        var after = await SyncAsync(Options(source, target, TimeSpan.Zero));
        Assert.Equal(1L, after.RowsUpdated);
        Assert.Equal(777m, await target.ScalarAsync<decimal>("SELECT total FROM orders WHERE id = 1"));
        Assert.True(await IdenticalAsync(source, target));

        // Once no transaction of that time is open, the next run reads only the rows above the watermark.
        var settled = await SyncAsync(Options(source, target, TimeSpan.Zero));
        Assert.Equal((0L, 0L), (settled.RowsInserted, settled.RowsUpdated));
    }
}
