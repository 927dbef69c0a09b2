using Ferry.Migrations;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Migrations;

/// <summary><see cref="Migrator.TouchedTablesAsync"/>: pending migrations' touches resolved against a real catalog.</summary>
public sealed class TouchedTablesTests
{
    [Fact]
    public async Task Lists_the_existing_tables_pending_migrations_touch_and_what_they_create()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        await db.ExecuteAsync("""
            CREATE TABLE users (id int PRIMARY KEY);
            CREATE TABLE orders (id int PRIMARY KEY, user_id int REFERENCES users ON DELETE CASCADE);
            CREATE TABLE order_lines (order_id int REFERENCES orders ON DELETE CASCADE);
            CREATE TABLE reviews (user_id int REFERENCES users ON DELETE SET NULL);
            CREATE TABLE audit (id int);
            CREATE TABLE untouched (id int);
            CREATE SCHEMA app;
            CREATE TABLE app.items (id int);
            CREATE VIEW user_ids AS SELECT id FROM users;
            """);
        using var folder = new MigrationFolder();
        folder.Write("001_users.up.sql", """
            ALTER TABLE users ADD COLUMN email text;
            CREATE TABLE fresh (id int);
            INSERT INTO fresh VALUES (1);
            DELETE FROM users WHERE id = 0;
            """);
        folder.Write("002_audit.up.sql", """
            UPDATE fresh SET id = 2;
            ALTER TABLE audit RENAME TO audit_old;
            INSERT INTO audit_old VALUES (1);
            SET search_path TO app;
            TRUNCATE items;
            UPDATE nowhere SET a = 1;
            """);
        folder.Write("003_unknown.up.sql", """
            CREATE TABLE IF NOT EXISTS users (id int);
            CREATE OR REPLACE VIEW user_ids AS SELECT id FROM users;
            CREATE VIEW new_view AS SELECT 1;
            DO $$ BEGIN DELETE FROM untouched; END $$;
            """);
        var migrator = new Migrator(db.Target, new MigratorOptions { Directory = folder.Path });

        var plan = await migrator.TouchedTablesAsync();

        Assert.Equal(["public.users", "public.orders", "public.reviews", "public.order_lines", "public.audit", "app.items"], plan.Tables.Select(t => t.ToString()));
        Assert.True(plan.TouchesUnknownTables);
        Assert.Equal(["public"], plan.Schemas);
        var (first, second, third) = (plan.Migrations[0], plan.Migrations[1], plan.Migrations[2]);
        Assert.Equal(("001", "users", "001_users.up.sql"), (first.Version, first.Name, first.File));
        Assert.Equal(["public.fresh"], first.Created.Select(c => c.Name.ToString()));
        Assert.Equal("public.orders", first.Touches.Single(t => t.Table.Name == "order_lines").Via!.ToString());
        Assert.Equal(["public.audit", "app.items"], second.Tables.Select(t => t.ToString()));
        Assert.Equal(["nowhere"], second.NotFound.Select(t => t.ToString()));
        Assert.Contains(second.Touches, t => t.Kind == TableTouchKind.Insert && t.Table.ToString() == "public.audit_old");
        Assert.Empty(third.Tables);
        Assert.Equal(["public.new_view"], third.Created.Select(c => c.Name.ToString()));
        Assert.Single(third.Unknown);

        var upTo2 = await migrator.TouchedTablesAsync(new UpOptions { To = "002" });
        Assert.False(upTo2.TouchesUnknownTables);
        Assert.Empty(upTo2.Schemas);
        Assert.Equal(2, upTo2.Migrations.Count);

        // Once 001 is applied, only the pending ones are read, and the table it created now exists to be kept.
        await migrator.UpAsync(new UpOptions { To = "001" });
        var after = await migrator.TouchedTablesAsync(new UpOptions { To = "002" });
        Assert.Equal(["public.fresh", "public.audit", "app.items"], after.Tables.Select(t => t.ToString()));
    }
}
