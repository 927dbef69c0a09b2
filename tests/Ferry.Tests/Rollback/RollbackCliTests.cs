using Ferry.Tests.Infrastructure;
using Ferry.Tests.Migrations;
using Ferry.Tests.Sqlite;

namespace Ferry.Tests.Rollback;

/// <summary><c>ferry rollback</c>: by down files, from a snapshot, of a copy, and its refusals (nothing changed).</summary>
public sealed class RollbackCliTests
{
    static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task A_migration_with_down_files_is_reverted_by_them()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_users.up.sql", "CREATE TABLE users (id int PRIMARY KEY, email text);");
        folder.Write("001_users.down.sql", "DROP TABLE users;");
        folder.Write("002_orders.up.sql", "CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users (id));");
        folder.Write("002_orders.down.sql", "DROP TABLE orders;");
        var up = await CliRunner.RunAsync(NoEnvironment, folder.Path, "migrate", "up", "--database", db.Url, "--dir", folder.Path, "--json");
        Assert.True(up.ExitCode == 0, up.ToString());

        var rollback = await CliRunner.RunAsync(NoEnvironment, folder.Path, "rollback", "last", "--database", db.Url, "--dir", folder.Path, "--json");

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        var json = rollback.Json();
        Assert.Equal("down_files", json.GetProperty("strategy").GetString());
        Assert.Equal(2, json.GetProperty("reverted").GetArrayLength());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('users', 'orders')"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM public.schema_migrations WHERE success"));
        // Rolled back once: a second rollback of the same run is refused, naming the first.
        var twice = await CliRunner.RunAsync(NoEnvironment, folder.Path, "rollback", "1", "--database", db.Url, "--dir", folder.Path);
        Assert.True(twice.ExitCode == 2, twice.ToString());
        Assert.Contains("was rolled back already", twice.Stderr);
    }

    [Fact]
    public async Task A_migration_without_a_down_file_is_rolled_back_from_its_snapshot_and_its_history_rows_go()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        await db.ExecuteAsync("""
            CREATE TABLE accounts (id serial PRIMARY KEY, name text NOT NULL, balance numeric(12,2) NOT NULL DEFAULT 0);
            INSERT INTO accounts (name, balance) SELECT 'a' || i, i * 1.5 FROM generate_series(1, 50) i;
            """);
        var schemaBefore = await SchemaShape.OfAsync(db);
        var rowsBefore = await SchemaShape.RowsAsync(db, "accounts", "t.id");
        using var folder = new MigrationFolder();
        folder.Write("001_split.up.sql", """
            ALTER TABLE accounts ADD COLUMN currency text NOT NULL DEFAULT 'EUR';
            UPDATE accounts SET balance = balance * 100;
            ALTER TABLE accounts DROP COLUMN name;
            CREATE INDEX accounts_currency ON accounts (currency);
            """);
        var up = await CliRunner.RunAsync(NoEnvironment, folder.Path, "migrate", "up", "--database", db.Url, "--dir", folder.Path, "--backup", "--json");
        Assert.True(up.ExitCode == 0, up.ToString());

        var rollback = await CliRunner.RunAsync(NoEnvironment, folder.Path, "rollback", "--database", db.Url, "--dir", folder.Path, "--json");

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal("snapshot", rollback.Json().GetProperty("strategy").GetString());
        Assert.True(rollback.Json().GetProperty("restored")[0].GetProperty("proven").GetBoolean());
        Assert.Equal(schemaBefore, await SchemaShape.OfAsync(db));
        Assert.Equal(rowsBefore, await SchemaShape.RowsAsync(db, "accounts", "t.id"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM public.schema_migrations"));
    }

    [Fact]
    public async Task A_copy_replace_with_backup_is_rolled_back_to_the_replaced_table_and_what_it_created_goes()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE users (id int PRIMARY KEY, email text UNIQUE); INSERT INTO users VALUES (1, 'old@example.com'), (2, 'keep@example.com');");
        var schemaBefore = await SchemaShape.OfAsync(db);
        using var source = new SqliteTestFile(
            "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, name TEXT)",
            "INSERT INTO users VALUES (1, 'new@example.com', 'N'), (3, 'three@example.com', 'T')",
            "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id))",
            "INSERT INTO orders VALUES (10, 1)");
        using var rejects = new TempDirectory("ferry-rollback-");
        var copy = await CliRunner.RunAsync("copy", "sqlite:" + source.Path, "--to", db.Url, "--replace", "--backup", "--rejects", rejects.Path, "--json");
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal("N", await db.ScalarAsync<string>("SELECT name FROM users WHERE id = 1"));

        var rollback = await CliRunner.RunAsync("rollback", "last", "--database", db.Url, "--json");

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal(schemaBefore, await SchemaShape.OfAsync(db));
        Assert.Equal("(1,old@example.com)\n(2,keep@example.com)", await SchemaShape.RowsAsync(db, "users", "t.id"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM ferry.copy_state"));
    }

    [Fact]
    public async Task A_run_whose_tables_a_later_run_changed_is_refused_naming_the_later_run()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var source = new SqliteTestFile("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT)", "INSERT INTO users VALUES (1, 'a@example.com')");
        using var rejects = new TempDirectory("ferry-rollback-");
        var copy = await CliRunner.RunAsync("copy", "sqlite:" + source.Path, "--to", db.Url, "--rejects", rejects.Path, "--json");
        Assert.True(copy.ExitCode == 0, copy.ToString());
        using var folder = new MigrationFolder();
        folder.Write("001_flag.up.sql", "ALTER TABLE users ADD COLUMN active boolean NOT NULL DEFAULT true;");
        folder.Write("001_flag.down.sql", "ALTER TABLE users DROP COLUMN active;");
        var up = await CliRunner.RunAsync(NoEnvironment, folder.Path, "migrate", "up", "--database", db.Url, "--dir", folder.Path, "--json");
        Assert.True(up.ExitCode == 0, up.ToString());
        var schemaBefore = await SchemaShape.OfAsync(db);

        var rollback = await CliRunner.RunAsync(NoEnvironment, folder.Path, "rollback", "1", "--database", db.Url, "--dir", folder.Path);

        Assert.True(rollback.ExitCode == 2, rollback.ToString());
        Assert.Contains("run 2 (migrate up): public.users", rollback.Stderr);
        Assert.Contains("Nothing was changed", rollback.Stderr);
        Assert.Equal(schemaBefore, await SchemaShape.OfAsync(db));
    }

    [Fact]
    public async Task A_migration_with_neither_a_down_file_nor_a_snapshot_is_refused()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_users.up.sql", "CREATE TABLE users (id int PRIMARY KEY);");
        var up = await CliRunner.RunAsync(NoEnvironment, folder.Path, "migrate", "up", "--database", db.Url, "--dir", folder.Path);
        Assert.True(up.ExitCode == 0, up.ToString());

        var rollback = await CliRunner.RunAsync(NoEnvironment, folder.Path, "rollback", "--database", db.Url, "--dir", folder.Path, "--json");

        Assert.True(rollback.ExitCode == 2, rollback.ToString());
        var message = rollback.Json().GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("001_users.up.sql has no down file", message);
        Assert.Contains("migrate up --backup", message);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'users'"));
    }

    [Fact]
    public async Task On_a_protected_environment_a_rollback_without_yes_is_refused_and_with_yes_runs()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_users.up.sql", "CREATE TABLE users (id int PRIMARY KEY);");
        folder.Write("001_users.down.sql", "DROP TABLE users;");
        folder.Write("ferry.yml", """
            default_environment: prod
            environments:
              prod:
                database: ${PROD_URL}
                protected: true
            migrations:
              dir: .
            """);
        var environment = new Dictionary<string, string> { ["PROD_URL"] = db.Url };
        var up = await CliRunner.RunAsync(environment, folder.Path, "migrate", "up");
        Assert.True(up.ExitCode == 0, up.ToString());

        var refused = await CliRunner.RunAsync(environment, folder.Path, "rollback");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("protected environment 'prod' needs confirmation", refused.Stderr);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'users'"));

        var confirmed = await CliRunner.RunAsync(environment, folder.Path, "rollback", "--yes");
        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'users'"));
    }

    [Fact]
    public async Task A_dry_run_prints_the_plan_and_changes_nothing()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_users.up.sql", "CREATE TABLE users (id int PRIMARY KEY);");
        folder.Write("001_users.down.sql", "DROP TABLE users;");
        Assert.Equal(0, (await CliRunner.RunAsync(NoEnvironment, folder.Path, "migrate", "up", "--database", db.Url, "--dir", folder.Path)).ExitCode);

        var dry = await CliRunner.RunAsync(NoEnvironment, folder.Path, "rollback", "--database", db.Url, "--dir", folder.Path, "--dry-run");

        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("revert 001 users with 001_users.down.sql", dry.Stdout);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'users'"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM ferry.runs WHERE kind = 'rollback'"));
    }
}
