using System.Text;
using Ferry.Migrations;
using Ferry.Migrations.Internal;

namespace Ferry.Tests.Migrations;

public sealed class MigrationFilesTests : IDisposable
{
    readonly string _dir = Directory.CreateTempSubdirectory("ferry-mig-files-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    void Write(string name, string text = "SELECT 1;") => File.WriteAllText(Path.Combine(_dir, name), text);

    [Theory]
    [InlineData("1.10", "1.9", 1)]
    [InlineData("001", "1", 0)]
    [InlineData("2", "10", -1)]
    [InlineData("1.2", "1_2", 0)]
    [InlineData("1.0", "1", 0)]
    [InlineData("20240101120000", "9", 1)]
    public void Versions_compare_as_numbers_part_by_part(string a, string b, int expected)
    {
        Assert.Equal(expected, Math.Sign(MigrationVersion.Parse(a).CompareTo(MigrationVersion.Parse(b))));
    }

    [Fact]
    public void Reads_every_file_form_in_version_order_then_repeatables()
    {
        Write("001_create_users.up.sql");
        Write("001_create_users.down.sql");
        Write("002_add_email_UP.sql");
        Write("002_add_email_DOWN.sql");
        Write("V3__orders.sql");
        Write("U3__orders.sql");
        Write("V3_1__order_index.sql");
        Write("V10__late.sql");
        Write("R__views.sql");
        var migrations = MigrationDirectory.Load(_dir);
        Assert.Equal(["001", "002", "3", "3.1", "10", "views"], migrations.Select(m => m.Key));
        Assert.Equal(["create_users", "add_email", "orders", "order_index", "late", "views"], migrations.Select(m => m.Name));
        Assert.Equal([true, true, true, false, false, false], migrations.Select(m => m.DownPath is not null));
        Assert.Equal(MigrationKind.Repeatable, migrations[^1].Kind);
    }

    [Fact]
    public void Upper_case_extensions_are_read_like_lower_case_ones()
    {
        Write("001_a.up.sql");
        Write("002_upper.UP.SQL");
        Write("002_upper.Down.Sql");
        Write("V3__flyway.SQL");
        Write("R__views.Sql");
        var migrations = MigrationDirectory.Load(_dir);
        Assert.Equal(["001", "002", "3", "views"], migrations.Select(m => m.Key));
        Assert.Equal("002_upper.Down.Sql", Path.GetFileName(migrations[1].DownPath));

        Write("notes.SQL");
        Assert.Contains("notes.SQL: not a migration file name", Assert.Throws<FerryException>(() => MigrationDirectory.Load(_dir)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_files_with_one_version_are_a_clear_error()
    {
        Write("001_a.up.sql");
        Write("1_b.up.sql");
        var e = Assert.Throws<FerryException>(() => MigrationDirectory.Load(_dir));
        Assert.Equal(FailureKind.Configuration, e.Kind);
        Assert.Contains("001_a.up.sql", e.Message, StringComparison.Ordinal);
        Assert.Contains("1_b.up.sql", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_sql_files_and_orphan_down_files_are_refused()
    {
        Write("create_users.sql");
        Assert.Contains("not a migration file name", Assert.Throws<FerryException>(() => MigrationDirectory.Load(_dir)).Message, StringComparison.Ordinal);
        File.Delete(Path.Combine(_dir, "create_users.sql"));
        Write("004_x.down.sql");
        Assert.Contains("without its up file", Assert.Throws<FerryException>(() => MigrationDirectory.Load(_dir)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Checksum_ignores_bom_and_line_endings_but_not_edits()
    {
        var lf = MigrationScript.FromBytes("a.sql", Encoding.UTF8.GetBytes("CREATE TABLE t (id int);\nSELECT 1;\n"));
        var crlf = MigrationScript.FromBytes("a.sql", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes("CREATE TABLE t (id int);\r\nSELECT 1;\r\n")]);
        var edited = MigrationScript.FromBytes("a.sql", Encoding.UTF8.GetBytes("CREATE TABLE t (id bigint);\nSELECT 1;\n"));
        Assert.Equal(lf.Checksum, crlf.Checksum);
        Assert.NotEqual(lf.Checksum, edited.Checksum);
        Assert.Equal(64, lf.Checksum.Length);
        Assert.Equal("CREATE", crlf.Text[..6]);
    }

    [Fact]
    public void Line_and_column_count_crlf_as_one_break()
    {
        var script = MigrationScript.FromBytes("a.sql", Encoding.UTF8.GetBytes("SELECT 1;\r\nSELECT 2;\r\n  SELECT x;"));
        Assert.Equal((3, 3), script.LineAndColumn(script.Text.IndexOf("SELECT x", StringComparison.Ordinal)));
        Assert.Equal((1, 1), script.LineAndColumn(0));
    }

    [Fact]
    public void Columns_count_characters_as_postgresql_does_not_utf16_units()
    {
        var script = MigrationScript.FromBytes("a.sql", Encoding.UTF8.GetBytes("-- 😀\nSELECT '😀é', bad2;"));
        Assert.Equal((2, 14), script.LineAndColumn(script.Text.IndexOf("bad2", StringComparison.Ordinal)));
        Assert.Equal((2, 1), script.LineAndColumn(script.Text.IndexOf("SELECT", StringComparison.Ordinal)));
    }

    [Fact]
    public void Directive_forces_no_transaction()
    {
        var forced = MigrationScript.FromBytes("a.sql", Encoding.UTF8.GetBytes("-- ferry:no-transaction\nCREATE TABLE t (id int);"));
        var plain = MigrationScript.FromBytes("a.sql", Encoding.UTF8.GetBytes("CREATE TABLE t (id int); -- ferry:no-transaction is mentioned here"));
        Assert.False(forced.RunsInTransaction);
        Assert.True(plain.RunsInTransaction);
        Assert.False(MigrationScript.FromBytes("a.sql", Encoding.UTF8.GetBytes("CREATE TABLE t (id int);\r\n  -- Ferry:No-Transaction  \r\n")).RunsInTransaction);

        // Only a real comment: not a line of a string, a dollar-quoted body or a block comment that reads so.
        foreach (var quoted in new[]
        {
            "INSERT INTO notes VALUES ('first line\n-- ferry:no-transaction\n');",
            "CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$\n-- ferry:no-transaction\nBEGIN RETURN 1; END\n$body$;",
            "/* an example:\n-- ferry:no-transaction\n*/ CREATE TABLE t (id int);",
        })
        {
            Assert.True(MigrationScript.FromBytes("a.sql", Encoding.UTF8.GetBytes(quoted)).RunsInTransaction, quoted);
        }
    }

    [Theory]
    [InlineData("REINDEX SCHEMA public", "REINDEX SCHEMA")]
    [InlineData("reindex (verbose) schema app", "REINDEX SCHEMA")]
    [InlineData("REINDEX DATABASE", "REINDEX DATABASE")]
    [InlineData("REINDEX (VERBOSE) SYSTEM", "REINDEX SYSTEM")]
    [InlineData("REINDEX TABLE CONCURRENTLY t", "REINDEX CONCURRENTLY")]
    [InlineData("CLUSTER", "CLUSTER")]
    [InlineData("cluster verbose", "CLUSTER")]
    [InlineData("CLUSTER (VERBOSE)", "CLUSTER")]
    [InlineData("DISCARD ALL", "DISCARD ALL")]
    [InlineData("ALTER SYSTEM SET work_mem = '8MB'", "ALTER SYSTEM")]
    [InlineData("CREATE TABLESPACE fast LOCATION '/ssd'", "CREATE TABLESPACE")]
    [InlineData("DROP TABLESPACE IF EXISTS fast", "DROP TABLESPACE")]
    [InlineData("COMMIT PREPARED 'tx1'", "COMMIT PREPARED")]
    [InlineData("ROLLBACK PREPARED 'tx1'", "ROLLBACK PREPARED")]
    [InlineData("ALTER SUBSCRIPTION s REFRESH PUBLICATION", "ALTER SUBSCRIPTION … REFRESH")]
    [InlineData("ALTER SUBSCRIPTION s SET PUBLICATION p", "ALTER SUBSCRIPTION … PUBLICATION (with refresh)")]
    [InlineData("ALTER SUBSCRIPTION s ADD PUBLICATION p WITH (copy_data = false)", "ALTER SUBSCRIPTION … PUBLICATION (with refresh)")]
    [InlineData("CLUSTER t", null)]
    [InlineData("CLUSTER VERBOSE t USING t_pkey", null)]
    [InlineData("CLUSTER (VERBOSE) \"T\"", null)]
    [InlineData("CLUSTER t_pkey ON t", null)]
    [InlineData("DISCARD TEMP", null)]
    [InlineData("REINDEX TABLE schema", null)]
    [InlineData("REINDEX INDEX system", null)]
    [InlineData("ALTER SUBSCRIPTION s SET PUBLICATION p WITH (refresh = false)", null)]
    [InlineData("ALTER SUBSCRIPTION s DISABLE", null)]
    [InlineData("ALTER DATABASE app SET default_tablespace = fast", null)]
    public void Statements_postgresql_refuses_in_a_transaction_block_are_detected(string statement, string? reason)
    {
        var script = MigrationScript.FromBytes("a.sql", Encoding.UTF8.GetBytes(statement + ";"));
        Assert.Equal(reason, script.NonTransactionalStatement is { } found ? NonTransactionalStatements.Reason(found) : null);
        Assert.Equal(reason is null, script.RunsInTransaction);
    }

    [Fact]
    public void New_numbers_after_the_newest_in_the_folder_style()
    {
        var first = Migrator.NewMigration(_dir, "Create Users");
        Assert.Equal(["001_create_users.up.sql", "001_create_users.down.sql"], first.Select(Path.GetFileName));
        var second = Migrator.NewMigration(_dir, "add-email");
        Assert.Equal(["002_add_email.up.sql", "002_add_email.down.sql"], second.Select(Path.GetFileName));
        Assert.All(first.Concat(second), f => Assert.True(File.Exists(f)));
    }

    [Fact]
    public void New_keeps_letters_of_any_script_and_refuses_a_name_that_would_read_as_part_of_the_version()
    {
        var refused = Assert.Throws<FerryException>(() => Migrator.NewMigration(_dir, "2 factor auth"));
        Assert.Equal(FailureKind.Configuration, refused.Kind);
        Assert.Contains("would make 001_2_factor_auth.up.sql, which reads as version 001.2 named 'factor_auth'", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(_dir));

        Assert.Equal(["001_2fa.up.sql", "001_2fa.down.sql"], Migrator.NewMigration(_dir, "2fa").Select(Path.GetFileName));
        Assert.Equal(["002_café.up.sql", "002_café.down.sql"], Migrator.NewMigration(_dir, "Café").Select(Path.GetFileName));
        Assert.Equal(["003_cafe\u0301_2.up.sql", "003_cafe\u0301_2.down.sql"], Migrator.NewMigration(_dir, "Cafe\u0301 2").Select(Path.GetFileName));
        Assert.Equal(["004_日本語_テーブル.up.sql", "004_日本語_テーブル.down.sql"], Migrator.NewMigration(_dir, "日本語 テーブル").Select(Path.GetFileName));
        Assert.Equal(["2fa", "café", "cafe\u0301_2", "日本語_テーブル"], MigrationDirectory.Load(_dir).Select(m => m.Name));

        // In Flyway's names '__' ends the version, so a leading number is read as part of the name.
        using var flyway = new MigrationFolder();
        File.WriteAllText(Path.Combine(flyway.Path, "V1__base.sql"), "SELECT 1;");
        Assert.Equal(["V2__2_factor_auth.sql", "U2__2_factor_auth.sql"], Migrator.NewMigration(flyway.Path, "2 factor auth").Select(Path.GetFileName));
    }

    [Fact]
    public void New_follows_flyway_names_when_the_folder_uses_them()
    {
        Write("V7__base.sql");
        Assert.Equal(["V8__next.sql", "U8__next.sql"], Migrator.NewMigration(_dir, "next").Select(Path.GetFileName));
    }
}
