using Ferry.Migrations;

namespace Ferry.Tests.Migrations;

/// <summary>What <see cref="MigrationAnalyzer"/> reads from statements: every form it knows, names as PostgreSQL folds them.</summary>
public sealed class MigrationAnalyzerTests
{
    static string Describe(TableTouch t) =>
        $"{t.Kind} {t.Table}{(t.Column is null ? "" : "." + t.Column)}{(t.NewName is null ? "" : " -> " + t.NewName)}{(t.Cascade ? " cascade" : "")}";

    static List<string> Touches(string sql) => MigrationAnalyzer.Analyze(sql).Touches.Select(Describe).ToList();

    [Theory]
    [InlineData("ALTER TABLE users ADD COLUMN email text", "Alter users")]
    [InlineData("alter table if exists only Public.Users alter column id type bigint, add constraint u unique (id)", "Alter public.users")]
    [InlineData("ALTER TABLE users RENAME TO people", "Rename users -> people")]
    [InlineData("ALTER TABLE app.users RENAME TO people", "Rename app.users -> app.people")]
    [InlineData("ALTER TABLE users RENAME COLUMN name TO full_name", "RenameColumn users.name")]
    [InlineData("ALTER TABLE users RENAME name TO full_name", "RenameColumn users.name")]
    [InlineData("ALTER TABLE users RENAME CONSTRAINT a TO b", "Alter users")]
    [InlineData("ALTER TABLE users DROP COLUMN email", "DropColumn users.email")]
    [InlineData("ALTER TABLE users DROP IF EXISTS \"Email\" CASCADE", "DropColumn users.Email")]
    [InlineData("ALTER TABLE users DROP CONSTRAINT users_pkey", "Alter users")]
    [InlineData("ALTER TABLE users DROP COLUMN a, DROP COLUMN b, ADD COLUMN c int", "DropColumn users.a|DropColumn users.b|Alter users")]
    [InlineData("ALTER TABLE users SET SCHEMA legacy", "SetSchema users -> legacy.users")]
    [InlineData("DROP TABLE a", "Drop a")]
    [InlineData("DROP TABLE IF EXISTS a, s.b CASCADE", "Drop a|Drop s.b")]
    [InlineData("TRUNCATE a", "Truncate a")]
    [InlineData("TRUNCATE TABLE ONLY a, b * RESTART IDENTITY CASCADE", "Truncate a cascade|Truncate b cascade")]
    [InlineData("UPDATE ONLY accounts AS a SET balance = 0 FROM other o WHERE o.id = a.id", "Update accounts")]
    [InlineData("DELETE FROM ONLY sessions USING users WHERE true", "Delete sessions")]
    [InlineData("INSERT INTO audit (id, note) SELECT id, 'x' FROM users ON CONFLICT DO NOTHING", "Insert audit")]
    [InlineData("MERGE INTO stock s USING delivery d ON s.id = d.id WHEN MATCHED THEN UPDATE SET n = s.n + d.n", "Merge stock")]
    [InlineData("COPY prices (id, amount) FROM '/srv/prices.csv' WITH (FORMAT csv)", "CopyFrom prices")]
    [InlineData("COPY prices TO '/tmp/out.csv'", "")]
    [InlineData("COPY (SELECT * FROM prices) TO '/tmp/out.csv'", "")]
    [InlineData("CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS users_email ON ONLY users USING btree (lower(email))", "CreateIndex users")]
    [InlineData("CREATE INDEX ON \"Mixed\".\"Case\" (id)", "CreateIndex Mixed.Case")]
    [InlineData("WITH moved AS (DELETE FROM old_orders WHERE at < now() RETURNING *) INSERT INTO archive SELECT * FROM moved", "Delete old_orders|Insert archive")]
    [InlineData("WITH RECURSIVE t(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM t WHERE n < 3), u AS MATERIALIZED (UPDATE counters SET n = n + 1 RETURNING n) SELECT * FROM t, u", "Update counters")]
    [InlineData("WITH a AS NOT MATERIALIZED (SELECT 1) UPDATE stats SET n = (SELECT count(*) FROM a)", "Update stats")]
    [InlineData("SELECT 'DROP TABLE users; DELETE FROM x' AS text, $q$UPDATE y SET a = 1$q$", "")]
    [InlineData("-- DROP TABLE users\n/* DELETE FROM x; /* nested */ */ UPDATE real_one SET a = 1", "Update real_one")]
    [InlineData("UPDATE U&\"d\\0061ta\" SET a = 1", "Update data")]
    [InlineData("INSERT INTO \"We\"\"ird\" VALUES (1)", "Insert We\"ird")]
    [InlineData("DELETE FROM db.app.\"Orders\"", "Delete app.Orders")]
    [InlineData("CREATE FUNCTION f() RETURNS void LANGUAGE sql AS $$ DELETE FROM inside_function $$", "")]
    [InlineData("ALTER INDEX a RENAME TO b", "")]
    public void Reads_the_tables_a_statement_touches(string sql, string expected)
    {
        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), Touches(sql));
    }

    [Fact]
    public void Touches_that_lose_data_are_told_from_those_that_keep_it()
    {
        var touches = MigrationAnalyzer.Analyze("ALTER TABLE a DROP COLUMN c, ADD COLUMN d int; CREATE INDEX ON a (d); DELETE FROM a; INSERT INTO a VALUES (1)").Touches;
        Assert.Equal([true, false, false, true, false], touches.Select(t => t.LosesData));
    }

    [Theory]
    [InlineData("CREATE TABLE a (id int)", "Table a")]
    [InlineData("CREATE UNLOGGED TABLE IF NOT EXISTS s.\"B\" AS SELECT 1", "Table s.B may exist")]
    [InlineData("CREATE OR REPLACE VIEW v AS SELECT 1", "View v may exist")]
    [InlineData("CREATE RECURSIVE VIEW r (n) AS SELECT 1", "View r")]
    [InlineData("CREATE MATERIALIZED VIEW IF NOT EXISTS m AS SELECT 1", "MaterializedView m may exist")]
    [InlineData("CREATE TYPE mood AS ENUM ('sad', 'ok')", "Type mood")]
    [InlineData("SELECT * INTO UNLOGGED copy_of FROM users", "Table copy_of")]
    [InlineData("CREATE TEMP TABLE scratch (id int)", "")]
    [InlineData("SELECT * INTO TEMPORARY scratch FROM users", "")]
    [InlineData("CREATE TABLE pg_temp.scratch (id int)", "")]
    public void Lists_what_a_statement_creates_apart(string sql, string expected)
    {
        var touches = MigrationAnalyzer.Analyze(sql);
        Assert.Empty(touches.Touches);
        Assert.Equal(expected.Length == 0 ? [] : [expected], touches.Created.Select(c => $"{c.Kind} {c.Name}{(c.MayExist ? " may exist" : "")}"));
    }

    [Fact]
    public void A_do_block_call_or_schema_cascade_touches_unknown_tables()
    {
        var touches = MigrationAnalyzer.Analyze("""
            UPDATE a SET x = 1;
            DO $$ BEGIN DELETE FROM hidden; END $$;
            CALL app.cleanup();
            DROP SCHEMA old CASCADE;
            """);
        Assert.True(touches.TouchesUnknownTables);
        Assert.Equal(["Update a"], touches.Touches.Select(Describe));
        Assert.Equal(3, touches.Unknown.Count);
        Assert.StartsWith("a DO block (line 2)", touches.Unknown[0], StringComparison.Ordinal);
        Assert.StartsWith("CALL app.cleanup (line 3)", touches.Unknown[1], StringComparison.Ordinal);
        Assert.StartsWith("DROP SCHEMA … CASCADE (line 4)", touches.Unknown[2], StringComparison.Ordinal);
        Assert.False(MigrationAnalyzer.Analyze("DROP SCHEMA empty; SELECT 1").TouchesUnknownTables);
    }

    [Fact]
    public void Lines_and_the_scripts_own_search_path_are_kept_with_each_touch()
    {
        var touches = MigrationAnalyzer.Analyze("""
            -- a comment with a ; in it
            UPDATE a SET x = 1;

            SET search_path TO "App", Legacy, public;
            DELETE FROM b;
            SET LOCAL search_path = 'one, "Two"';
            INSERT INTO c VALUES (1);
            RESET search_path;
            TRUNCATE d;
            """).Touches;
        Assert.Equal([2, 5, 7, 9], touches.Select(t => t.Line));
        Assert.Null(touches[0].SearchPath);
        Assert.Equal(["App", "legacy", "public"], touches[1].SearchPath!);
        Assert.Equal(["one", "Two"], touches[2].SearchPath!);
        Assert.Null(touches[3].SearchPath);
    }

    [Fact]
    public void Standard_conforming_strings_off_is_followed_so_a_backslash_quote_hides_no_statement()
    {
        var touches = MigrationAnalyzer.Analyze("SET standard_conforming_strings = off;\nINSERT INTO notes VALUES ('it\\'s; DROP TABLE users');\nDELETE FROM e;");
        Assert.Equal(["Insert notes", "Delete e"], touches.Touches.Select(Describe));
    }
}
