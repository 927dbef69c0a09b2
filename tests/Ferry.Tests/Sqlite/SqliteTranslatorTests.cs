using Ferry.Schema;
using Ferry.Sources.Sqlite;

namespace Ferry.Tests.Sqlite;

public sealed class SqliteTranslatorTests
{
    [Theory]
    [InlineData("SELECT [Name], `Total` FROM \"Invoice\"", "SELECT \"name\", total FROM invoice")]
    [InlineData("SELECT ifnull(a, 0) FROM t", "SELECT coalesce(a, 0) FROM t")]
    [InlineData("SELECT a FROM t WHERE a == 1 AND b != 2", "SELECT a FROM t WHERE a = 1 AND b != 2")]
    [InlineData("SELECT a FROM t WHERE a IS b", "SELECT a FROM t WHERE a IS NOT DISTINCT FROM b")]
    [InlineData("SELECT a FROM t WHERE a IS NOT NULL", "SELECT a FROM t WHERE a IS NOT NULL")]
    [InlineData("SELECT a FROM t WHERE name LIKE 'a%'", "SELECT a FROM t WHERE translate((\"name\")::text, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') LIKE translate(('a%')::text, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz') ESCAPE ''")]
    [InlineData("SELECT max(a, b), min(c) FROM t", "SELECT CASE WHEN (a) IS NULL OR (b) IS NULL THEN NULL ELSE greatest(a, b) END, min(c) FROM t")]
    [InlineData("SELECT min(a, b + 1, 3) FROM t", "SELECT CASE WHEN (a) IS NULL OR (b + 1) IS NULL OR (3) IS NULL THEN NULL ELSE least(a, b + 1, 3) END FROM t")]
    [InlineData("SELECT total(x), group_concat(y, ';') FROM t", "SELECT coalesce(sum(x)::double precision, 0), string_agg(CAST(y AS text), ';') FROM t")]
    [InlineData("SELECT iif(a > 0, 'pos', 'neg') FROM t", "SELECT CASE WHEN a > 0 THEN 'pos' ELSE 'neg' END FROM t")]
    [InlineData("SELECT CAST(a AS INTEGER), CAST(b AS REAL) FROM t", "SELECT CAST(a AS bigint), CAST(b AS double precision) FROM t")]
    [InlineData("SELECT round(price, 2) FROM t", "SELECT round((price)::numeric, 2)::double precision FROM t")]
    [InlineData("SELECT round(price), round(price, -1), round(price, 40) FROM t", "SELECT round((price)::numeric)::double precision, round((price)::numeric, 0)::double precision, round((price)::numeric, 30)::double precision FROM t")]
    [InlineData("SELECT round(price, digits) FROM t", "SELECT round((price)::numeric, greatest(least((digits)::int, 30), 0))::double precision FROM t")]
    [InlineData("SELECT strftime('%Y-%m', at) FROM t", "SELECT to_char((at)::timestamp, 'YYYY-MM') FROM t")]
    [InlineData("SELECT strftime('%s', at) FROM t", "SELECT extract(epoch from (at)::timestamp)::bigint FROM t")]
    [InlineData("SELECT datetime('now', 'localtime')", "SELECT LOCALTIMESTAMP")]
    [InlineData("SELECT date(at, '+1 month') FROM t", "SELECT ((at)::timestamp + interval '1 months')::date FROM t")]
    [InlineData("SELECT a FROM t LIMIT 5, 10", "SELECT a FROM t LIMIT 10 OFFSET 5")]
    [InlineData("SELECT datetime(created, 'unixepoch') FROM t", "SELECT ((to_timestamp(created) AT TIME ZONE 'UTC'))::timestamp FROM t")]
    [InlineData("SELECT date('now', 'start of month', '+1 month', '-1 day')", "SELECT (date_trunc('month', ((now() AT TIME ZONE 'UTC'))::timestamp) + interval '1 months' + interval '-1 days')::date")]
    [InlineData("SELECT a FROM t WHERE b IN (SELECT c FROM u) ORDER BY a DESC", "SELECT a FROM t WHERE b IN (SELECT c FROM u) ORDER BY a DESC")]
    [InlineData("SELECT instr(a, 'x'), substr(a, 2, 3) FROM t", "SELECT strpos(CAST(a AS text), 'x'), substr(CAST(a AS text), 2, 3) FROM t")]
    [InlineData("SELECT a FROM t ORDER BY a COLLATE NOCASE", "SELECT a FROM t ORDER BY a")]
    [InlineData("SELECT x'ab', 0x10 -- comment\nFROM t", "SELECT E'\\\\xab'::bytea, 16 FROM t")]
    [InlineData("SELECT first, last, row, range FROM people ORDER BY last NULLS FIRST", "SELECT first, last, \"row\", range FROM people ORDER BY last NULLS FIRST")]
    [InlineData("SELECT row_number() OVER (PARTITION BY a ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t", "SELECT row_number() OVER (PARTITION BY a ORDER BY b ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM t")]
    [InlineData("SELECT count(*) FILTER (WHERE a > 1) FROM t", "SELECT count(*) FILTER (WHERE a > 1) FROM t")]
    [InlineData("WITH RECURSIVE n(i) AS (VALUES (1)) SELECT i FROM n", "WITH RECURSIVE n(i) AS (VALUES (1)) SELECT i FROM n")]
    public void Translates_SQLite_to_PostgreSQL(string sqlite, string expected)
    {
        var translator = new SqliteSqlTranslator(NamingRule.Lower);
        Assert.Equal(expected, translator.Translate(sqlite));
        Assert.Null(translator.Problem);
    }

    [Theory]
    [InlineData("SELECT a FROM t WHERE a GLOB 'x*'", "GLOB")]
    [InlineData("SELECT rowid FROM t", "rowid")]
    [InlineData("SELECT json_extract(a, '$.b') FROM t", "json_extract()")]
    [InlineData("SELECT a ->> '$.b' FROM t", "->>")]
    [InlineData("SELECT date(a, 'weekday 0') FROM t", "weekday 0")]
    [InlineData("SELECT a FROM t WHERE b = ?1", "parameter")]
    public void Refuses_what_it_cannot_translate_faithfully(string sqlite, string problem)
    {
        var translator = new SqliteSqlTranslator(NamingRule.Lower);
        Assert.Null(translator.Translate(sqlite));
        Assert.Contains(problem, translator.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_follow_the_rule_and_are_quoted_where_PostgreSQL_needs_it()
    {
        var preserve = new SqliteSqlTranslator(NamingRule.Preserve);
        Assert.Equal("SELECT \"InvoiceId\", \"user\" FROM \"Invoice Line\"", preserve.Translate("SELECT InvoiceId, [user] FROM [Invoice Line]"));
        var snake = new SqliteSqlTranslator(NamingRule.Snake);
        Assert.Equal("SELECT invoice_id FROM invoice_line", snake.Translate("SELECT InvoiceId FROM InvoiceLine"));
    }

    [Fact]
    public void Sums_of_boolean_columns_count_them_as_integers()
    {
        var translator = new SqliteSqlTranslator(NamingRule.Lower);
        translator.BooleanColumns.Add("converted");
        Assert.Equal("SELECT sum((a.converted)::int)::bigint, avg((converted)::int)::double precision, coalesce(sum((converted)::int)::double precision, 0), sum(other) FROM t a",
            translator.Translate("SELECT sum(a.converted), avg(converted), total(converted), sum(other) FROM t a"));
        Assert.Null(translator.Problem);
    }

    [Fact]
    public void A_double_quoted_word_that_names_nothing_is_a_string_as_in_SQLite()
    {
        var translator = new SqliteSqlTranslator(NamingRule.Lower);
        translator.KnownNames.UnionWith(["users", "status", "Name"]);
        Assert.Equal("status = 'active' AND \"name\" <> 'x'", translator.Translate("\"status\" = \"active\" AND \"Name\" <> 'x'"));
        Assert.Equal("SELECT status AS \"current state\" FROM users ORDER BY \"current state\"",
            translator.Translate("SELECT status AS \"Current State\" FROM users ORDER BY \"Current State\""));
    }
}
