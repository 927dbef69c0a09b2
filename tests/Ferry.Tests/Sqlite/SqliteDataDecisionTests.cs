using Ferry.Schema;

namespace Ferry.Tests.Sqlite;

/// <summary>SQLite is dynamically typed: the stored values correct the declared types, and every correction is noted.</summary>
public sealed class SqliteDataDecisionTests
{
    static async Task<TableModel> Discover(params string[] statements)
    {
        using var file = new SqliteTestFile(statements);
        return Assert.Single((await file.DiscoverAsync()).Tables);
    }

    [Fact]
    public async Task Mostly_text_in_an_integer_column_becomes_text()
    {
        var t = await Discover("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)", "INSERT INTO t (v) VALUES ('a'), ('b'), (3)");
        Assert.Equal(PgType.Text, t.Column("v").Type);
        Assert.Contains("Column v (INTEGER → text): 2 text values (e.g. 'a') in 3 rows: mostly text → text (every value kept).", t.Notes);
    }

    [Fact]
    public async Task Row_count_is_exact_where_a_decision_weighs_text_against_it_and_the_rowid_span_elsewhere()
    {
        // Rowids 1, 2 and 1000: three rows over a span of 1000.
        var clean = await Discover("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)", "INSERT INTO t VALUES (1, 1), (2, 2), (1000, 3)");
        Assert.Equal(PgType.BigInt, clean.Column("v").Type);
        Assert.Equal(1000, clean.EstimatedRows);

        var texts = await Discover("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)", "INSERT INTO t VALUES (1, 'a'), (2, 'b'), (1000, 3)");
        Assert.Equal(PgType.Text, texts.Column("v").Type);
        Assert.Equal(3, texts.EstimatedRows);
        Assert.Contains("Column v (INTEGER → text): 2 text values (e.g. 'a') in 3 rows: mostly text → text (every value kept).", texts.Notes);
    }

    [Fact]
    public async Task Zoned_texts_are_counted_in_the_first_rows_of_a_table_that_holds_only_what_it_declares()
    {
        // 150,000 text timestamps: zoned ones at rows 3, 50,000 and 120,000; only the first 100,000 rows are sampled.
        var t = await Discover(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, at DATETIME)",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 150000) INSERT INTO t SELECT i, '2024-03-05 14:30:15' FROM n",
            "UPDATE t SET at = '2024-03-05T14:30:15Z' WHERE id = 3",
            "UPDATE t SET at = '2024-03-05 14:30:15 +02:00' WHERE id IN (50000, 120000)");
        Assert.Equal(PgType.Timestamp, t.Column("at").Type);
        Assert.Contains(t.Notes, n => n.Contains("text values with a UTC offset or 'Z' stored (2 in the first 100,000 rows): converted to UTC", StringComparison.Ordinal));
        Assert.Equal(150_000, t.EstimatedRows);
    }

    [Fact]
    public async Task A_few_text_values_keep_the_integer_type_and_are_counted_as_rejects()
    {
        var t = await Discover("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)", "INSERT INTO t (v) VALUES ('lots-of-it'), (2), (3)");
        Assert.Equal(PgType.BigInt, t.Column("v").Type);
        Assert.Contains("1 text value (e.g. 'lots-of-it') is not integers: those rows will be rejected", t.Column("v").Rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Narrow_integers_widen_to_fit_the_stored_values()
    {
        var t = await Discover("CREATE TABLE t (a SMALLINT, b TINYINT, c MEDIUMINT)", "INSERT INTO t VALUES (40000, 5, 3000000000), (1, 300, 1)");
        Assert.Equal(PgType.Integer, t.Column("a").Type);
        Assert.Equal(PgType.SmallInt, t.Column("b").Type);
        Assert.Equal(PgType.BigInt, t.Column("c").Type);
        Assert.Contains(t.Notes, n => n.StartsWith("Column a (SMALLINT → integer): values from 40000 to 40000 stored → integer", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Booleans_by_their_values()
    {
        var t = await Discover(
            "CREATE TABLE t (flag BOOLEAN, word BOOL, counter BOOLEAN, odd BOOLEAN)",
            "INSERT INTO t VALUES (1, 'true', 0, 't'), (0, 'f', 2, 'maybe'), (NULL, 'no', 5, 'nah')");
        Assert.Equal(PgType.Boolean, t.Column("flag").Type);
        Assert.DoesNotContain(t.Notes, n => n.StartsWith("Column flag", StringComparison.Ordinal));
        Assert.Equal(PgType.Boolean, t.Column("word").Type);
        Assert.Contains("Column word (BOOL → boolean): 3 text values like 'true'/'f' read as booleans.", t.Notes);
        Assert.Equal(PgType.BigInt, t.Column("counter").Type);
        Assert.Contains("Column counter (BOOLEAN → bigint): integers from 2 to 5 stored, not just 0/1 → bigint.", t.Notes);
        Assert.Equal(PgType.Text, t.Column("odd").Type);
    }

    [Fact]
    public async Task Epoch_integers_and_julian_days_in_date_columns_are_noted()
    {
        var t = await Discover("CREATE TABLE t (at DATETIME, ms TIMESTAMP, jd DATE)", "INSERT INTO t VALUES (1700000000, 1700000000123, 2460000.5), ('2024-01-01 10:00:00', NULL, '2024-01-01')");
        Assert.Equal(PgType.Timestamp, t.Column("at").Type);
        Assert.Contains("Column at (DATETIME → timestamp without time zone): 1 integer read as Unix epoch seconds (UTC).", t.Notes);
        Assert.Contains("Column ms (TIMESTAMP → timestamp without time zone): 1 integer read as Unix epoch milliseconds (UTC).", t.Notes);
        Assert.Contains("Column jd (DATE → date): 1 real read as julian day numbers.", t.Notes);
    }

    [Fact]
    public async Task Epoch_integers_of_several_magnitudes_are_noted_with_every_unit_they_span()
    {
        var t = await Discover(
            "CREATE TABLE t (mixed DATETIME, ms DATETIME, us DATETIME)",
            "INSERT INTO t VALUES (19000, 1700000000000, 1700000000000000), (1700000000000, 1800000000000, 1700000000000001), (-1, NULL, NULL)");
        Assert.Contains("Column mixed (DATETIME → timestamp without time zone): 3 integers read as Unix epoch seconds to milliseconds, each by its magnitude (UTC).", t.Notes);
        Assert.Contains("Column ms (DATETIME → timestamp without time zone): 2 integers read as Unix epoch milliseconds (UTC).", t.Notes);
        Assert.Contains("Column us (DATETIME → timestamp without time zone): 2 integers read as Unix epoch microseconds (UTC).", t.Notes);
    }

    [Fact]
    public async Task Untyped_and_misspelled_columns_are_typed_by_their_values()
    {
        var t = await Discover(
            "CREATE TABLE t (a, b intege, c, d, e whatever, f)",
            "INSERT INTO t VALUES (1, 2, 1.5, x'00', 'x', NULL), (2, 3, 2, x'01', 1, NULL)");
        Assert.Equal(PgType.BigInt, t.Column("a").Type);
        Assert.Equal(PgType.BigInt, t.Column("b").Type);
        Assert.Equal(PgType.DoublePrecision, t.Column("c").Type);
        Assert.Equal(PgType.Bytea, t.Column("d").Type);
        Assert.Equal(PgType.Text, t.Column("e").Type);
        Assert.Equal(PgType.Text, t.Column("f").Type);
        Assert.Contains("Column b (intege → bigint): all 2 values are integers → bigint.", t.Notes);
        Assert.Contains("Column f (no declared type → text): no values stored → text.", t.Notes);
        Assert.StartsWith("name contains INT (SQLite INTEGER affinity) → by the data; data: all 2 values", t.Column("b").Rule, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reals_beside_integers_beyond_two_to_the_53_make_numeric_not_double_precision()
    {
        var t = await Discover(
            "CREATE TABLE t (small, big, low intege)",
            "INSERT INTO t VALUES (9007199254740992, 9007199254740993, 1.5), (-9007199254740992, 2.5, -9223372036854775808), (0.5, NULL, NULL)");
        Assert.Equal(PgType.DoublePrecision, t.Column("small").Type);
        Assert.Equal(PgType.Numeric, t.Column("big").Type);
        Assert.Equal(PgType.Numeric, t.Column("low").Type);
        Assert.Contains("Column big (no declared type → numeric): 1 integer and 1 real stored, integers up to 9007199254740993 that double precision would round → numeric (exact).", t.Notes);
        Assert.Contains("Column low (intege → numeric): 1 integer and 1 real stored, integers up to -9223372036854775808 that double precision would round → numeric (exact).", t.Notes);
    }

    [Fact]
    public async Task Numeric_without_precision_becomes_bigint_only_when_every_value_is_an_integer()
    {
        var t = await Discover("CREATE TABLE t (whole NUMERIC, part NUMERIC)", "INSERT INTO t VALUES (1, 1), (2, 2.5)");
        Assert.Equal(PgType.BigInt, t.Column("whole").Type);
        Assert.Contains("Column whole (NUMERIC → bigint): all 2 values are integers → bigint.", t.Notes);
        Assert.Equal(PgType.Numeric, t.Column("part").Type);
    }

    [Fact]
    public async Task Strict_tables_are_trusted()
    {
        var t = await Discover("CREATE TABLE t (id INTEGER PRIMARY KEY, n INT, r REAL, s TEXT, a ANY) STRICT", "INSERT INTO t VALUES (1, 2, 3.5, 'x', 'y'), (2, 3, 4, 'z', 5)");
        Assert.Equal(PgType.BigInt, t.Column("n").Type);
        Assert.Equal(PgType.DoublePrecision, t.Column("r").Type);
        Assert.Equal(PgType.Text, t.Column("s").Type);
        Assert.Equal(PgType.Text, t.Column("a").Type); // ANY: decided by the data (text and an integer)
        Assert.Equal(2, t.EstimatedRows);
    }

    [Fact]
    public async Task A_primary_key_holding_null_becomes_a_unique_constraint()
    {
        var t = await Discover("CREATE TABLE t (code TEXT PRIMARY KEY, v INTEGER)", "INSERT INTO t VALUES ('a', 1), (NULL, 2)");
        Assert.Null(t.PrimaryKey);
        Assert.Equal(["code"], Assert.Single(t.UniqueKeys).Columns);
        Assert.Contains("Primary key (code) holds NULL in 1 rows (SQLite allows it): it becomes a unique constraint.", t.Notes);
    }

    [Fact]
    public async Task Wide_tables_are_profiled_in_groups_of_columns()
    {
        var columns = Enumerable.Range(0, 150).Select(i => $"c{i} INTEGER").ToList();
        var t = await Discover($"CREATE TABLE wide (id INTEGER PRIMARY KEY, {string.Join(", ", columns)})",
            "INSERT INTO wide (c0, c149) VALUES ('x', 'y')", "INSERT INTO wide (c0, c149) VALUES (1, 'z')", "INSERT INTO wide (c0, c149) VALUES (2, 'w')");
        Assert.Equal(151, t.Columns.Count);
        Assert.Equal(PgType.BigInt, t.Column("c0").Type);
        Assert.Contains(t.Notes, n => n.StartsWith("Column c0 (INTEGER → bigint): 1 text value (e.g. 'x')", StringComparison.Ordinal));
        Assert.Equal(PgType.Text, t.Column("c149").Type);
    }

    [Fact]
    public async Task Large_tables_are_profiled_in_parallel_slices_that_add_up()
    {
        var t = await Discover(
            "CREATE TABLE big (id INTEGER PRIMARY KEY, v INTEGER, flag BOOLEAN)",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1100000) INSERT INTO big SELECT i, i, i % 2 FROM n",
            "UPDATE big SET v = 'first' WHERE id = 1",
            "UPDATE big SET v = 'last' WHERE id = 1100000",
            "UPDATE big SET flag = 'yes' WHERE id IN (5, 600000, 1099999)");
        Assert.Equal(1_100_000, t.EstimatedRows);
        Assert.Contains("Column v (INTEGER → bigint): 2 text values (e.g. 'first') are not integers: those rows will be rejected.", t.Notes);
        Assert.Contains("Column flag (BOOLEAN → boolean): 3 text values like 'true'/'f' read as booleans.", t.Notes);
    }

    [Fact]
    public async Task Dates_with_a_time_of_day_become_timestamps()
    {
        var t = await Discover(
            "CREATE TABLE t (midnight DATE, timed DATE, epoch DATE, plain DATE)",
            "INSERT INTO t VALUES ('2024-01-01 00:00:00', '2024-01-01 10:30:00', 1700000000, '2024-01-01')",
            "INSERT INTO t VALUES (1704067200, '2024-01-02', 1704067200, '2024-01-02')");
        Assert.Equal(PgType.Date, t.Column("midnight").Type);
        Assert.Equal(PgType.Timestamp, t.Column("timed").Type);
        Assert.Contains("Column timed (DATE → timestamp without time zone): 1 value with a time of day → timestamp (a date would drop it).", t.Notes);
        Assert.Equal(PgType.Timestamp, t.Column("epoch").Type);
        Assert.Equal(PgType.Date, t.Column("plain").Type);
    }
}
