using Ferry.Migrations;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Migrations;

/// <summary><c>migrate down</c> refuses down files that drop a table or column holding rows, unless a snapshot covers it or --force.</summary>
public sealed class DownRefusalTests
{
    static MigrationFolder Folder()
    {
        var folder = new MigrationFolder();
        folder.Write("001_users.up.sql", "CREATE TABLE users (id int PRIMARY KEY);");
        folder.Write("001_users.down.sql", "DROP TABLE users;");
        folder.Write("002_email.up.sql", "ALTER TABLE users ADD COLUMN email text;\nCREATE TABLE \"Notes\" (id int);");
        folder.Write("002_email.down.sql", "-- undo 002\nDROP TABLE \"Notes\";\nALTER TABLE users DROP COLUMN email;");
        return folder;
    }

    static async Task<Migrator> AppliedAsync(TestDatabase db, MigrationFolder folder)
    {
        var migrator = new Migrator(db.Target, new MigratorOptions { Directory = folder.Path });
        await migrator.UpAsync();
        return migrator;
    }

    [Fact]
    public async Task A_table_and_a_column_holding_rows_are_refused_naming_them_and_nothing_runs()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = Folder();
        var migrator = await AppliedAsync(db, folder);
        await db.ExecuteAsync("INSERT INTO users VALUES (1, 'a@x'), (2, NULL), (3, 'c@x'); INSERT INTO \"Notes\" VALUES (1)");

        var refused = await Assert.ThrowsAsync<FerryException>(() => migrator.DownAsync(new DownOptions { Steps = 2 }));

        Assert.Equal(FailureKind.Failed, refused.Kind);
        Assert.Contains("002_email.down.sql:2 drops table public.Notes, which holds 1 row", refused.Message, StringComparison.Ordinal);
        Assert.Contains("002_email.down.sql:3 drops column public.users.email, which holds 2 non-null values", refused.Message, StringComparison.Ordinal);
        Assert.Contains("001_users.down.sql:1 drops table public.users, which holds 3 rows", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Nothing was reverted", refused.Message, StringComparison.Ordinal);
        Assert.Contains("'ferry backup --tables public.Notes,public.users'", refused.Message, StringComparison.Ordinal);
        Assert.Contains("--force", refused.Message, StringComparison.Ordinal);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(email) FROM users"));
    }

    [Fact]
    public async Task Empty_tables_and_columns_of_nulls_are_dropped()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = Folder();
        var migrator = await AppliedAsync(db, folder);
        await db.ExecuteAsync("INSERT INTO users (id) VALUES (1)"); // rows, but the dropped column holds none

        var report = await migrator.DownAsync();

        Assert.Equal(["002"], report.Steps.Select(s => s.Version));
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('\"Notes\"') IS NOT NULL"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email'"));
    }

    [Fact]
    public async Task Force_drops_them()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = Folder();
        var migrator = await AppliedAsync(db, folder);
        await db.ExecuteAsync("INSERT INTO users VALUES (1, 'a@x')");

        var report = await migrator.DownAsync(new DownOptions { Steps = 2, Force = true });

        Assert.Equal(["002", "001"], report.Steps.Select(s => s.Version));
        Assert.False(await db.ScalarAsync<bool>("SELECT to_regclass('users') IS NOT NULL"));
    }

    [Fact]
    public async Task A_snapshot_covering_the_table_allows_it_and_is_asked_only_about_tables_with_rows()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = Folder();
        var migrator = await AppliedAsync(db, folder);
        await db.ExecuteAsync("INSERT INTO users VALUES (1, 'a@x')");
        var asked = new List<string>();
        Task<bool> Covers(string schema, string table, CancellationToken _)
        {
            asked.Add(schema + "." + table);
            return Task.FromResult(table == "users");
        }

        var report = await migrator.DownAsync(new DownOptions { SnapshotCovers = Covers });

        Assert.Equal(["002"], report.Steps.Select(s => s.Version));
        Assert.Equal(["public.users"], asked); // "Notes" is empty: no snapshot needed
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'email'"));

        await db.ExecuteAsync("INSERT INTO users VALUES (2)");
        var refused = await Assert.ThrowsAsync<FerryException>(() => new Migrator(db.Target, new MigratorOptions { Directory = folder.Path })
            .DownAsync(new DownOptions { SnapshotCovers = (_, _, _) => Task.FromResult(false) }));
        Assert.Contains("drops table public.users, which holds 2 rows", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_exits_1_naming_the_table_and_runs_with_force()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = Folder();
        await AppliedAsync(db, folder);
        await db.ExecuteAsync("INSERT INTO users VALUES (1, 'a@x'), (2, 'b@x')");

        var refused = await CliRunner.RunAsync("migrate", "down", "--dir", folder.Path, "--database", db.Url, "--json");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("002_email.down.sql:3 drops column public.users.email, which holds 2 non-null values", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("ferry backup --tables public.users", refused.Stderr, StringComparison.Ordinal);
        Assert.False(refused.Json().GetProperty("ok").GetBoolean());
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations"));

        var forced = await CliRunner.RunAsync("migrate", "down", "--dir", folder.Path, "--database", db.Url, "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Contains("reverted 002_email.down.sql", forced.Stdout, StringComparison.Ordinal);
    }
}
