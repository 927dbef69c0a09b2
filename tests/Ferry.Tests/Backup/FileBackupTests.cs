using Ferry.Backup;
using Ferry.Backup.Internal;
using Ferry.Backup.Internal.Files;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Backup;

/// <summary><c>ferry backup --file</c> through the machine's real pg_dump and pg_restore, restores proven by fingerprints.</summary>
public sealed class FileBackupTests
{
    static TempDirectory Folder()
    {
        var folder = new TempDirectory("ferry-file-backup-");
        Directory.CreateDirectory(folder.Path);
        return folder;
    }

    [Fact]
    public async Task A_file_backup_restores_changed_data_proven_by_fingerprints()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        using var folder = Folder();
        var path = Path.Combine(folder.Path, "shop.dump");
        var before = await BackupSchemaFixture.StateAsync(db);

        var manifest = await BackupRunner.CreateAsync(db.Target, new BackupRequest { Tables = ["parent", "child"], File = path, Name = "nightly" }, null, CancellationToken.None);

        Assert.Equal(("file", path), (manifest.Kind, manifest.File));
        Assert.Equal(new FileInfo(path).Length, manifest.SizeBytes);
        Assert.StartsWith("PGDMP", File.ReadAllText(path)[..5], StringComparison.Ordinal); // pg_dump's custom format
        Assert.False(File.Exists(path + ".partial"));
        Assert.Equal(manifest.Tables.Select(t => t.Fingerprint), FileStore.ReadManifest(path).Tables.Select(t => t.Fingerprint));
        Assert.Equal([3L, 4L], manifest.Tables.OrderByDescending(t => t.Name).Select(t => t.Rows));
        Assert.Equal(path, await db.ScalarAsync<string>("SELECT file FROM ferry.backups WHERE name = 'nightly' AND kind = 'file'"));

        await db.ExecuteAsync(BackupSchemaFixture.Changes);
        Assert.NotEqual(before, await BackupSchemaFixture.StateAsync(db));
        var result = await Restorer.RestoreAsync(db.Target, "nightly", new RestoreRequest(), null, CancellationToken.None);

        Assert.True(result.Ok, string.Join("\n", result.Tables.Select(t => $"{t.Table}: {t.Fingerprint} vs {t.ExpectedFingerprint}")));
        Assert.Equal(2, result.Tables.Count);
        Assert.Equal(before, await BackupSchemaFixture.StateAsync(db));
    }

    [Fact]
    public async Task One_table_restores_from_a_file_into_a_scratch_schema_leaving_the_live_ones_alone()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        using var folder = Folder();
        var path = Path.Combine(folder.Path, "shop.dump");
        await BackupRunner.CreateAsync(db.Target, new BackupRequest { File = path, Name = "before" }, null, CancellationToken.None);
        var kept = await db.RowsAsync("SELECT id, parent_id, price, qty, total, note FROM child ORDER BY id");
        await db.ExecuteAsync(BackupSchemaFixture.Changes);
        var live = await BackupSchemaFixture.StateAsync(db);

        var result = await Restorer.RestoreAsync(db.Target, "before", new RestoreRequest { Tables = ["child"], Into = "scratch" }, null, CancellationToken.None);

        var child = Assert.Single(result.Tables);
        Assert.True(child.Proven, $"{child.Fingerprint} vs {child.ExpectedFingerprint}");
        Assert.Equal(("public.child", "scratch.child", 4L), (child.Table, child.RestoredAs, child.Rows));
        Assert.Equal(kept, await db.RowsAsync("SELECT id, parent_id, price, qty, total, note FROM scratch.child ORDER BY id"));
        Assert.Equal(live, await BackupSchemaFixture.StateAsync(db));
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT count(*) FROM pg_class WHERE relname LIKE 'ferry_restore%'"));
    }

    [Fact]
    public async Task Names_with_quotes_spaces_and_capitals_reach_pg_dump_and_pg_restore_as_themselves()
    {
        const string table = "\"Sales Dept\".\"Order \"\"X\"\"\""; // "Sales Dept"."Order ""X"""
        await using var db = await TestCluster.CreateDatabaseAsync("names");
        await db.ExecuteAsync($"""
            CREATE SCHEMA "Sales Dept";
            CREATE TABLE {table} (id int PRIMARY KEY, "Note, too" text);
            CREATE TABLE "Sales Dept"."Order _X_" (id int);
            INSERT INTO {table} VALUES (1, E'tab\there'), (2, E'line\nbreak'), (3, NULL), (4, '\N');
            INSERT INTO "Sales Dept"."Order _X_" VALUES (9);
            """);
        using var folder = Folder();
        var path = Path.Combine(folder.Path, "names.dump");
        await BackupRunner.CreateAsync(db.Target, new BackupRequest { Tables = ["Sales Dept.Order \"X\""], File = path, Name = "names" }, null, CancellationToken.None);
        var kept = await db.RowsAsync($"SELECT id, \"Note, too\" FROM {table} ORDER BY id");
        await db.ExecuteAsync($"DELETE FROM {table} WHERE id > 1");

        var result = await Restorer.RestoreAsync(db.Target, "names", new RestoreRequest(), null, CancellationToken.None);

        var restored = Assert.Single(result.Tables);
        Assert.True(restored.Proven, $"{restored.Fingerprint} vs {restored.ExpectedFingerprint}");
        Assert.Equal(4, kept.Count);
        Assert.Equal(kept, await db.RowsAsync($"SELECT id, \"Note, too\" FROM {table} ORDER BY id"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM \"Sales Dept\".\"Order _X_\""));
    }

    [Fact]
    public async Task Dropping_a_file_backup_removes_the_file_its_manifest_and_its_row()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        using var folder = Folder();
        var path = Path.Combine(folder.Path, "shop.dump");
        await BackupRunner.CreateAsync(db.Target, new BackupRequest { Tables = ["parent"], File = path, Name = "gone" }, null, CancellationToken.None);

        await BackupCatalog.DropAsync(db.Target, "gone", CancellationToken.None);

        Assert.False(File.Exists(path));
        Assert.False(File.Exists(path + ".manifest.json"));
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT count(*) FROM ferry.backups"));
    }

    [Fact]
    public async Task An_existing_file_is_refused_and_kept()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        using var folder = Folder();
        var path = Path.Combine(folder.Path, "taken.dump");
        await File.WriteAllTextAsync(path, "mine");

        var refusal = await Assert.ThrowsAsync<FerryException>(() =>
            BackupRunner.CreateAsync(db.Target, new BackupRequest { Tables = ["parent"], File = path }, null, CancellationToken.None));

        Assert.Contains($"{path} exists already", refusal.Message, StringComparison.Ordinal);
        Assert.Equal("mine", await File.ReadAllTextAsync(path));
        Assert.Equal(0, await db.ScalarAsync<int>("SELECT count(*) FROM ferry.backups"));
    }

    /// <summary>A folder of stand-in tools: <c>--version</c> says <paramref name="version"/>, anything else runs <paramref name="otherwise"/>.</summary>
    static TempDirectory Tools(string version, string otherwise)
    {
        var folder = Folder();
        foreach (var tool in new[] { "pg_dump", "pg_restore" })
        {
            var path = Path.Combine(folder.Path, tool);
            File.WriteAllText(path, $"#!/bin/sh\nif [ \"$1\" = --version ]; then echo '{tool} (PostgreSQL) {version}'; exit 0; fi\n{otherwise}\n");
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return folder;
    }

    static BackupPlan Plan(string file) =>
        new("b", DateTimeOffset.UtcNow, [("public", "parent")], ["public"], new BackupRequest { File = file });

    [Fact]
    public async Task Tools_older_than_the_server_are_refused_before_anything_is_written()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        using var folder = Folder();
        using var old = Tools("12.4", "touch \"$(dirname \"$0\")/ran\"");
        var path = Path.Combine(folder.Path, "refused.dump");
        var major = await db.ScalarAsync<int>("SELECT current_setting('server_version_num')::int / 10000");

        var refusal = await Assert.ThrowsAsync<FerryException>(() => new FileStore([old.Path]).CreateAsync(db.Target, Plan(path), null, CancellationToken.None));

        Assert.Contains($"the server runs PostgreSQL {major}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains($"postgresql-client-{major}", refusal.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", refusal.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
        Assert.False(File.Exists(Path.Combine(old.Path, "ran")));
    }

    [Fact]
    public async Task A_failing_pg_dump_surfaces_its_message_redacted_and_leaves_no_file()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        using var folder = Folder();
        using var failing = Tools("99.0", "echo \"pg_dump: error: could not connect with password $PGPASSWORD\" >&2; exit 1");
        var path = Path.Combine(folder.Path, "failed.dump");
        var target = Ferry.Connections.PostgresTarget.Parse(db.Target.ConnectionString + ";Password=hunter2-secret");

        var failure = await Assert.ThrowsAsync<FerryException>(() => new FileStore([failing.Path]).CreateAsync(target, Plan(path), null, CancellationToken.None));

        Assert.Contains("pg_dump failed (exit 1)", failure.Message, StringComparison.Ordinal);
        Assert.Contains("could not connect with password ***", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", failure.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }
}
