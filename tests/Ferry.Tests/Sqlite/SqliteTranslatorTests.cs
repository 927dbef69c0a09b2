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
    [InlineData("SELECT a FROM t WHERE name LIKE 'a%'", "SELECT a FROM t WHERE \"name\" ILIKE 'a%'")]
    [InlineData("SELECT max(a, b), min(c) FROM t", "SELECT greatest(a, b), min(c) FROM t")]
    [InlineData("SELECT total(x), group_concat(y, ';') FROM t", "SELECT coalesce(sum(x), 0), string_agg((y)::text, ';') FROM t")]
    [InlineData("SELECT iif(a > 0, 'pos', 'neg') FROM t", "SELECT CASE WHEN a > 0 THEN 'pos' ELSE 'neg' END FROM t")]
    [InlineData("SELECT CAST(a AS INTEGER), CAST(b AS REAL) FROM t", "SELECT CAST(a AS bigint), CAST(b AS double precision) FROM t")]
    [InlineData("SELECT round(price, 2) FROM t", "SELECT round((price)::numeric, 2) FROM t")]
    [InlineData("SELECT strftime('%Y-%m', at) FROM t", "SELECT to_char((at)::timestamp, 'YYYY-MM') FROM t")]
    [InlineData("SELECT strftime('%s', at) FROM t", "SELECT extract(epoch from (at)::timestamp)::bigint FROM t")]
    [InlineData("SELECT datetime('now', 'localtime')", "SELECT LOCALTIMESTAMP")]
    [InlineData("SELECT date(at, '+1 month') FROM t", "SELECT ((at)::timestamp + interval '1 months')::date FROM t")]
    [InlineData("SELECT a FROM t LIMIT 5, 10", "SELECT a FROM t LIMIT 10 OFFSET 5")]
    [InlineData("SELECT a FROM t WHERE b IN (SELECT c FROM u) ORDER BY a DESC", "SELECT a FROM t WHERE b IN (SELECT c FROM u) ORDER BY a DESC")]
    [InlineData("SELECT instr(a, 'x'), substr(a, 2, 3) FROM t", "SELECT strpos(a, 'x'), substr(a, 2, 3) FROM t")]
    [InlineData("SELECT a FROM t ORDER BY a COLLATE NOCASE", "SELECT a FROM t ORDER BY a")]
    [InlineData("SELECT x'ab', 0x10 -- comment\nFROM t", "SELECT '\\xab'::bytea, 16 FROM t")]
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
}
