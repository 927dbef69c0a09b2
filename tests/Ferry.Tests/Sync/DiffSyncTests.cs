using Ferry.Copy;
using Ferry.Sources;
using Ferry.Sync;
using Ferry.Tests.Infrastructure;
using Ferry.Verify;

namespace Ferry.Tests.Sync;

/// <summary>
/// Tables synced by diff (bucket fingerprints of both sides, the differing keys' rows applied) from SQLite and PostgreSQL
/// sources into a real PostgreSQL: updates, inserts and deletes (applied or counted) propagate, a re-run changes nothing,
/// a table without a watermark column is synced so without asking, and verify finds the sides identical after each sync.
/// </summary>
public sealed class DiffSyncTests : IDisposable
{
    readonly TempDirectory _folder = new("ferry-diffsync-");

    public void Dispose() => _folder.Dispose();

    const string Items = """
        CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price NUMERIC(10,2));
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
        INSERT INTO items SELECT i, 'item ' || i, i * 1.25 FROM n;
        """;

    string NewSqlite(string sql)
    {
        Directory.CreateDirectory(_folder.Path);
        var path = Path.Combine(_folder.Path, Guid.NewGuid().ToString("N")[..8] + ".db");
        Sqlite(path, sql);
        return path;
    }

    static void Sqlite(string path, string sql) => SqliteScript.Run(path, sql);

    SyncOptions Options(string source, TestDatabase target, SyncDeletes deletes, bool byDiff = false, string? watermark = null) => new()
    {
        Copy = new CopyOptions
        {
            Source = source,
            Target = target.Target,
            Names = source.StartsWith("postgres", StringComparison.Ordinal) ? Ferry.Schema.NamingRule.Preserve : Ferry.Schema.NamingRule.Lower,
            RejectsDirectory = Path.Combine(_folder.Path, "rejects"),
        },
        ByDiff = byDiff,
        Watermark = watermark,
        Deletes = deletes,
    };

    static async Task<TableSyncResult> SyncAsync(SyncOptions options)
    {
        var result = await new SyncRunner(options).RunAsync(CancellationToken.None);
        var table = Assert.Single(result.Tables);
        Assert.True(result.Ok, table.Error);
        return table;
    }

    static async Task<VerifyResult> VerifyAsync(string source, TestDatabase target)
    {
        var names = source.StartsWith("postgres", StringComparison.Ordinal) ? Ferry.Schema.NamingRule.Preserve : Ferry.Schema.NamingRule.Lower;
        await using var opened = SourceFactory.Open(source, new SourceOptions { Names = names, ProfileData = false });
        return await new Verifier(target.Target, new VerifyOptions { Names = names }).VerifyAsync(opened, CancellationToken.None);
    }

    [Fact]
    public async Task A_sqlite_table_without_a_watermark_column_syncs_by_diff_and_a_rerun_changes_nothing()
    {
        var path = NewSqlite(Items);
        var source = "sqlite:" + path;
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        var first = await SyncAsync(Options(source, target, SyncDeletes.Apply));
        Assert.Equal((TableSyncResult.CopyMode, 5000L), (first.Mode, first.RowsInserted));

        Sqlite(path, """
            UPDATE items SET price = 0.5 WHERE id IN (7, 4000);
            UPDATE items SET name = 'it''s ' || id WHERE id = 123;
            INSERT INTO items VALUES (5001, 'new', 1), (6000, 'newer', NULL);
            DELETE FROM items WHERE id IN (1, 2500, 4999);
            """);
        var second = await SyncAsync(Options(source, target, SyncDeletes.Apply));
        Assert.Equal(TableSyncResult.DiffMode, second.Mode);
        Assert.Null(second.WatermarkColumn);
        Assert.Equal((2L, 3L, 3L), (second.RowsInserted, second.RowsUpdated, second.RowsDeleted));
        Assert.Equal(5L, second.RowsRead); // only the differing keys' rows are read, not the 5,000
        Assert.Equal(0.5m, await target.ScalarAsync<decimal>("SELECT price FROM items WHERE id = 4000"));
        Assert.Equal("it's 123", await target.ScalarAsync<string>("SELECT name FROM items WHERE id = 123"));
        Assert.Equal(5001L - 3 + 1, await target.ScalarAsync<long>("SELECT count(*) FROM items"));
        Assert.True((await VerifyAsync(source, target)).Ok);
        Assert.Equal("diff", await target.ScalarAsync<string>("SELECT mode FROM ferry.sync_state"));

        var again = await SyncAsync(Options(source, target, SyncDeletes.Apply));
        Assert.Equal((0L, 0L, 0L, 0L), (again.RowsRead, again.RowsInserted, again.RowsUpdated, again.RowsDeleted));
        Assert.True((await VerifyAsync(source, target)).Ok);
    }

    [Fact]
    public async Task By_diff_deletes_ignored_are_counted_and_left_until_applied()
    {
        var path = NewSqlite(Items + "ALTER TABLE items ADD COLUMN updated_at DATETIME NOT NULL DEFAULT '2026-12-01 00:00:00';");
        var source = "sqlite:" + path;
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        await SyncAsync(Options(source, target, SyncDeletes.Ignore, byDiff: true, watermark: "updated_at"));

        // The watermark column is not moved: only the diff can see this change.
        Sqlite(path, "DELETE FROM items WHERE id IN (10, 20); UPDATE items SET price = 9 WHERE id = 30;");
        var ignored = await SyncAsync(Options(source, target, SyncDeletes.Ignore, byDiff: true, watermark: "updated_at"));
        Assert.Equal(TableSyncResult.DiffMode, ignored.Mode);
        Assert.Equal((0L, 1L, 0L, 2L), (ignored.RowsInserted, ignored.RowsUpdated, ignored.RowsDeleted, ignored.DeletesPending));
        Assert.Equal(5000L, await target.ScalarAsync<long>("SELECT count(*) FROM items"));
        var verified = Assert.Single((await VerifyAsync(source, target)).Tables);
        Assert.Equal(2, verified.DifferencesTotal);
        Assert.All(verified.Differences, d => Assert.Equal(DifferenceKind.Extra, d.Kind));

        var applied = await SyncAsync(Options(source, target, SyncDeletes.Apply, byDiff: true));
        Assert.Equal((0L, 0L, 2L), (applied.RowsInserted, applied.RowsUpdated, applied.RowsDeleted));
        Assert.True((await VerifyAsync(source, target)).Ok);
    }

    [Fact]
    public async Task A_postgres_table_with_a_composite_text_key_syncs_by_diff()
    {
        await using var pg = await TestCluster.CreateDatabaseAsync("syncsrc");
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        await pg.ExecuteAsync("""
            CREATE TABLE stock (shop text, sku text, qty integer, seen timestamptz, PRIMARY KEY (shop, sku));
            INSERT INTO stock SELECT 'shop ' || (i % 7), 'sku-' || i, i, '2026-12-01 00:00+00'::timestamptz + i * interval '1 minute' FROM generate_series(1, 3000) i;
            """);
        await SyncAsync(Options(pg.Url, target, SyncDeletes.Apply, byDiff: true));

        await pg.ExecuteAsync("""
            UPDATE stock SET qty = -1 WHERE sku IN ('sku-5', 'sku-2999');
            UPDATE stock SET seen = seen + interval '1 second' WHERE sku = 'sku-77';
            INSERT INTO stock VALUES ('shop ''x''', 'sku-new', 1, NULL);
            DELETE FROM stock WHERE sku IN ('sku-100', 'sku-101');
            """);
        var second = await SyncAsync(Options(pg.Url, target, SyncDeletes.Apply, byDiff: true));
        Assert.Equal(TableSyncResult.DiffMode, second.Mode);
        Assert.Equal((1L, 3L, 2L, 4L), (second.RowsInserted, second.RowsUpdated, second.RowsDeleted, second.RowsRead));
        Assert.Equal(-1, await target.ScalarAsync<int>("SELECT qty FROM stock WHERE sku = 'sku-2999'"));
        Assert.True((await VerifyAsync(pg.Url, target)).Ok);

        var again = await SyncAsync(Options(pg.Url, target, SyncDeletes.Apply, byDiff: true));
        Assert.Equal((0L, 0L, 0L, 0L), (again.RowsRead, again.RowsInserted, again.RowsUpdated, again.RowsDeleted));
        Assert.True((await VerifyAsync(pg.Url, target)).Ok);
    }

    [Fact]
    public async Task A_column_new_in_the_source_is_added_and_its_values_applied_by_diff()
    {
        var path = NewSqlite(Items);
        var source = "sqlite:" + path;
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        await SyncAsync(Options(source, target, SyncDeletes.Apply));
        Sqlite(path, "ALTER TABLE items ADD COLUMN note TEXT; UPDATE items SET note = 'n' || id WHERE id <= 3;");

        var table = await SyncAsync(Options(source, target, SyncDeletes.Apply));
        Assert.Contains(table.Notes, n => n.StartsWith("Column note (text) is new in items", StringComparison.Ordinal));
        Assert.Equal((0L, 3L), (table.RowsInserted, table.RowsUpdated));
        Assert.Equal("n2", await target.ScalarAsync<string>("SELECT note FROM items WHERE id = 2"));
        Assert.True((await VerifyAsync(source, target)).Ok);
    }

    [Fact]
    public async Task Watermark_sync_applies_deletes_found_by_the_key_bucket_diff()
    {
        var path = NewSqlite(Items + "ALTER TABLE items ADD COLUMN version INTEGER NOT NULL DEFAULT 1;");
        var source = "sqlite:" + path;
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        await SyncAsync(Options(source, target, SyncDeletes.Apply, watermark: "version"));

        // Rows deleted across the key range, one updated, one inserted: the insert is a key the target lacks, never a delete.
        Sqlite(path, "DELETE FROM items WHERE id IN (1, 2048, 5000); UPDATE items SET name = 'x', version = 2 WHERE id = 9; INSERT INTO items VALUES (7000, 'y', 1, 2);");
        var table = await SyncAsync(Options(source, target, SyncDeletes.Apply, watermark: "version"));
        Assert.Equal(TableSyncResult.WatermarkMode, table.Mode);
        Assert.Equal((2L, 1L, 1L, 3L), (table.RowsRead, table.RowsInserted, table.RowsUpdated, table.RowsDeleted));
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM items WHERE id IN (1, 2048, 5000)"));
        Assert.True((await VerifyAsync(source, target)).Ok);

        var again = await SyncAsync(Options(source, target, SyncDeletes.Apply, watermark: "version"));
        Assert.Equal((0L, 0L, 0L), (again.RowsInserted, again.RowsUpdated, again.RowsDeleted));
    }

    [Fact]
    public async Task A_table_without_a_key_is_refused_for_a_diff_sync_naming_it()
    {
        var path = NewSqlite("CREATE TABLE log (at DATETIME NOT NULL, line TEXT); INSERT INTO log VALUES ('2026-12-01 10:00:00', 'x');");
        var source = "sqlite:" + path;
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        await SyncAsync(Options(source, target, SyncDeletes.Ignore));
        var result = await new SyncRunner(Options(source, target, SyncDeletes.Ignore)).RunAsync(CancellationToken.None);
        var table = Assert.Single(result.Tables);
        Assert.False(result.Ok);
        Assert.Contains("public.log has no primary key", table.Error, StringComparison.Ordinal);
        Assert.Contains("by diff", table.Error, StringComparison.Ordinal);
    }
}
