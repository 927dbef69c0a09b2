using System.Text.Json;
using Ferry.Schema;
using Ferry.Tests.Infrastructure;
using Ferry.Verify;
using Npgsql;

namespace Ferry.Tests.Verify;

/// <summary>The verifier against a real PostgreSQL target loaded with the test source's rows (as a copy would).</summary>
public sealed class VerifierTests
{
    static readonly (string, PgType)[] ItemColumns =
    [
        ("Id", PgType.Integer), ("Name", PgType.Text), ("Price", PgType.NumericOf(10, 2)), ("Weight", PgType.DoublePrecision),
        ("Added", PgType.Timestamp), ("Tags", PgType.ArrayOf(PgType.Text)), ("Meta", PgType.Jsonb), ("Active", PgType.Boolean),
    ];

    static object?[][] Items(int count) =>
    [
        .. Enumerable.Range(1, count).Select(i => new object?[]
        {
            i, i % 7 == 0 ? null : $"item|{i}", i * 1.25m, i / 3.0, new DateTime(2024, 1, 1).AddMinutes(i * 37.5),
            i % 5 == 0 ? null : new string?[] { "a", $"b {i}", null }, $"{{\"n\": {i}, \"k\": [1.50, \"x\"]}}", i % 2 == 0,
        }),
    ];

    /// <summary>Creates the source's tables in the target and inserts its rows, with Npgsql, as the copy would.</summary>
    static async Task LoadAsync(TestDatabase db, TestSource source, bool constraints = true)
    {
        var model = await source.DiscoverAsync(default);
        await using var connection = await db.OpenAsync();
        foreach (var table in model.Tables)
        {
            var name = table.SourceName.ToLowerInvariant();
            var columns = string.Join(", ", table.Columns.Select(c => $"{c.SourceName.ToLowerInvariant()} {c.Type.ToSql()}"));
            var key = constraints && table.PrimaryKey is { } pk ? $", PRIMARY KEY ({string.Join(", ", pk.Columns.Select(c => c.ToLowerInvariant()))})" : "";
            await using (var create = new NpgsqlCommand($"CREATE TABLE {name} ({columns}{key})", connection))
                await create.ExecuteNonQueryAsync();
            using var reader = source.OpenReader(table, Ferry.Sources.ReadRange.All);
            var sink = new ParameterSink(table);
            while (reader.ReadRow(sink))
            {
                var placeholders = string.Join(", ", table.Columns.Select((c, i) => $"${i + 1}::{c.Type.ToSql()}"));
                await using var insert = new NpgsqlCommand($"INSERT INTO {name} VALUES ({placeholders})", connection);
                insert.Parameters.AddRange(sink.Take());
                await insert.ExecuteNonQueryAsync();
            }
        }
    }

    static async Task<VerifyResult> VerifyAsync(TestDatabase db, TestSource source, VerifyOptions? options = null) =>
        await new Verifier(db.Target, options).VerifyAsync(source, default);

    [Fact]
    public async Task A_faithful_copy_verifies_ok()
    {
        var source = new TestSource();
        source.AddTable("Item", ItemColumns, ["Id"], Items(500));
        source.AddTable("Note", [("Body", PgType.Text), ("N", PgType.Integer)], null, ["x", 1], ["x", 1], [null, 2], ["", 3]);
        await using var db = await TestCluster.CreateDatabaseAsync("verify");
        await LoadAsync(db, source);

        var result = await VerifyAsync(db, source);

        Assert.True(result.Ok, Describe(result));
        var item = result.Tables.Single(t => t.Source == "Item");
        Assert.Equal(("public.item", 500L, 500L, "ok"), (item.Target, item.SourceRows, item.TargetRows, item.Status));
        Assert.Equal(["id"], item.Key);
        var note = result.Tables.Single(t => t.Source == "Note");
        Assert.Equal((4L, 4L, true), (note.SourceRows, note.TargetRows!.Value, note.Ok));
        Assert.Empty(note.Key);
    }

    [Fact]
    public async Task A_database_not_in_UTF8_hashes_the_same_rows_alike()
    {
        var source = new TestSource();
        source.AddTable("Item", ItemColumns, ["Id"], Items(300));
        source.AddTable("Word", [("Id", PgType.Integer), ("Text", PgType.Text)], ["Id"], [1, "café"], [2, "naïve|ü\\"], [3, null]);
        await using var db = await TestCluster.CreateDatabaseAsync("verify_latin1", "ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        Assert.Equal("LATIN1", await db.ScalarAsync<string>("SHOW server_encoding"));
        await LoadAsync(db, source);

        var clean = await VerifyAsync(db, source);
        await db.ExecuteAsync("UPDATE word SET text = 'cafe' WHERE id = 1");
        var changed = await VerifyAsync(db, source);

        Assert.True(clean.Ok, Describe(clean));
        Assert.False(changed.Ok);
        var word = changed.Tables.Single(t => t.Source == "Word");
        Assert.Equal([(1L, "changed")], word.Differences.Select(d => ((long)d.Key!["id"]!, d.Kind)));
        Assert.True(changed.Tables.Single(t => t.Source == "Item").Ok);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_large_target_is_hashed_in_page_ranges_and_differences_in_any_range_are_found(bool keyed)
    {
        const int Rows = 60_000;
        var pad = new string('x', 150);
        var source = new TestSource();
        source.AddTable("Big", [("Id", PgType.Integer), ("Body", PgType.Text)], keyed ? ["Id"] : null,
            [.. Enumerable.Range(1, Rows).Select(i => new object?[] { i, pad + i })]);
        await using var db = await TestCluster.CreateDatabaseAsync("verify_pages");
        await db.ExecuteAsync($"CREATE TABLE big (id integer{(keyed ? " PRIMARY KEY" : "")}, body text); INSERT INTO big SELECT i, repeat('x', 150) || i FROM generate_series(1, {Rows}) i; ANALYZE big");
        Assert.True(await db.ScalarAsync<long>("SELECT pg_relation_size('big')") >= 1024 * 8192, "the table must be large enough to be split");

        var clean = await VerifyAsync(db, source);
        await db.ExecuteAsync($"UPDATE big SET body = 'changed' WHERE id = 2; DELETE FROM big WHERE id = {Rows - 1}; INSERT INTO big VALUES ({Rows + 10}, 'new')");
        var changed = await VerifyAsync(db, source);

        Assert.True(clean.Ok, Describe(clean));
        Assert.Equal((Rows, (long)Rows), (clean.Tables[0].SourceRows, clean.Tables[0].TargetRows!.Value));
        var big = Assert.Single(changed.Tables);
        Assert.False(big.Ok);
        if (keyed)
            Assert.Equal([(2L, "changed"), (Rows - 1L, "missing"), (Rows + 10L, "extra")], big.Differences.Select(d => ((long)d.Key!["id"]!, d.Kind)));
        else
            Assert.Equal(4, big.DifferencesTotal); // only in the source: 2 as it was and 59999; only in the target: 2 changed and 60010
    }

    [Fact]
    public async Task Changed_missing_and_extra_rows_are_named_by_key()
    {
        var source = new TestSource();
        source.AddTable("Item", ItemColumns, ["Id"], Items(1000));
        await using var db = await TestCluster.CreateDatabaseAsync("verify");
        await LoadAsync(db, source);
        await db.ExecuteAsync("""
            UPDATE item SET name = 'x' WHERE id = 7;
            UPDATE item SET meta = '{"k": [1.50, "x"],   "n": 300}' WHERE id = 300;
            UPDATE item SET tags = '{}' WHERE id = 401;
            UPDATE item SET weight = weight + 1e-9 WHERE id = 402;
            DELETE FROM item WHERE id IN (1, 999);
            INSERT INTO item (id, name) VALUES (5000, 'new');
            """);

        var result = await VerifyAsync(db, source);

        Assert.False(result.Ok);
        var item = Assert.Single(result.Tables);
        Assert.Equal((1000L, 999L, "different"), (item.SourceRows, item.TargetRows, item.Status));
        var named = item.Differences.Select(d => ((long)d.Key!["id"]!, d.Kind)).ToList();
        Assert.Equal([(1, "missing"), (7, "changed"), (401, "changed"), (402, "changed"), (999, "missing"), (5000, "extra")], named);
        Assert.Equal(6, item.DifferencesTotal);
        Assert.False(item.Truncated);
    }

    [Fact]
    public async Task Max_differences_caps_the_list_and_says_so()
    {
        var source = new TestSource();
        source.AddTable("Item", ItemColumns, ["Id"], Items(300));
        await using var db = await TestCluster.CreateDatabaseAsync("verify");
        await LoadAsync(db, source);
        await db.ExecuteAsync("UPDATE item SET active = NOT active WHERE id <= 40");

        var result = await VerifyAsync(db, source, new VerifyOptions { MaxDifferences = 3 });

        var item = Assert.Single(result.Tables);
        Assert.Equal(3, item.Differences.Count);
        Assert.True(item.Truncated);
        Assert.All(item.Differences, d => Assert.Equal(DifferenceKind.Changed, d.Kind));
    }

    [Fact]
    public async Task Tables_without_a_key_compare_as_multisets()
    {
        var source = new TestSource();
        source.AddTable("Log", [("Msg", PgType.Text), ("Level", PgType.SmallInt)], null,
            ["a", (short)1], ["a", (short)1], ["b", (short)2], ["c", (short)3]);
        await using var db = await TestCluster.CreateDatabaseAsync("verify");
        await LoadAsync(db, source);
        await db.ExecuteAsync("DELETE FROM log WHERE ctid = (SELECT min(ctid) FROM log WHERE msg = 'a'); INSERT INTO log VALUES ('b', 2), ('b', 2)");

        var result = await VerifyAsync(db, source);

        var log = Assert.Single(result.Tables);
        Assert.Equal((4L, 5L), (log.SourceRows, log.TargetRows!.Value));
        Assert.Equal(3, log.DifferencesTotal);
        Assert.Equal([("a|1", "missing", 1L), ("b|2", "extra", 2L)], log.Differences.Select(d => (d.Row, d.Kind, d.Count)).ToList());
        Assert.All(log.Differences, d => Assert.Null(d.Key));
    }

    [Fact]
    public async Task Foreign_key_orphans_and_duplicate_keys_are_integrity_problems()
    {
        var source = new TestSource();
        source.AddTable("Parent", [("Id", PgType.Integer)], ["Id"], [1], [2]);
        source.AddTable("Child", [("Id", PgType.Integer), ("ParentId", PgType.Integer)], ["Id"], [10, 1], [11, 2], [12, null]);
        await using var db = await TestCluster.CreateDatabaseAsync("verify");
        await LoadAsync(db, source, constraints: false);
        await db.ExecuteAsync("""
            ALTER TABLE parent ADD PRIMARY KEY (id);
            ALTER TABLE child ADD CONSTRAINT child_parent_fk FOREIGN KEY (parentid) REFERENCES parent (id) NOT VALID;
            ALTER TABLE child DISABLE TRIGGER ALL;
            INSERT INTO child VALUES (11, 3);
            ALTER TABLE child ENABLE TRIGGER ALL;
            """);

        var result = await VerifyAsync(db, source);

        Assert.False(result.Ok);
        Assert.True(result.Tables.Single(t => t.Source == "Parent").Ok);
        var child = result.Tables.Single(t => t.Source == "Child");
        var orphans = Assert.Single(child.Integrity, p => p.Kind == IntegrityProblem.Orphans);
        Assert.Equal(("child_parent_fk", "public.parent(id)", 1L), (orphans.Constraint, orphans.References, orphans.Count));
        Assert.Equal((11L, 3L), ((long)orphans.Sample.Single()["id"]!, (long)orphans.Sample.Single()["parentid"]!));
        var duplicates = Assert.Single(child.Integrity, p => p.Kind == IntegrityProblem.Duplicates);
        Assert.Equal(["id"], duplicates.Columns);
        Assert.Equal(1L, duplicates.Count);
        Assert.Equal(11L, duplicates.Sample.Single()["id"]);
        Assert.Equal([(11L, "extra")], child.Differences.Select(d => ((long)d.Key!["id"]!, d.Kind)).ToList());
        Assert.Equal("different", child.Status);
    }

    [Fact]
    public async Task A_table_missing_in_the_target_and_a_missing_column_are_differences()
    {
        var source = new TestSource();
        source.AddTable("Kept", [("Id", PgType.Integer), ("Gone", PgType.Text)], ["Id"], [1, "a"]);
        source.AddTable("Lost", [("Id", PgType.Integer)], ["Id"], [1], [2]);
        await using var db = await TestCluster.CreateDatabaseAsync("verify");
        await db.ExecuteAsync("CREATE TABLE kept (id integer PRIMARY KEY); INSERT INTO kept VALUES (1)");

        var result = await VerifyAsync(db, source);

        Assert.False(result.Ok);
        var lost = result.Tables.Single(t => t.Source == "Lost");
        Assert.Equal(("missing", 2L, (long?)null), (lost.Status, lost.SourceRows, lost.TargetRows));
        Assert.Contains("missing in the target", Assert.Single(lost.Problems), StringComparison.Ordinal);
        var kept = result.Tables.Single(t => t.Source == "Kept");
        Assert.Equal(("different", "counts"), (kept.Status, kept.Compared));
        Assert.Contains("column gone", Assert.Single(kept.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Counts_only_compares_row_counts_and_naming_rules_find_the_tables()
    {
        var source = new TestSource();
        source.AddTable("InvoiceLine", [("InvoiceLineId", PgType.Integer)], ["InvoiceLineId"], [1], [2], [3]);
        await using var db = await TestCluster.CreateDatabaseAsync("verify");
        await db.ExecuteAsync("CREATE SCHEMA app; CREATE TABLE app.invoice_line (invoice_line_id integer); INSERT INTO app.invoice_line VALUES (1), (2), (4)");

        var counts = await VerifyAsync(db, source, new VerifyOptions { CountsOnly = true, Names = NamingRule.Snake, Schema = "app" });
        var content = await VerifyAsync(db, source, new VerifyOptions { Names = NamingRule.Snake, Schema = "app", Tables = ["invoiceline"] });

        var table = Assert.Single(counts.Tables);
        Assert.Equal(("app.invoice_line", "counts", true), (table.Target, table.Compared, table.Ok));
        var compared = Assert.Single(content.Tables);
        Assert.Equal([(3L, "missing"), (4L, "extra")], compared.Differences.Select(d => ((long)d.Key!["invoice_line_id"]!, d.Kind)).ToList());
        await Assert.ThrowsAsync<FerryException>(() => VerifyAsync(db, source, new VerifyOptions { Tables = ["nope"] }));
    }

    static string Describe(VerifyResult result) => JsonSerializer.Serialize(result.Tables.Select(t => new { t.Source, t.Status, t.Problems, t.Differences, t.Integrity }));
}
