using Ferry.Backup;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Backup;

public sealed class BackupRestoreTests
{
    static readonly BackupRequest Everything = new() { Reason = "ferry backup" };

    [Fact]
    public async Task A_backup_restores_data_sequences_constraints_and_indexes_as_they_were_proven_by_fingerprints()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        var before = await BackupSchemaFixture.StateAsync(db);
        var manifest = await BackupRunner.CreateAsync(db.Target, Everything, null, CancellationToken.None);

        Assert.Matches("^backup_[0-9]{8}_[0-9]{6}$", manifest.Name);
        Assert.Equal(["public.child", "public.parent"], manifest.Tables.Select(t => t.DisplayName).Order());
        Assert.Equal(3, manifest.Table("public", "parent")!.Rows);
        Assert.Contains(manifest.Sequences, s => s is { Name: "parent_id_seq", LastValue: 5, IsCalled: true });
        Assert.Contains(manifest.Inventory, o => o is { Name: "parent_totals", Kind: "view" });
        Assert.Contains(manifest.Inventory, o => o is { Name: "mood", Kind: "type" });
        Assert.Equal(["parent_totals"], manifest.Table("public", "child")!.Definition.Views.Select(v => v.Name));
        Assert.True(manifest.SizeBytes > 0);
        var stored = await db.ScalarAsync<string>($"SELECT manifest::text FROM ferry.backups WHERE name = '{manifest.Name}'");
        Assert.Contains("\"incoming_foreign_keys\"", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("display_name", stored, StringComparison.Ordinal);
        Assert.Equal(manifest.Tables[0].Definition.CreateTable("t"), (await BackupCatalog.GetAsync(db.Target, manifest.Name, CancellationToken.None))!.Tables[0].Definition.CreateTable("t"));

        await db.ExecuteAsync(BackupSchemaFixture.Changes);
        Assert.NotEqual(before, await BackupSchemaFixture.StateAsync(db));

        var result = await Restorer.RestoreAsync(db.Target, manifest.Name, new RestoreRequest(), null, CancellationToken.None);

        Assert.True(result.Ok, string.Join("; ", result.Tables.Select(t => $"{t.Table} {t.Fingerprint} vs {t.ExpectedFingerprint}")));
        Assert.All(result.Tables, t => Assert.Equal("refilled", t.Action));
        Assert.Equal(before, await BackupSchemaFixture.StateAsync(db));
        // The sequences continue where they stood: the next serial and identity values are the ones the backup would have given.
        Assert.Equal(6, await db.ScalarAsync<int>("SELECT nextval('parent_id_seq')"));
        Assert.Equal(120L, await db.ScalarAsync<long>("INSERT INTO child (parent_id, price, qty) VALUES (1, 1, 1) RETURNING id"));
    }

    [Fact]
    public async Task A_table_dropped_since_is_made_again_with_its_view_and_the_foreign_keys_to_it()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        var before = await BackupSchemaFixture.StateAsync(db);
        var manifest = await BackupRunner.CreateAsync(db.Target, Everything, null, CancellationToken.None);
        await db.ExecuteAsync("DROP TABLE parent CASCADE; DROP TABLE child CASCADE");

        var result = await Restorer.RestoreAsync(db.Target, manifest.Name, new RestoreRequest(), null, CancellationToken.None);

        Assert.True(result.Ok);
        Assert.All(result.Tables, t => Assert.Equal("created", t.Action));
        Assert.Equal(before, await BackupSchemaFixture.StateAsync(db));
        Assert.Equal(3, await db.ScalarAsync<int>("SELECT count(*) FROM parent_totals"));
        Assert.Equal("the parents", await db.ScalarAsync<string>("SELECT obj_description('parent'::regclass, 'pg_class')"));
        Assert.True(await db.ScalarAsync<bool>("SELECT has_table_privilege('public', 'parent', 'UPDATE')"));
    }

    [Fact]
    public async Task A_table_renamed_away_with_a_view_in_its_name_is_made_again_beside_it()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        var before = await BackupSchemaFixture.StateAsync(db);
        var manifest = await BackupRunner.CreateAsync(db.Target, Everything, null, CancellationToken.None);
        // The restructure: the table renamed to a legacy name, a compatibility view in its name.
        await db.ExecuteAsync("""
            DROP VIEW parent_totals;
            ALTER TABLE child RENAME TO child_legacy;
            CREATE VIEW child AS SELECT id, parent_id, price, qty, total, note FROM child_legacy;
            """);

        var result = await Restorer.RestoreAsync(db.Target, manifest.Name, new RestoreRequest(), null, CancellationToken.None);

        Assert.True(result.Ok);
        Assert.Equal("created", result.Tables.Single(t => t.Table == "public.child").Action);
        Assert.Contains(result.Notes, n => n.Contains("view public.child", StringComparison.Ordinal));
        Assert.Equal('r', await db.ScalarAsync<char>("SELECT relkind FROM pg_class WHERE oid = 'public.child'::regclass"));
        var after = await db.RowsAsync("SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'child'::regclass ORDER BY 1");
        Assert.Contains(after, r => (string)r[0]! == "child_pkey");
        Assert.Contains(after, r => (string)r[0]! == "child_qty_positive");
        Assert.Equal(4, await db.ScalarAsync<int>("SELECT count(*) FROM child_legacy"));
        Assert.Equal(3, await db.ScalarAsync<int>("SELECT count(*) FROM parent_totals"));
        Assert.Contains(
            (await BackupSchemaFixture.StateAsync(db)).Split("\n---\n")[1],
            before.Split("\n---\n")[1]);
    }

    [Fact]
    public async Task A_subset_with_a_foreign_key_from_outside_keeps_the_other_table_whole()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        var manifest = await BackupRunner.CreateAsync(db.Target, Everything with { Tables = ["parent"] }, null, CancellationToken.None);
        Assert.Equal(["public.parent"], manifest.Tables.Select(t => t.DisplayName));
        await db.ExecuteAsync("UPDATE parent SET score = 7 WHERE id = 3; INSERT INTO parent (name) VALUES ('eve')");

        var result = await Restorer.RestoreAsync(db.Target, manifest.Name, new RestoreRequest { Tables = ["parent"] }, null, CancellationToken.None);

        Assert.True(result.Ok);
        Assert.Equal(4, await db.ScalarAsync<int>("SELECT count(*) FROM child"));
        Assert.Equal(3, await db.ScalarAsync<int>("SELECT count(*) FROM parent"));
        Assert.Null((await db.RowsAsync("SELECT score FROM parent WHERE id = 3"))[0][0]);
        Assert.Equal(1, await db.ScalarAsync<int>("SELECT count(*) FROM pg_constraint WHERE conrelid = 'child'::regclass AND contype = 'f'"));

        // A child of a parent the backup does not hold: the restore rolls back, naming the key and what to do.
        await db.ExecuteAsync("INSERT INTO parent (name) VALUES ('fay'); INSERT INTO child (parent_id, price, qty) SELECT id, 1, 1 FROM parent WHERE name = 'fay'");
        var refused = await Assert.ThrowsAsync<FerryException>(() => Restorer.RestoreAsync(db.Target, manifest.Name, new RestoreRequest(), null, CancellationToken.None));
        Assert.Contains("rolled back, nothing was changed", refused.Message, StringComparison.Ordinal);
        Assert.Contains("child_parent_id_fkey", refused.Message, StringComparison.Ordinal);
        Assert.Equal(4, await db.ScalarAsync<int>("SELECT count(*) FROM parent"));
    }

    [Fact]
    public async Task Into_a_scratch_schema_leaves_the_live_tables_alone()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        var before = await BackupSchemaFixture.StateAsync(db);
        var manifest = await BackupRunner.CreateAsync(db.Target, Everything, null, CancellationToken.None);
        await db.ExecuteAsync(BackupSchemaFixture.Changes);
        var changed = await BackupSchemaFixture.StateAsync(db);

        var result = await Restorer.RestoreAsync(db.Target, manifest.Name, new RestoreRequest { Into = "scratch" }, null, CancellationToken.None);

        Assert.True(result.Ok);
        Assert.Equal(["scratch.child", "scratch.parent"], result.Tables.Select(t => t.RestoredAs).Order());
        Assert.Equal(changed, await BackupSchemaFixture.StateAsync(db));
        Assert.Equal(
            before.Split("\n---\n")[0..2],
            (await BackupSchemaFixture.StateAsync(db, "scratch")).Split("\n---\n")[0..2]);
        Assert.Equal(6, await db.ScalarAsync<int>("SELECT nextval('scratch.parent_id_seq')"));
        Assert.Contains(result.Notes, n => n.Contains("parent_totals", StringComparison.Ordinal));

        var again = await Assert.ThrowsAsync<FerryException>(() => Restorer.RestoreAsync(db.Target, manifest.Name, new RestoreRequest { Into = "scratch" }, null, CancellationToken.None));
        Assert.Contains("scratch.", again.Message, StringComparison.Ordinal);
        Assert.Contains("exists already", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tampered_backup_restores_unproven_naming_the_table()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        var manifest = await BackupRunner.CreateAsync(db.Target, Everything, null, CancellationToken.None);
        await db.ExecuteAsync($"UPDATE {manifest.Schema}.parent SET name = 'mallory' WHERE name = 'bob'");

        var result = await Restorer.RestoreAsync(db.Target, manifest.Name, new RestoreRequest(), null, CancellationToken.None);

        Assert.False(result.Ok);
        Assert.Equal(["public.parent"], result.Unproven);
    }

    [Fact]
    public async Task Bad_input_is_refused_clearly()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        var manifest = await BackupRunner.CreateAsync(db.Target, Everything with { Tables = ["parent"], Name = "before_change" }, null, CancellationToken.None);

        async Task<string> Refusal(Func<Task> action) => (await Assert.ThrowsAsync<FerryException>(action)).Message;
        Assert.Contains("ferry backups", await Refusal(() => Restorer.RestoreAsync(db.Target, "before_chnge", new RestoreRequest(), null, CancellationToken.None)), StringComparison.Ordinal);
        Assert.Contains("did you mean parent", await Refusal(() => Restorer.RestoreAsync(db.Target, manifest.Name, new RestoreRequest { Tables = ["parnt"] }, null, CancellationToken.None)), StringComparison.Ordinal);
        Assert.Contains("not in backup before_change", await Refusal(() => Restorer.RestoreAsync(db.Target, manifest.Name, new RestoreRequest { Tables = ["child"] }, null, CancellationToken.None)), StringComparison.Ordinal);
        Assert.Contains("did you mean 'parent'", await Refusal(() => BackupRunner.CreateAsync(db.Target, Everything with { Tables = ["parnet"] }, null, CancellationToken.None)), StringComparison.Ordinal);
        Assert.Contains("a backup named before_change exists", await Refusal(() => BackupRunner.CreateAsync(db.Target, Everything with { Name = "before_change" }, null, CancellationToken.None)), StringComparison.Ordinal);
        Assert.Contains("not a backup name", await Refusal(() => BackupRunner.CreateAsync(db.Target, Everything with { Name = "x-y" }, null, CancellationToken.None)), StringComparison.Ordinal);
        Assert.Contains("no schema 'publik'", await Refusal(() => BackupRunner.CreateAsync(db.Target, Everything with { Schemas = ["publik"] }, null, CancellationToken.None)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_big_table_is_fingerprinted_over_page_ranges_and_a_second_backup_leaves_the_first_out()
    {
        await using var db = await TestCluster.CreateDatabaseAsync("backup_big");
        await db.ExecuteAsync("""
            CREATE SCHEMA app;
            CREATE TABLE app.events (id bigint PRIMARY KEY, at timestamptz NOT NULL, body text);
            INSERT INTO app.events SELECT i, '2026-01-01'::timestamptz + i * interval '1 second', repeat(md5(i::text), 3) FROM generate_series(1, 120000) i;
            CREATE TABLE app.other (id int);
            """);
        Assert.True(await db.ScalarAsync<long>("SELECT pg_relation_size('app.events') / 8192") >= 1024);

        var first = await BackupRunner.CreateAsync(db.Target, Everything with { Schemas = ["app"], Tables = ["events"], Jobs = 1 }, null, CancellationToken.None);
        var second = await BackupRunner.CreateAsync(db.Target, Everything, null, CancellationToken.None);
        Assert.Equal(["app.events"], first.Tables.Select(t => t.DisplayName));
        Assert.Equal(["app.events", "app.other"], second.Tables.Select(t => t.DisplayName));
        Assert.Equal(first.Tables[0].Fingerprint, second.Tables[0].Fingerprint);
        Assert.StartsWith("120000:", first.Tables[0].Fingerprint, StringComparison.Ordinal);

        await db.ExecuteAsync("DELETE FROM app.events WHERE id % 7 = 0; UPDATE app.events SET body = 'x' WHERE id < 100");
        var result = await Restorer.RestoreAsync(db.Target, first.Name, new RestoreRequest(), null, CancellationToken.None);

        Assert.True(result.Ok);
        Assert.Equal(120000L, result.Tables.Single().Rows);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM app.events WHERE body = 'x'"));
    }

    [Fact]
    public async Task Every_table_is_copied_as_of_one_snapshot_while_writes_go_on()
    {
        await using var db = await TestCluster.CreateDatabaseAsync("backup_snapshot");
        await db.ExecuteAsync("CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a); INSERT INTO a VALUES (1); INSERT INTO b VALUES (1, 1)");
        // Between the copy of a and the copy of b, a parent and its child are committed: neither may be in the backup.
        var progress = new Writing(() => db.ExecuteAsync("INSERT INTO a VALUES (2); INSERT INTO b VALUES (2, 2)").GetAwaiter().GetResult());

        var manifest = await BackupRunner.CreateAsync(db.Target, Everything with { Tables = ["a", "b"], Jobs = 1 }, progress, CancellationToken.None);

        Assert.Equal(1, progress.Writes);
        Assert.Equal([1L, 1L], manifest.Tables.Select(t => t.Rows));
        Assert.Equal(1L, await db.ScalarAsync<long>($"SELECT count(*) FROM {manifest.Schema}.b"));
    }

    /// <summary>Commits a write when the first table is reported copied, on the backup's own thread.</summary>
    sealed class Writing(Action write) : IProgress<string>
    {
        public int Writes { get; private set; }

        public void Report(string value)
        {
            if (Writes == 0)
            {
                write();
                Writes++;
            }
        }
    }
}
