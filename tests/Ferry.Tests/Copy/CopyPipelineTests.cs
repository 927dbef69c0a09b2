using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Ferry.Copy;
using Ferry.Schema;
using Ferry.Tests.Infrastructure;
using NpgsqlTypes;
using static Ferry.Tests.Copy.FakeSource;

namespace Ferry.Tests.Copy;

public sealed class CopyPipelineTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "ferry-copy-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, true);
    }

    CopyOptions Options(TestDatabase db, string source = "fake:test") => new()
    {
        Source = source,
        Target = db.Target,
        RejectsDirectory = Path.Combine(_dir, "rejects"),
        Jobs = 2,
    };

    static TableModel Table(string name, params ColumnModel[] columns) => new() { SourceName = name, Columns = [.. columns] };

    [Fact]
    public async Task Every_type_arrives_through_its_binary_writer()
    {
        var mood = PgType.EnumOf("public.mood");
        var table = Table("AllTypes",
            Column("Id", PgType.BigInt, notNull: true),
            Column("Flag", PgType.Boolean),
            Column("Small", PgType.SmallInt),
            Column("Int", PgType.Integer),
            Column("Money", PgType.NumericOf(10, 2)),
            Column("Huge", PgType.Numeric),
            Column("Single", PgType.Real),
            Column("Double", PgType.DoublePrecision),
            Column("Name", PgType.Text),
            Column("Code", PgType.VarcharOf(5)),
            Column("Fixed", PgType.CharOf(3)),
            Column("Blob", PgType.Bytea),
            Column("Day", PgType.Date),
            Column("At", PgType.Time),
            Column("AtTz", PgType.TimeTz),
            Column("Stamp", PgType.Timestamp),
            Column("StampTz", PgType.TimestampTz),
            Column("Span", PgType.Interval),
            Column("Guid", PgType.Uuid),
            Column("Doc", PgType.Json),
            Column("DocB", PgType.Jsonb),
            Column("Bits", new PgType(PgTypeKind.Bit, length: 3)),
            Column("VarBits", new PgType(PgTypeKind.VarBit)),
            Column("Mood", mood),
            Column("Numbers", PgType.ArrayOf(PgType.BigInt)),
            Column("Tags", PgType.ArrayOf(PgType.Text)));
        table.PrimaryKey = new KeyModel(null, ["Id"]);
        var guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var source = new FakeSource("fake:types", new FakeTable(table, 2, (id, s) =>
        {
            var c = 0;
            s.SetInt64(c++, id);
            if (id == 2)
            {
                for (; c < table.Columns.Count; c++)
                    s.SetNull(c);
                return;
            }

            s.SetBoolean(c++, true);
            s.SetInt16(c++, -7);
            s.SetInt32(c++, 123456);
            s.SetDecimal(c++, 12345678.91m);
            s.SetNumericText(c++, "170141183460469231731687303715884105727");
            s.SetFloat4(c++, 1.5f);
            s.SetFloat8(c++, 0.1);
            s.SetTextUtf8(c++, "naïve ☃"u8);
            s.SetText(c++, "abc  ");
            s.SetTextUtf8(c++, "xy"u8);
            s.SetBytes(c++, [0, 1, 254, 255]);
            s.SetDate(c++, new DateOnly(2024, 2, 29));
            s.SetTime(c++, new TimeSpan(0, 13, 14, 15, 123));
            s.SetTimeTz(c++, new DateTimeOffset(1, 1, 2, 10, 0, 0, TimeSpan.FromHours(2)));
            s.SetTimestamp(c++, new DateTime(2009, 1, 1, 0, 0, 0, DateTimeKind.Unspecified));
            s.SetTimestampTz(c++, new DateTime(2020, 5, 6, 7, 8, 9, DateTimeKind.Utc));
            s.SetInterval(c++, new NpgsqlInterval(1, 2, 3_000_000));
            s.SetUuid(c++, guid);
            s.SetText(c++, "{\"a\": [1, 2]}");
            s.SetTextUtf8(c++, "{\"b\": true}"u8);
            s.SetBits(c++, new BitArray(new[] { true, false, true }));
            s.SetBits(c++, new BitArray(new[] { true, true }));
            s.SetText(c++, "happy");
            s.SetArray(c++, new long[] { 1, 2, 3 });
            s.SetArray(c++, new[] { "a", null, "c" });
        }));
        source.Enums.Add(new EnumModel("public", "mood", ["sad", "happy"]));
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await new CopyRunner(Options(db)).RunAsync(source, default);

        Assert.True(result.Ok, string.Join("\n", result.Failures.Concat(result.Warnings)));
        var t = Assert.Single(result.Tables);
        Assert.Equal((2, 2, 0), (t.RowsRead, t.RowsWritten, t.RowsRejected));
        var text = await db.RowsAsync("""
            SELECT flag::text, small::text, "int"::text, money::text, huge::text, single::text, double::text, name, code, fixed::text,
                   encode(blob, 'hex'), day::text, "at"::text, attz::text, stamp::text, stamptz AT TIME ZONE 'UTC', span::text, guid::text,
                   doc::text, docb::text, bits::text, varbits::text, mood::text, numbers::text, tags::text
            FROM alltypes WHERE id = 1
            """);
        Assert.Equal(
            ["true", "-7", "123456", "12345678.91", "170141183460469231731687303715884105727", "1.5", "0.1", "naïve ☃", "abc  ", "xy",
             "0001feff", "2024-02-29", "13:14:15.123", "10:00:00+02", "2009-01-01 00:00:00", new DateTime(2020, 5, 6, 7, 8, 9), "1 mon 2 days 00:00:03",
             guid.ToString(), "{\"a\": [1, 2]}", "{\"b\": true}", "101", "11", "happy", "{1,2,3}", "{a,NULL,c}"],
            text[0]);
        Assert.Equal(25, (await db.RowsAsync("SELECT * FROM alltypes WHERE id = 2"))[0].Count(v => v is null));
        Assert.Equal("numeric(10,2)", await db.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'alltypes'::regclass AND attname = 'money'"));
    }

    [Fact]
    public async Task Bad_rows_are_rejected_one_by_one_and_the_good_rows_land()
    {
        // 25,000 rows in batches of 1,000: conversion rejects (reader), pre-checks (NUL, varchar(n), numeric(p,s)),
        // and rows only PostgreSQL refuses (invalid JSON, a CHECK), isolated by splitting their batch.
        var table = Table("Events",
            Column("Id", PgType.BigInt, notNull: true),
            Column("Label", PgType.VarcharOf(8)),
            Column("Amount", PgType.NumericOf(5, 2)),
            Column("Payload", PgType.Json),
            Column("Qty", PgType.Integer));
        table.PrimaryKey = new KeyModel(null, ["Id"]);
        table.Checks.Add(new CheckModel("qty_positive", "qty >= 0"));
        var bad = new Dictionary<long, string>
        {
            [17] = "lots-of-it",
            [2_500] = "NUL",
            [2_501] = "NUL",
            [9_000] = "too long for varchar(8)",
            [9_001] = "too long for varchar(8)",
            [12_345] = "numeric field overflow",
            [18_000] = "invalid input syntax for type json",
            [18_001] = "qty_positive",
            [24_999] = "invalid input syntax for type json",
        };
        var source = new FakeSource("fake:events", new FakeTable(table, 25_000, (id, s) =>
        {
            s.SetInt64(0, id);
            if (id == 17)
                s.Reject(4, "lots-of-it", "TEXT 'lots-of-it' is not an integer");
            // Odd rows give their label as UTF-8 bytes, even rows as a string: both are checked alike.
            var label = id switch { 2_500 or 2_501 => "a\0b", 9_000 or 9_001 => "too long for varchar(8)", 3_001 => "ééééééé€", _ => "ok" };
            if (id % 2 == 1)
                s.SetTextUtf8(1, Encoding.UTF8.GetBytes(label));
            else
                s.SetText(1, label);
            s.SetDecimal(2, id == 12_345 ? 1000m : 999.994m);
            s.SetText(3, id is 18_000 or 24_999 ? "{not json" : "{\"n\": 1}");
            if (id != 17)
                s.SetInt32(4, id == 18_001 ? -1 : 1);
        }));
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await new CopyRunner(Options(db) with { BatchRows = 1_000 }).RunAsync(source, default);

        Assert.False(result.Ok);
        var t = Assert.Single(result.Tables);
        Assert.Equal((25_000L, 25_000L - bad.Count, (long)bad.Count), (t.RowsRead, t.RowsWritten, t.RowsRejected));
        Assert.Equal(25_000L - bad.Count, await db.ScalarAsync<long>("SELECT count(*) FROM events"));
        Assert.Equal(0L, await db.ScalarAsync<long>($"SELECT count(*) FROM events WHERE id IN ({string.Join(",", bad.Keys)})"));
        Assert.Equal(Path.Combine(_dir, "rejects", "events.jsonl"), t.RejectFile);
        var lines = File.ReadAllLines(t.RejectFile!).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(bad.Count, lines.Count);
        foreach (var (id, reason) in bad)
        {
            var line = Assert.Single(lines, l => l.GetProperty("key").GetProperty("id").GetString() == id.ToString(CultureInfo.InvariantCulture));
            Assert.Equal("Events", line.GetProperty("table").GetString());
            Assert.Contains(reason, line.GetProperty("reason").GetString()!, StringComparison.OrdinalIgnoreCase);
        }

        var json = Assert.Single(lines, l => l.GetProperty("key").GetProperty("id").GetString() == "18000");
        Assert.Equal("Payload", json.GetProperty("column").GetString());
        Assert.Equal("{not json", json.GetProperty("value").GetString());
        Assert.Equal("lots-of-it", Assert.Single(lines, l => l.GetProperty("key").GetProperty("id").GetString() == "17").GetProperty("value").GetString());
        Assert.Equal(999.99m, await db.ScalarAsync<decimal>("SELECT amount FROM events WHERE id = 1"));

        // Eight characters in 17 bytes fit varchar(8); no rejected row's bytes shifted another row's label.
        Assert.Equal("ééééééé€", await db.ScalarAsync<string>("SELECT label FROM events WHERE id = 3001"));
        Assert.Equal(25_000L - bad.Count - 1, await db.ScalarAsync<long>("SELECT count(*) FROM events WHERE label = 'ok'"));
    }

    [Fact]
    public async Task Repaired_values_are_logged_and_the_row_is_kept()
    {
        var table = Table("Notes", Column("Id", PgType.BigInt), Column("Body", PgType.Text));
        var source = new FakeSource("fake:notes", new FakeTable(table, 3, (id, s) =>
        {
            s.SetInt64(0, id);
            if (id == 2)
                s.NoteRepair(1, "\\x63616fe9", "invalid UTF-8 decoded as Windows-1252");
            s.SetText(1, id == 2 ? "caoé" : "fine");
        }));
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await new CopyRunner(Options(db)).RunAsync(source, default);

        Assert.True(result.Ok);
        var t = Assert.Single(result.Tables);
        Assert.Equal((3L, 1L), (t.RowsWritten, t.RowsRepaired));
        var repair = JsonDocument.Parse(Assert.Single(File.ReadAllLines(Path.Combine(_dir, "rejects", "notes.repairs.jsonl")))).RootElement;
        Assert.Equal("2", repair.GetProperty("key").GetProperty("row").GetString());
        Assert.Equal("Body", repair.GetProperty("column").GetString());
        Assert.Equal("caoé", await db.ScalarAsync<string>("SELECT body FROM notes WHERE id = 2"));
    }

    /// <summary>Customers and orders: identities, keys, an index, a foreign key, views (one broken, one untranslated); <paramref name="more"/> tables after them.</summary>
    internal static FakeSource Shop(int orphans = 0, params FakeTable[] more)
    {
        var customer = Table("Customer", Column("CustomerId", PgType.BigInt, notNull: true), Column("Name", PgType.Text, notNull: true), Column("Email", PgType.VarcharOf(100)));
        customer.PrimaryKey = new KeyModel(null, ["CustomerId"]);
        customer.Columns[0] = new ColumnModel { SourceName = "CustomerId", SourceType = "BIGINT", Type = PgType.BigInt, NotNull = true, Rule = "test", Identity = true, IdentityLast = 499 };
        customer.UniqueKeys.Add(new KeyModel(null, ["Email"]));
        customer.Indexes.Add(new IndexModel("IFK_CustomerName", ["name"], Unique: false));
        customer.EstimatedRows = 300;
        var order = Table("Order", Column("OrderId", PgType.BigInt, notNull: true), Column("CustomerId", PgType.BigInt), Column("Total", PgType.NumericOf(10, 2)));
        order.PrimaryKey = new KeyModel(null, ["OrderId"]);
        order.Columns[0].Identity = true;
        order.ForeignKeys.Add(new ForeignKeyModel(null, ["CustomerId"], null, "Customer", ["CustomerId"], OnDelete: "CASCADE"));
        order.EstimatedRows = 1_000;
        var source = new FakeSource("fake:shop", [
            new FakeTable(customer, 300, (id, s) =>
            {
                s.SetInt64(0, id);
                s.SetText(1, "Customer " + id);
                s.SetText(2, $"c{id}@example.com");
            }),
            new FakeTable(order, 1_000, (id, s) =>
            {
                s.SetInt64(0, id);
                s.SetInt64(1, id <= orphans ? 10_000 + id : ((id - 1) % 300) + 1);
                s.SetDecimal(2, id / 4m);
            }),
            .. more]);
        source.Views.Add(new ViewModel { SourceName = "BigOrders", SourceSql = "…", TargetSql = "SELECT orderid, total FROM public.\"order\" WHERE total > 100" });
        source.Views.Add(new ViewModel { SourceName = "Broken", SourceSql = "…", TargetSql = "SELECT nosuchcolumn FROM public.customer" });
        source.Views.Add(new ViewModel { SourceName = "Untranslated", SourceSql = "SELECT julianday('now')", Problem = "julianday() has no PostgreSQL equivalent" });
        return source;
    }

    [Fact]
    public async Task Keys_indexes_foreign_keys_identities_and_views_come_along()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await new CopyRunner(Options(db) with { Jobs = 3 }).RunAsync(Shop(), default);

        Assert.True(result.Ok, string.Join("\n", result.Failures));
        Assert.Equal(["public.customer", "public.order"], result.Tables.Select(t => t.Target));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'p' AND connamespace = 'public'::regnamespace"));
        Assert.True(await db.ScalarAsync<bool>("SELECT convalidated FROM pg_constraint WHERE conname = 'order_customerid_fkey'"));
        Assert.Equal("c", await db.ScalarAsync<string>("SELECT confdeltype::text FROM pg_constraint WHERE conname = 'order_customerid_fkey'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'ifk_customername'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE conname = 'customer_email_key'"));
        // Identity: past the copied maximum, and past the source's floor.
        Assert.Equal(1001L, await db.ScalarAsync<long>("INSERT INTO \"order\" (customerid, total) VALUES (1, 1) RETURNING orderid"));
        Assert.Equal(500L, await db.ScalarAsync<long>("INSERT INTO customer (name) VALUES ('x') RETURNING customerid"));
        Assert.Equal(await db.ScalarAsync<long>("SELECT count(*) FROM \"order\" WHERE total > 100"), await db.ScalarAsync<long>("SELECT count(*) FROM bigorders"));
        Assert.Contains(result.Warnings, w => w.Contains("view Broken was not created", StringComparison.Ordinal) && w.Contains("nosuchcolumn", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("Untranslated", StringComparison.Ordinal) && w.Contains("julianday", StringComparison.Ordinal));
        Assert.Equal(125_125m + 1m, await db.ScalarAsync<decimal>("SELECT sum(total) FROM \"order\""));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM ferry.copy_state WHERE source = 'fake:shop' AND status = 'loaded'"));
    }

    [Fact]
    public async Task Orphans_keep_the_foreign_key_not_valid_and_are_reported()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await new CopyRunner(Options(db)).RunAsync(Shop(orphans: 3), default);

        Assert.False(result.Ok);
        Assert.Equal(0, result.RowsRejected);
        var orphans = Assert.Single(result.Orphans);
        Assert.Equal(("public.order", "order_customerid_fkey", "public.customer", 3L), (orphans.Table, orphans.Constraint, orphans.ReferencedTable, orphans.Rows));
        Assert.Equal(["10001", "10002", "10003"], orphans.Keys);
        Assert.False(await db.ScalarAsync<bool>("SELECT convalidated FROM pg_constraint WHERE conname = 'order_customerid_fkey'"));
        Assert.Equal(1_000L, await db.ScalarAsync<long>("SELECT count(*) FROM \"order\""));
    }

    [Fact]
    public async Task Large_tables_are_split_into_ranges_across_jobs()
    {
        var table = Table("Big", Column("Id", PgType.BigInt), Column("V", PgType.DoublePrecision));
        table.EstimatedRows = 50_000;
        var source = new FakeSource("fake:big", new FakeTable(table, 50_000, (id, s) =>
        {
            s.SetInt64(0, id);
            s.SetFloat8(1, id * 0.5);
        }));
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await new CopyRunner(Options(db) with { Jobs = 3, SplitAboveRows = 10_000, BatchRows = 4_000 }).RunAsync(source, default);

        Assert.True(result.Ok);
        Assert.Equal(3, source.ReadersOpened);
        Assert.Equal(50_000L, Assert.Single(result.Tables).RowsWritten);
        Assert.Equal(50_000L * 50_001 / 2, await db.ScalarAsync<long>("SELECT sum(id) FROM big"));
        Assert.Equal(50_000L, await db.ScalarAsync<long>("SELECT count(DISTINCT id) FROM big"));
    }

    [Fact]
    public async Task Resume_keeps_finished_tables_and_reloads_the_unfinished_one()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        var crashing = Shop();
        string? whileLoading = null;
        crashing.BeforeRow = (table, id) =>
        {
            if (table == "Customer" && id == 250)
            {
                whileLoading = db.ScalarAsync<string>("SELECT array_to_string(reloptions, ',') FROM pg_class WHERE relname = 'customer'").GetAwaiter().GetResult();
                throw new IOException("disk went away");
            }
        };

        var crash = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(Options(db) with { Jobs = 1, BatchRows = 100 }).RunAsync(crashing, default));

        Assert.Contains("disk went away", crash.Message, StringComparison.Ordinal);
        Assert.Equal("loaded", await db.ScalarAsync<string>("SELECT status FROM ferry.copy_state WHERE table_name = 'public.order'"));
        Assert.Equal("loading", await db.ScalarAsync<string>("SELECT status FROM ferry.copy_state WHERE table_name = 'public.customer'"));
        Assert.Equal(200L, await db.ScalarAsync<long>("SELECT count(*) FROM customer"));
        // Autovacuum was off for the tables while they loaded; the failed run turned it back on.
        Assert.Equal("autovacuum_enabled=off", whileLoading);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('customer', 'order') AND reloptions IS NULL"));
        // A killed run cannot: it leaves autovacuum off, for the resumed run to turn on.
        await db.ExecuteAsync("ALTER TABLE customer SET (autovacuum_enabled = off); ALTER TABLE \"order\" SET (autovacuum_enabled = off, toast.autovacuum_enabled = off)");

        var refused = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(Options(db)).RunAsync(Shop(), default));
        Assert.Equal(FailureKind.Configuration, refused.Kind);
        Assert.Contains("--resume", refused.Message, StringComparison.Ordinal);

        var resumed = Shop();
        var result = await new CopyRunner(Options(db) with { Resume = true }).RunAsync(resumed, default);

        Assert.True(result.Ok, string.Join("\n", result.Failures));
        Assert.Equal(1, resumed.ReadersOpened);
        Assert.True(result.Tables.Single(t => t.Target == "public.order").Resumed);
        Assert.Equal(300L, result.Tables.Single(t => t.Target == "public.customer").RowsWritten);
        Assert.Equal(300L, await db.ScalarAsync<long>("SELECT count(*) FROM customer"));
        Assert.Equal(1_000L, await db.ScalarAsync<long>("SELECT count(*) FROM \"order\""));
        Assert.True(await db.ScalarAsync<bool>("SELECT convalidated FROM pg_constraint WHERE conname = 'order_customerid_fkey'"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM ferry.copy_state WHERE status = 'loaded'"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('customer', 'order') AND reloptions IS NULL"));
    }

    [Fact]
    public async Task Cancellation_leaves_the_table_unfinished()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var cancel = new CancellationTokenSource();
        var source = Shop();
        source.BeforeRow = (table, id) =>
        {
            if (table == "Order" && id == 600)
                cancel.Cancel();
        };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new CopyRunner(Options(db) with { Jobs = 1, BatchRows = 100 }).RunAsync(source, cancel.Token));

        Assert.Equal("loading", await db.ScalarAsync<string>("SELECT status FROM ferry.copy_state WHERE table_name = 'public.order'"));
        var result = await new CopyRunner(Options(db) with { Resume = true }).RunAsync(Shop(), default);
        Assert.True(result.Ok);
        Assert.Equal(1_000L, await db.ScalarAsync<long>("SELECT count(*) FROM \"order\""));
    }

    [Fact]
    public async Task Resume_never_empties_tables_no_copy_created()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE customer (customerid bigint, name text, email text); INSERT INTO customer VALUES (1, 'mine', NULL)");

        var e = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(Options(db) with { Resume = true }).RunAsync(Shop(), default));

        Assert.Equal(FailureKind.Configuration, e.Kind);
        Assert.Contains("no earlier copy of fake:shop", e.Message, StringComparison.Ordinal);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM customer"));
    }

    [Fact]
    public async Task Replace_drops_and_copies_again()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        await new CopyRunner(Options(db)).RunAsync(Shop(), default);
        await db.ExecuteAsync("DELETE FROM \"order\" WHERE orderid > 10");

        var result = await new CopyRunner(Options(db) with { Replace = true }).RunAsync(Shop(), default);

        Assert.True(result.Ok);
        Assert.Equal(1_000L, await db.ScalarAsync<long>("SELECT count(*) FROM \"order\""));
    }

    [Fact]
    public async Task Replace_refuses_to_drop_what_depends_on_the_copy_from_outside_it()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        await new CopyRunner(Options(db)).RunAsync(Shop(), default);
        await db.ExecuteAsync("""
            CREATE TABLE invoice (id bigint PRIMARY KEY, customerid bigint REFERENCES customer (customerid));
            INSERT INTO invoice VALUES (1, 1);
            CREATE VIEW customer_names AS SELECT name FROM customer;
            """);
        await db.ExecuteAsync("DELETE FROM \"order\" WHERE orderid > 10");

        var e = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(Options(db) with { Replace = true }).RunAsync(Shop(), default));

        Assert.Equal(FailureKind.Configuration, e.Kind);
        Assert.Contains("--replace would also drop", e.Message, StringComparison.Ordinal);
        Assert.Contains("invoice_customerid_fkey on table invoice depends on table customer", e.Message, StringComparison.Ordinal);
        Assert.Contains("view customer_names depends on table customer", e.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was dropped or written", e.Message, StringComparison.Ordinal);
        // Nothing was dropped: the copy's own view and the half-emptied table are as they were.
        Assert.Equal(10L, await db.ScalarAsync<long>("SELECT count(*) FROM \"order\""));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_views WHERE viewname = 'bigorders'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM invoice JOIN customer USING (customerid)"));

        // Once the outside dependents are gone, --replace copies again.
        await db.ExecuteAsync("DROP VIEW customer_names; DROP TABLE invoice");
        var result = await new CopyRunner(Options(db) with { Replace = true }).RunAsync(Shop(), default);
        Assert.True(result.Ok);
        Assert.Equal(1_000L, await db.ScalarAsync<long>("SELECT count(*) FROM \"order\""));
    }

    [Fact]
    public async Task A_unique_key_the_data_breaks_is_a_failure_naming_the_duplicated_value()
    {
        var table = Table("People", Column("Id", PgType.BigInt, notNull: true), Column("Email", PgType.Text));
        table.PrimaryKey = new KeyModel(null, ["Id"]);
        table.UniqueKeys.Add(new KeyModel(null, ["Email"]));
        var source = new FakeSource("fake:people", new FakeTable(table, 3, (id, s) =>
        {
            s.SetInt64(0, id);
            s.SetText(1, id == 3 ? "a@example.com" : $"{id}@example.com".Replace("1@", "a@", StringComparison.Ordinal));
        }));
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await new CopyRunner(Options(db)).RunAsync(source, default);

        Assert.False(result.Ok);
        var failure = Assert.Single(result.Failures);
        Assert.Contains("public.people: constraint people_email_key was not created", failure, StringComparison.Ordinal);
        Assert.Contains("Key (email)=(a@example.com) is duplicated.", failure, StringComparison.Ordinal);
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM people"));
    }

    [Fact]
    public async Task Names_that_collide_are_refused_before_anything_is_written()
    {
        var longA = new string('a', 62) + "_first";
        var longB = new string('a', 62) + "_second";
        var source = new FakeSource("fake:names",
            new FakeTable(Table("Users", Column("id", PgType.BigInt)), 1, (_, s) => s.SetInt64(0, 1)),
            new FakeTable(Table("users", Column("id", PgType.BigInt)), 1, (_, s) => s.SetInt64(0, 1)),
            new FakeTable(Table("wide", Column(longA, PgType.BigInt), Column(longB, PgType.BigInt)), 1, (_, s) => { }));
        await using var db = await TestCluster.CreateDatabaseAsync();

        var e = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(Options(db)).RunAsync(source, default));

        Assert.Equal(FailureKind.Configuration, e.Kind);
        Assert.Contains("'Users' and table 'users'", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'wide.{longA}' and 'wide.{longB}'", e.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Fact]
    public async Task Dry_run_prints_the_mapping_and_the_ddl_and_writes_nothing()
    {
        var source = Shop();
        var options = new CopyOptions
        {
            Source = "fake:shop",
            DryRun = true,
            Names = NamingRule.Snake,
            TargetSchema = "shop",
            Casts = CopyOptions.ParseCasts(["order.total=numeric(12,2)"]),
        };

        var result = await new CopyRunner(options).RunAsync(source, default);

        var script = result.Plan.Script();
        Assert.Contains("CREATE SCHEMA IF NOT EXISTS shop;", script, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE shop.\"order\" (\n    order_id bigint GENERATED BY DEFAULT AS IDENTITY NOT NULL,", script, StringComparison.Ordinal);
        Assert.Contains("total numeric(12,2)", script, StringComparison.Ordinal);
        Assert.Contains("ALTER TABLE shop.\"order\" ADD CONSTRAINT order_pkey PRIMARY KEY (order_id);", script, StringComparison.Ordinal);
        Assert.Contains("FOREIGN KEY (customer_id) REFERENCES shop.customer (customer_id) ON DELETE CASCADE ON UPDATE NO ACTION NOT VALID;", script, StringComparison.Ordinal);
        Assert.Contains("ALTER TABLE shop.\"order\" VALIDATE CONSTRAINT order_customer_id_fkey;", script, StringComparison.Ordinal);
        Assert.Contains("CREATE VIEW shop.big_orders AS", script, StringComparison.Ordinal);
        var (create, pause, data) = (script.IndexOf("CREATE TABLE shop.\"order\"", StringComparison.Ordinal),
            script.IndexOf("ALTER TABLE shop.\"order\" SET (autovacuum_enabled = off, toast.autovacuum_enabled = off);", StringComparison.Ordinal),
            script.IndexOf("-- data:", StringComparison.Ordinal));
        Assert.True(create >= 0 && create < pause && pause < data, script);
        Assert.Contains("ANALYZE shop.\"order\";\nALTER TABLE IF EXISTS shop.\"order\" RESET (autovacuum_enabled, toast.autovacuum_enabled);", script, StringComparison.Ordinal);
        var total = Assert.Single(result.Plan.Mapping, m => m.Column == "Total");
        Assert.Equal(("Order", "shop.order.total", "numeric(12,2)", "--cast Order.Total=numeric(12,2)"), (total.Table, total.Target, total.TargetType, total.Rule));
        Assert.Empty(result.Tables);
        Assert.Equal(0, source.ReadersOpened);
    }
}
