using Ferry.Migrations.Internal;

namespace Ferry.Tests.Migrations;

public sealed class SqlStatementSplitterTests
{
    static List<string> Texts(string sql) => SqlStatementSplitter.Split(sql).Select(s => s.Text).ToList();

    [Fact]
    public void Splits_on_semicolons_and_drops_empty_statements()
    {
        Assert.Equal(["CREATE TABLE a (id int)", "INSERT INTO a VALUES (1)"], Texts("CREATE TABLE a (id int);\n;\n  INSERT INTO a VALUES (1);\n\n"));
    }

    [Fact]
    public void Last_statement_needs_no_semicolon()
    {
        Assert.Equal(["SELECT 1", "SELECT 2"], Texts("SELECT 1;\nSELECT 2\n"));
    }

    [Fact]
    public void Dollar_quoted_bodies_keep_their_semicolons()
    {
        var sql = """
            CREATE FUNCTION f() RETURNS int LANGUAGE plpgsql AS $body$
            BEGIN
              PERFORM 1; -- ; $$ inside
              RETURN 2;
            END
            $body$;
            DO $$ BEGIN RAISE NOTICE 'x;y'; END $$;
            SELECT $1;
            """;
        var texts = Texts(sql);
        Assert.Equal(3, texts.Count);
        Assert.EndsWith("$body$", texts[0], StringComparison.Ordinal);
        Assert.StartsWith("DO $$", texts[1], StringComparison.Ordinal);
        Assert.Equal("SELECT $1", texts[2]);
    }

    [Fact]
    public void Dollar_inside_an_identifier_is_not_a_quote()
    {
        Assert.Equal(["SELECT a$b$c FROM t", "SELECT 2"], Texts("SELECT a$b$c FROM t; SELECT 2;"));
    }

    [Fact]
    public void Escape_strings_allow_backslash_quotes()
    {
        Assert.Equal(["INSERT INTO t VALUES (E'it\\'s; fine', 'a''b;c', e'\\\\')", "SELECT 1"],
            Texts("INSERT INTO t VALUES (E'it\\'s; fine', 'a''b;c', e'\\\\');SELECT 1;"));
    }

    [Fact]
    public void Standard_strings_treat_backslash_as_a_character()
    {
        // In a standard string a backslash is just a character: the string ends at the second quote.
        Assert.Equal(["SELECT 'C:\\'", "SELECT 2"], Texts("SELECT 'C:\\'; SELECT 2;"));
    }

    [Fact]
    public void After_a_set_of_standard_conforming_strings_off_a_backslash_escapes_as_the_server_reads_it()
    {
        var sql = """
            SELECT 'C:\';
            SET standard_conforming_strings = off;
            INSERT INTO t VALUES ('it\'s; one string', 'C:\\');
            RESET standard_conforming_strings;
            SELECT 'D:\';
            """;
        var statements = SqlStatementSplitter.Split(sql);
        Assert.Equal(["SELECT 'C:\\'", "SET standard_conforming_strings = off", "INSERT INTO t VALUES ('it\\'s; one string', 'C:\\\\')",
            "RESET standard_conforming_strings", "SELECT 'D:\\'"], statements.Select(s => s.Text));
        Assert.Equal([true, true, false, false, true], statements.Select(s => s.StandardStrings));
    }

    [Theory]
    [InlineData("SET SESSION standard_conforming_strings TO 'off'", false)]
    [InlineData("set local \"standard_conforming_strings\" = false", false)]
    [InlineData("SET standard_conforming_strings = E'off'", false)]
    [InlineData("SET standard_conforming_strings = off; SET standard_conforming_strings TO DEFAULT", true)]
    [InlineData("SET standard_conforming_strings = off; RESET ALL", true)]
    [InlineData("SET standard_conforming_strings = off; DISCARD ALL", true)]
    [InlineData("SET standard_conforming_strings = off; SET standard_conforming_strings = on", true)]
    [InlineData("SELECT set_config('standard_conforming_strings', 'off', false)", true)] // not followed (docs/migrate.md)
    [InlineData("SET escape_string_warning = off", true)]
    public void Each_way_of_setting_it_is_followed(string setting, bool standardAfter)
    {
        Assert.Equal(standardAfter, SqlStatementSplitter.Split(setting + "; SELECT 1")[^1].StandardStrings);
    }

    [Fact]
    public void Words_and_directives_are_read_with_the_statements_setting()
    {
        // Read as standard strings, the quote after the backslash would start a string that hides the directive and COPY.
        var script = MigrationScript.FromBytes("a.sql", System.Text.Encoding.UTF8.GetBytes(
            "SET standard_conforming_strings = off;\nSELECT 'a\\'b';\n-- ferry:no-transaction\nCOPY t FROM STDIN;\n"));
        Assert.True(script.ForcedNoTransaction);
        Assert.Equal("FROM STDIN", script.ClientCopy?.Direction);
    }

    [Fact]
    public void Quoted_identifiers_keep_semicolons()
    {
        Assert.Equal(["CREATE TABLE \"a;b\" (\"x\"\"y;\" int)", "SELECT 1"], Texts("CREATE TABLE \"a;b\" (\"x\"\"y;\" int); SELECT 1"));
    }

    [Fact]
    public void Comments_hide_semicolons_and_block_comments_nest()
    {
        var sql = "/* outer /* inner; */ still comment; */ SELECT 1; -- trailing; comment\nSELECT 2 /* ; */;";
        var statements = SqlStatementSplitter.Split(sql);
        Assert.Equal(2, statements.Count);
        Assert.Equal("SELECT 1", statements[0].Text);
        Assert.Equal(sql.IndexOf("SELECT 1", StringComparison.Ordinal), statements[0].Offset);
        Assert.Equal("SELECT 2 /* ; */", statements[1].Text);
    }

    [Fact]
    public void Comment_only_script_has_no_statements()
    {
        Assert.Empty(Texts("-- nothing here;\n/* nor; here */\n"));
    }

    [Fact]
    public void Sql_standard_function_bodies_end_at_their_END()
    {
        var sql = """
            CREATE OR REPLACE FUNCTION add(a int, b int) RETURNS int LANGUAGE sql
            BEGIN ATOMIC
              SELECT CASE WHEN a > 0 THEN a ELSE 0 END;
              SELECT a + b;
            END;
            CREATE PROCEDURE p() LANGUAGE sql BEGIN ATOMIC INSERT INTO t VALUES (1); END;
            BEGIN;
            SELECT 3;
            COMMIT;
            """;
        var texts = Texts(sql);
        Assert.Equal(5, texts.Count);
        Assert.EndsWith("END", texts[0], StringComparison.Ordinal);
        Assert.Contains("SELECT a + b;", texts[0], StringComparison.Ordinal);
        Assert.StartsWith("CREATE PROCEDURE", texts[1], StringComparison.Ordinal);
        Assert.Equal(["BEGIN", "SELECT 3", "COMMIT"], texts.Skip(2));
    }

    [Fact]
    public void Offsets_point_at_the_first_character_of_each_statement()
    {
        var sql = "SELECT 1;\r\n\r\n  CREATE TABLE t (id int);";
        var statements = SqlStatementSplitter.Split(sql);
        Assert.Equal(0, statements[0].Offset);
        Assert.Equal(sql.IndexOf("CREATE", StringComparison.Ordinal), statements[1].Offset);
        Assert.Equal("CREATE TABLE t (id int)", sql.Substring(statements[1].Offset, statements[1].Text.Length));
    }

    [Fact]
    public void Words_skip_comments_and_literals_and_are_upper_cased()
    {
        var statement = Assert.Single(SqlStatementSplitter.Split("/* c */ create -- x\n unique index concurrently \"Idx\" on t (a)"));
        Assert.Equal(["CREATE", "UNIQUE", "INDEX", "CONCURRENTLY", "ON", "T", "A"], statement.Words);
    }

    [Theory]
    [InlineData("CREATE INDEX CONCURRENTLY i ON t (a)", true)]
    [InlineData("create unique index concurrently i on t (a)", true)]
    [InlineData("DROP INDEX CONCURRENTLY i", true)]
    [InlineData("REINDEX (VERBOSE) TABLE CONCURRENTLY t", true)]
    [InlineData("VACUUM ANALYZE t", true)]
    [InlineData("CREATE DATABASE d", true)]
    [InlineData("ALTER TABLE p DETACH PARTITION c CONCURRENTLY", true)]
    [InlineData("CREATE INDEX i ON t (a)", false)]
    [InlineData("COMMENT ON TABLE t IS 'VACUUM'", false)]
    [InlineData("-- VACUUM\nSELECT 1", false)]
    public void Recognizes_statements_that_cannot_run_in_a_transaction(string sql, bool nonTransactional)
    {
        var statement = Assert.Single(SqlStatementSplitter.Split(sql));
        Assert.Equal(nonTransactional, NonTransactionalStatements.Reason(statement) is not null);
    }
}
