using Ferry.Copy;
using Ferry.Sources;
using Ferry.Sync;
using Ferry.Tests.Infrastructure;
using Ferry.Verify;
using Microsoft.Data.Sqlite;

namespace Ferry.Tests.Sync;

/// <summary>
/// A SQLite source synced by watermark into a real PostgreSQL: the first run copies, later runs carry updates, inserts and
/// (counted or applied) deletes, a re-run changes nothing, and verify finds the two sides identical after each sync.
/// </summary>
public sealed class SqliteSyncTests : IDisposable
{
    readonly TempDirectory _folder = new("ferry-sync-");

    public void Dispose() => _folder.Dispose();

    string NewSource(string sql)
    {
        Directory.CreateDirectory(_folder.Path);
        var path = Path.Combine(_folder.Path, Guid.NewGuid().ToString("N")[..8] + ".db");
        Sqlite(path, sql);
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

    const string Orders = """
        CREATE TABLE orders (id INTEGER PRIMARY KEY, customer TEXT NOT NULL, total NUMERIC(10,2), updated_at DATETIME NOT NULL);
        CREATE INDEX orders_updated ON orders (updated_at);
        INSERT INTO orders VALUES (1, 'ann', 10.50, '2026-12-01 10:00:00'), (2, 'bob', 20.00, '2026-12-01 11:00:00'), (3, 'cy', 30.25, '2026-12-01 12:00:00');
        """;

    SyncOptions Options(string path, TestDatabase target, SyncDeletes deletes = SyncDeletes.Ignore, string watermark = "updated_at", SchemaChangeRule rule = SchemaChangeRule.Add) => new()
    {
        Copy = new CopyOptions { Source = "sqlite:" + path, Target = target.Target, RejectsDirectory = Path.Combine(_folder.Path, "rejects") },
        Watermark = watermark,
        Deletes = deletes,
        OnSchemaChange = rule,
    };

    static async Task<SyncResult> SyncAsync(SyncOptions options) => await new SyncRunner(options).RunAsync(CancellationToken.None);

    static async Task<VerifyResult> VerifyAsync(string path, TestDatabase target)
    {
        await using var source = SourceFactory.Open("sqlite:" + path, new SourceOptions { ProfileData = false });
        return await new Verifier(target.Target).VerifyAsync(source, CancellationToken.None);
    }

    [Fact]
    public async Task First_run_copies_then_updates_inserts_and_applied_deletes_propagate_and_a_rerun_changes_nothing()
    {
        var path = NewSource(Orders);
        await using var target = await TestCluster.CreateDatabaseAsync("sync");

        var first = await SyncAsync(Options(path, target, SyncDeletes.Apply));
        var copied = Assert.Single(first.Tables);
        Assert.True(first.Ok, copied.Error);
        Assert.Equal(TableSyncResult.CopyMode, copied.Mode);
        Assert.Equal(3, copied.RowsInserted);
        Assert.Equal("2026-12-01 12:00:00", copied.WatermarkAfter);
        Assert.True((await VerifyAsync(path, target)).Ok);

        Sqlite(path, """
            UPDATE orders SET total = 99.99, updated_at = '2026-12-02 09:00:00' WHERE id = 1;
            INSERT INTO orders VALUES (4, 'dee', 40.00, '2026-12-02 09:30:00');
            DELETE FROM orders WHERE id = 2;
            """);
        var second = Assert.Single((await SyncAsync(Options(path, target, SyncDeletes.Apply))).Tables);
        Assert.True(second.Ok, second.Error);
        Assert.Equal(TableSyncResult.WatermarkMode, second.Mode);
        Assert.Equal((1, 1, 1), (second.RowsInserted, second.RowsUpdated, second.RowsDeleted));
        Assert.Equal("2026-12-01 12:00:00", second.WatermarkBefore);
        Assert.Equal("2026-12-02 09:30:00", second.WatermarkAfter);
        Assert.Equal(3, second.RowsRead); // the two changed, and row 3 (12:00) again: the overlap reaches back five minutes
        Assert.Equal(99.99m, await target.ScalarAsync<decimal>("SELECT total FROM orders WHERE id = 1"));
        Assert.True((await VerifyAsync(path, target)).Ok);

        var again = Assert.Single((await SyncAsync(Options(path, target, SyncDeletes.Apply))).Tables);
        Assert.True(again.Ok, again.Error);
        Assert.Equal((0, 0, 0), (again.RowsInserted, again.RowsUpdated, again.RowsDeleted));
        Assert.True((await VerifyAsync(path, target)).Ok);
        Assert.Equal("2026-12-02 09:30:00", await target.ScalarAsync<string>("SELECT watermark FROM ferry.sync_state"));
    }

    [Fact]
    public async Task Deletes_ignored_are_counted_as_pending_and_left_in_place()
    {
        var path = NewSource(Orders);
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        Assert.True((await SyncAsync(Options(path, target))).Ok);

        Sqlite(path, "DELETE FROM orders WHERE id IN (1, 3); INSERT INTO orders VALUES (5, 'eve', 5.00, '2026-12-03 08:00:00');");
        var table = Assert.Single((await SyncAsync(Options(path, target))).Tables);
        Assert.True(table.Ok, table.Error);
        Assert.Equal((1, 0, 0), (table.RowsInserted, table.RowsUpdated, table.RowsDeleted));
        Assert.Equal(2, table.DeletesPending);
        Assert.Equal(4, await target.ScalarAsync<long>("SELECT count(*) FROM orders"));
        Assert.Equal(2, await target.ScalarAsync<long>("SELECT deletes_pending FROM ferry.sync_state"));

        var applied = Assert.Single((await SyncAsync(Options(path, target, SyncDeletes.Apply))).Tables);
        Assert.Equal(2, applied.RowsDeleted);
        Assert.True((await VerifyAsync(path, target)).Ok);
    }

    [Fact]
    public async Task An_integer_watermark_reads_above_the_last_value()
    {
        var path = NewSource("""
            CREATE TABLE events (id INTEGER PRIMARY KEY, version INTEGER NOT NULL, body TEXT);
            INSERT INTO events VALUES (1, 1, 'a'), (2, 2, 'b');
            """);
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        Assert.True((await SyncAsync(Options(path, target, watermark: "version"))).Ok);

        Sqlite(path, "UPDATE events SET body = 'a2', version = 3 WHERE id = 1; INSERT INTO events VALUES (3, 4, 'c');");
        var table = Assert.Single((await SyncAsync(Options(path, target, watermark: "version"))).Tables);
        Assert.True(table.Ok, table.Error);
        Assert.Equal(2, table.RowsRead);
        Assert.Equal((1, 1), (table.RowsInserted, table.RowsUpdated));
        Assert.Equal(("2", "4"), (table.WatermarkBefore, table.WatermarkAfter));
        Assert.True((await VerifyAsync(path, target)).Ok);
    }

    [Fact]
    public async Task A_new_source_column_is_added_under_add_and_stops_the_table_under_fail()
    {
        var path = NewSource(Orders);
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        Assert.True((await SyncAsync(Options(path, target))).Ok);
        Sqlite(path, "ALTER TABLE orders ADD COLUMN note TEXT; UPDATE orders SET note = 'late', updated_at = '2026-12-04 00:00:00' WHERE id = 3;");

        var failed = await SyncAsync(Options(path, target, rule: SchemaChangeRule.Fail));
        var stopped = Assert.Single(failed.Tables);
        Assert.False(failed.Ok);
        Assert.Contains("column note (text) is new in orders", stopped.Error, StringComparison.Ordinal);
        Assert.Contains("ALTER TABLE", stopped.Error, StringComparison.Ordinal);
        Assert.Equal("2026-12-01 12:00:00", await target.ScalarAsync<string>("SELECT watermark FROM ferry.sync_state"));
        Assert.NotNull(await target.ScalarAsync<string>("SELECT last_error FROM ferry.sync_state"));

        var added = Assert.Single((await SyncAsync(Options(path, target))).Tables);
        Assert.True(added.Ok, added.Error);
        Assert.Contains(added.Notes, n => n.Contains("Column note (text) is new", StringComparison.Ordinal));
        Assert.Equal("late", await target.ScalarAsync<string>("SELECT note FROM orders WHERE id = 3"));
        Assert.True(await target.ScalarAsync<bool>("SELECT last_error IS NULL FROM ferry.sync_state"));
    }

    [Fact]
    public async Task A_dropped_source_column_stops_the_table_naming_it()
    {
        var path = NewSource(Orders);
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        Assert.True((await SyncAsync(Options(path, target))).Ok);
        Sqlite(path, "ALTER TABLE orders DROP COLUMN total;");

        var table = Assert.Single((await SyncAsync(Options(path, target))).Tables);
        Assert.False(table.Ok);
        Assert.Contains("column total of public.orders is no longer in orders", table.Error, StringComparison.Ordinal);
        Assert.Contains("DROP COLUMN total", table.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_without_a_key_is_refused_for_incremental_sync()
    {
        var path = NewSource("CREATE TABLE log (at DATETIME NOT NULL, line TEXT); INSERT INTO log VALUES ('2026-12-01 10:00:00', 'x');");
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        Assert.True((await SyncAsync(Options(path, target, watermark: "at"))).Ok);
        var table = Assert.Single((await SyncAsync(Options(path, target, watermark: "at"))).Tables);
        Assert.False(table.Ok);
        Assert.Contains("public.log has no primary key", table.Error, StringComparison.Ordinal);
        Assert.Contains("--by-diff", table.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_new_parent_row_is_applied_before_the_child_rows_that_reference_it()
    {
        var path = NewSource("""
            CREATE TABLE b_parent (id INTEGER PRIMARY KEY, name TEXT, updated_at DATETIME NOT NULL);
            CREATE TABLE a_child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES b_parent (id), updated_at DATETIME NOT NULL);
            INSERT INTO b_parent VALUES (1, 'p1', '2026-12-01 10:00:00');
            INSERT INTO a_child VALUES (1, 1, '2026-12-01 10:00:00');
            """);
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        Assert.True((await SyncAsync(Options(path, target))).Ok);
        Assert.Equal(1, await target.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'a_child'::regclass"));

        Sqlite(path, "INSERT INTO b_parent VALUES (2, 'p2', '2026-12-02 10:00:00'); INSERT INTO a_child VALUES (2, 2, '2026-12-02 10:00:00');");
        var result = await SyncAsync(Options(path, target));
        Assert.True(result.Ok, string.Join("; ", result.Tables.Select(t => t.Error)));
        Assert.All(result.Tables, t => Assert.Equal(1, t.RowsInserted));
        Assert.True((await VerifyAsync(path, target)).Ok);
    }

    [Fact]
    public async Task A_table_whose_first_copy_profiled_its_types_is_profiled_again_rather_than_taken_as_retyped()
    {
        // qty is declared INTEGER but holds 2.5: the first copy's profile makes it numeric.
        var path = NewSource("""
            CREATE TABLE stock (id INTEGER PRIMARY KEY, qty INTEGER, updated_at DATETIME NOT NULL);
            INSERT INTO stock VALUES (1, 2.5, '2026-12-01 10:00:00'), (2, 3, '2026-12-01 11:00:00');
            """);
        await using var target = await TestCluster.CreateDatabaseAsync("sync");
        Assert.True((await SyncAsync(Options(path, target))).Ok);
        Assert.Equal("numeric", await target.ScalarAsync<string>("SELECT data_type FROM information_schema.columns WHERE table_name = 'stock' AND column_name = 'qty'"));

        Sqlite(path, "UPDATE stock SET qty = 4, updated_at = '2026-12-02 10:00:00' WHERE id = 2;");
        var table = Assert.Single((await SyncAsync(Options(path, target))).Tables);
        Assert.True(table.Ok, table.Error);
        Assert.Equal(1, table.RowsUpdated);
        Assert.Contains(table.Notes, n => n.StartsWith("Read again after profiling", StringComparison.Ordinal));
        Assert.True((await VerifyAsync(path, target)).Ok);
    }
}
