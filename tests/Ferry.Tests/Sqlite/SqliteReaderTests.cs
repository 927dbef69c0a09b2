using System.Text;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Sqlite;

public sealed class SqliteReaderTests
{
    static RecordedValue Only(List<RecordedRow> rows, int row, int column = 1) => rows[row][column];

    [Fact]
    public async Task Integers_convert_and_bad_text_is_rejected_with_its_reason()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, qty INTEGER)",
            "INSERT INTO t VALUES (1, 5), (2, 'lots-of-it'), (3, NULL), (4, 9223372036854775807), (5, 1e18), (6, x'01')");
        var (table, rows) = await file.ReadAsync("t");
        Assert.Equal("bigint", table.Column("qty").Type.ToSql());
        Assert.Contains("Column qty (INTEGER → bigint): 1 text value (e.g. 'lots-of-it') is not integers: those rows will be rejected; 1 blob stored: those rows will be rejected.", table.Notes);
        Assert.Equal(6, rows.Count);
        Assert.Equal(new RecordedValue("int64", 5L), Only(rows, 0));
        Assert.Equal(new RecordedValue("reject", "lots-of-it", "text 'lots-of-it' is not an integer"), Only(rows, 1));
        Assert.Equal(new RecordedValue("null", null), Only(rows, 2));
        Assert.Equal(new RecordedValue("int64", long.MaxValue), Only(rows, 3));
        Assert.Equal(new RecordedValue("int64", 1_000_000_000_000_000_000L), Only(rows, 4));
        Assert.Equal(new RecordedValue("reject", "\\x01", "blob of 1 bytes is not an integer"), Only(rows, 5));
        Assert.Equal(new RecordedValue("int64", 2L), rows[1][0]); // the rest of a rejected row is still read
    }

    [Fact]
    public async Task Fractions_in_an_integer_column_make_it_numeric_or_are_rejected_as_bigint()
    {
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY, qty INTEGER)", "INSERT INTO t VALUES (1, 5), (2, 1.5)");
        var (table, rows) = await file.ReadAsync("t");
        Assert.Equal(PgType.Numeric, table.Column("qty").Type);
        Assert.Contains("1 real value (a fraction, or an integer beyond 64 bits) stored → numeric", table.Column("qty").Rule, StringComparison.Ordinal);
        Assert.Equal([5m, 1.5m], rows.Select(r => (decimal)r[1].Value!));

        var (_, forced) = await file.ReadAsync("t", adjust: t => t.Column("qty").Type = PgType.BigInt);
        Assert.Equal("real 1.5 is not an integer", Only(forced, 1).Reason);
    }

    [Fact]
    public async Task Narrow_integers_are_range_checked()
    {
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY, s SMALLINT)", "INSERT INTO t VALUES (1, 7), (2, '12')");
        var (_, rows) = await file.ReadAsync("t", adjust: t => t.Column("s").Type = PgType.SmallInt);
        Assert.Equal(new RecordedValue("int16", (short)7), Only(rows, 0));
        Assert.Equal(new RecordedValue("int16", (short)12), Only(rows, 1));

        file.Execute("INSERT INTO t VALUES (3, 70000)");
        var (_, again) = await file.ReadAsync("t", adjust: t => t.Column("s").Type = PgType.SmallInt);
        Assert.Equal("integer 70000 is out of range for smallint", Only(again, 2).Reason);

        var (_, wide) = await file.ReadAsync("t", adjust: t => t.Column("s").Type = PgType.Integer);
        Assert.Equal(new RecordedValue("int32", 70000), Only(wide, 2));
    }

    [Fact]
    public async Task Reals_are_double_precision_and_numbers_in_text_parse()
    {
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY, r REAL)", "INSERT INTO t VALUES (1, 0.1), (2, 3), (3, ' 2.5e3'), (4, 'abc')");
        var (table, rows) = await file.ReadAsync("t");
        Assert.Equal(PgType.DoublePrecision, table.Column("r").Type);
        Assert.Equal(new RecordedValue("float8", 0.1), Only(rows, 0));
        Assert.Equal(new RecordedValue("float8", 3.0), Only(rows, 1));
        Assert.Equal(new RecordedValue("float8", 2500.0), Only(rows, 2));
        Assert.Equal("text 'abc' is not a number", Only(rows, 3).Reason);
    }

    [Fact]
    public async Task Numerics_are_exact()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, price NUMERIC(10,2), big)",
            "INSERT INTO t VALUES (1, 12.30, 1), (2, 0.1, 2), (3, 7, 3.5), (4, 123456789012, '12345678901234567890123456789012345'), (5, 'n/a', NULL)",
            "UPDATE t SET price = CAST('12.30' AS TEXT) WHERE id = 1");
        var (table, rows) = await file.ReadAsync("t", adjust: t => t.Column("big").Type = PgType.Numeric);
        Assert.Equal("numeric(10,2)", table.Column("price").Type.ToSql());
        Assert.Equal(new RecordedValue("decimal", 12.3m), Only(rows, 0));
        Assert.Equal(new RecordedValue("decimal", 0.1m), Only(rows, 1));
        Assert.Equal(new RecordedValue("decimal", 7m), Only(rows, 2));
        Assert.Equal("number 123456789012 does not fit numeric(10,2)", Only(rows, 3).Reason);
        Assert.Equal("text 'n/a' is not a number", Only(rows, 4).Reason);
        Assert.Equal(new RecordedValue("decimal", 3.5m), Only(rows, 2, 2));
        Assert.Equal(new RecordedValue("numeric-text", "12345678901234567890123456789012345"), Only(rows, 3, 2));
    }

    [Fact]
    public async Task Text_longer_than_a_cast_char_or_varchar_is_rejected_naming_that_type_and_its_characters()
    {
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY, c TEXT, v TEXT)", "INSERT INTO t VALUES (1, 'yes', 'ok'), (2, 'y', 'ééé€')");
        var (_, rows) = await file.ReadAsync("t", adjust: t => { t.Column("c").Type = PgType.CharOf(1); t.Column("v").Type = PgType.VarcharOf(3); });
        Assert.Equal("text of 3 characters is longer than char(1)", Only(rows, 0).Reason);
        Assert.Equal("text of 4 characters is longer than varchar(3)", Only(rows, 1, 2).Reason);
    }

    [Theory]
    [InlineData(0.1, "0.10")]
    [InlineData(1234.56, "1234.56")]
    [InlineData(-7.5, "-7.50")]
    [InlineData(0.125, "0.125")]
    [InlineData(1e-7, "0.0000001")]
    [InlineData(123456789012.34, "123456789012.34")]
    public async Task Reals_become_the_decimal_of_their_shortest_text(double stored, string expected)
    {
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY, v REAL)");
        file.Insert("INSERT INTO t (v) VALUES ($v)", stored);
        var (_, rows) = await file.ReadAsync("t", adjust: t => t.Column("v").Type = PgType.NumericOf(16, 2));
        var value = Assert.IsType<decimal>(Only(rows, 0).Value);
        Assert.Equal(expected, value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Numeric_text_keeps_its_written_scale()
    {
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", "INSERT INTO t VALUES (1, '12.30'), (2, '-0.001'), (3, '1e3')");
        var (_, rows) = await file.ReadAsync("t", adjust: t => t.Column("v").Type = PgType.Numeric);
        var value = Assert.IsType<decimal>(Only(rows, 0).Value);
        Assert.Equal("12.30", value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(new RecordedValue("decimal", -0.001m), Only(rows, 1));
        Assert.Equal(new RecordedValue("numeric-text", "1e3"), Only(rows, 2));
    }

    [Fact]
    public async Task Booleans_from_integers_and_text()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, b BOOLEAN)",
            "INSERT INTO t VALUES (1, 1), (2, 0), (3, 't'), (4, 'FALSE'), (5, 'yes'), (6, 'maybe'), (7, 2)");
        var (table, rows) = await file.ReadAsync("t");
        Assert.Equal(PgType.Boolean, table.Column("b").Type);
        Assert.Equal([true, false, true, false, true], rows.Take(5).Select(r => (bool)r[1].Value!));
        Assert.StartsWith("text 'maybe' is not a boolean", Only(rows, 5).Reason, StringComparison.Ordinal);
        Assert.StartsWith("integer 2 is not a boolean", Only(rows, 6).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timestamps_from_every_SQLite_form()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, at DATETIME)",
            """
            INSERT INTO t VALUES
              (1, '2024-03-05'), (2, '2024-03-05 14:30'), (3, '2024-03-05 14:30:15'), (4, '2024-03-05T14:30:15.123456'),
              (5, '2024-03-05T14:30:15Z'), (6, '2024-03-05 14:30:15+02:00'), (7, 1700000000), (8, 1700000000123),
              (9, 2460000.5), (10, 'not a date'), (11, '2024-02-30')
            """);
        var (table, rows) = await file.ReadAsync("t");
        Assert.Equal(PgType.Timestamp, table.Column("at").Type);
        Assert.Contains(table.Notes, n => n.Contains("2 integers read as Unix epoch seconds to milliseconds, each by its magnitude", StringComparison.Ordinal));
        Assert.Contains(table.Notes, n => n.Contains("text values with a UTC offset or 'Z' stored (2 in the first 100,000 rows): converted to UTC", StringComparison.Ordinal));
        DateTime At(int row) => Assert.IsType<DateTime>(Only(rows, row).Value);
        Assert.Equal(new DateTime(2024, 3, 5), At(0));
        Assert.Equal(new DateTime(2024, 3, 5, 14, 30, 0), At(1));
        Assert.Equal(new DateTime(2024, 3, 5, 14, 30, 15), At(2));
        Assert.Equal(new DateTime(2024, 3, 5, 14, 30, 15).AddTicks(1234560), At(3));
        Assert.Equal(new DateTime(2024, 3, 5, 14, 30, 15), At(4));
        Assert.Equal(new DateTime(2024, 3, 5, 12, 30, 15), At(5));
        Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20), At(6));
        Assert.Equal(new DateTime(2023, 11, 14, 22, 13, 20, 123), At(7));
        Assert.Equal(new DateTime(2023, 2, 25, 0, 0, 0), At(8));
        Assert.All(rows.Take(9), r => Assert.Equal(DateTimeKind.Unspecified, ((DateTime)r[1].Value!).Kind));
        Assert.Equal("text 'not a date' is not a timestamp", Only(rows, 9).Reason);
        Assert.Equal("reject", Only(rows, 10).Kind);
    }

    [Fact]
    public async Task Timestamptz_dates_and_times()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, tz TIMESTAMPTZ, d DATE, tm TIME)",
            "INSERT INTO t VALUES (1, '2024-03-05 14:30:15', '2024-03-05', '14:30:15.5'), (2, '2024-03-05T14:30:15-05:00', '2024-03-05 10:00:00', '25:00')");
        var (table, rows) = await file.ReadAsync("t", adjust: t => t.Column("d").Type = PgType.Date);
        Assert.Contains(table.Notes, n => n.StartsWith("Column d (DATE → timestamp without time zone): 1 value with a time of day", StringComparison.Ordinal));
        var utc = Assert.IsType<DateTime>(Only(rows, 0).Value);
        Assert.Equal(DateTimeKind.Utc, utc.Kind);
        Assert.Equal(new DateTime(2024, 3, 5, 14, 30, 15), utc);
        Assert.Equal(new DateTime(2024, 3, 5, 19, 30, 15), (DateTime)Only(rows, 1).Value!);
        Assert.Equal(new RecordedValue("date", new DateOnly(2024, 3, 5)), Only(rows, 0, 2));
        Assert.Contains("has a time of day", Only(rows, 1, 2).Reason, StringComparison.Ordinal);
        Assert.Equal(new RecordedValue("time", new TimeSpan(0, 14, 30, 15, 500)), Only(rows, 0, 3));
        Assert.Equal("reject", Only(rows, 1, 3).Kind);
    }

    [Fact]
    public async Task Text_blobs_uuids_and_json()
    {
        var guid = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        using var file = new SqliteTestFile(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT, data BLOB, u UUID, j JSON)",
            "INSERT INTO t VALUES (1, 'héllo', x'00ff', '0f8fad5b-d9cb-469f-a165-70867728950e', '{\"a\": [1, 2]}'), (2, 42, 'abc', x'0f8fad5bd9cb469fa16570867728950e', '{oops'), (3, 1.0, NULL, 'nope', 7)");
        var (table, rows) = await file.ReadAsync("t");
        Assert.Equal(PgType.Jsonb, table.Column("j").Type);
        Assert.Equal(new RecordedValue("text", "héllo"), Only(rows, 0));
        Assert.Equal(new RecordedValue("text", "42"), Only(rows, 1));
        Assert.Equal(new RecordedValue("text", "1.0"), Only(rows, 2));
        Assert.Equal(new byte[] { 0, 255 }, (byte[])Only(rows, 0, 2).Value!);
        Assert.Equal("abc"u8.ToArray(), (byte[])Only(rows, 1, 2).Value!);
        Assert.Equal(new RecordedValue("uuid", guid), Only(rows, 0, 3));
        Assert.Equal(new RecordedValue("uuid", guid), Only(rows, 1, 3));
        Assert.Equal("text 'nope' is not a UUID", Only(rows, 2, 3).Reason);
        Assert.Equal(new RecordedValue("text", "{\"a\": [1, 2]}"), Only(rows, 0, 4));
        Assert.Equal("text '{oops' is not valid JSON", Only(rows, 1, 4).Reason);
        Assert.Equal(new RecordedValue("text", "7"), Only(rows, 2, 4));
    }

    [Fact]
    public async Task Invalid_utf8_is_repaired_as_windows_1252_or_rejected()
    {
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
        file.Execute("INSERT INTO t VALUES (1, CAST(x'436166e9209620ff' AS TEXT))");

        var (_, repaired) = await file.ReadAsync("t");
        Assert.Equal(new RecordedValue("text", "Café – ÿ"), Only(repaired, 0));
        var repair = Assert.Single(repaired[0].Repairs);
        Assert.Equal(1, repair.Column);
        Assert.Equal("\\x436166e9209620ff", repair.Original);
        Assert.Contains("Windows-1252", repair.Reason, StringComparison.Ordinal);

        var (_, rejected) = await file.ReadAsync("t", new SourceOptions { InvalidUtf8 = InvalidUtf8Handling.Reject });
        Assert.Equal("reject", Only(rejected, 0).Kind);
        Assert.Equal("\\x436166e9209620ff", Only(rejected, 0).Value);
        Assert.StartsWith("text is not valid UTF-8", Only(rejected, 0).Reason, StringComparison.Ordinal);
        Assert.Empty(rejected[0].Repairs);
    }

    [Fact]
    public void Windows_1252_maps_every_byte()
    {
        var all = Enumerable.Range(0, 256).Select(b => (byte)b).ToArray();
        var text = Ferry.Sources.Sqlite.Windows1252.Decode(all);
        Assert.Equal(256, text.Length);
        Assert.Equal(256, text.Distinct().Count());
        Assert.Equal('€', text[0x80]);
        Assert.Equal('é', text[0xE9]);
        Assert.Equal(Encoding.Latin1.GetString(all, 0xA0, 96), text[0xA0..]);
    }

    [Fact]
    public async Task Generated_columns_are_skipped_and_varchar_overflow_widens()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, a INTEGER, doubled INTEGER GENERATED ALWAYS AS (a * 2) STORED, code VARCHAR(3))",
            "INSERT INTO t (id, a, code) VALUES (1, 21, 'abcdef')");
        var (table, rows) = await file.ReadAsync("t");
        Assert.Equal("a * 2", table.Column("doubled").GeneratedSql);
        Assert.Equal(PgType.Text, table.Column("code").Type);
        Assert.Contains(table.Notes, n => n.Contains("values up to 6 characters", StringComparison.Ordinal));
        var row = Assert.Single(rows);
        Assert.Equal(3, row.Values.Count);
        Assert.Equal(new RecordedValue("text", "abcdef"), row[2]);
    }

    [Fact]
    public async Task Without_rowid_tables_read_whole_and_plan_one_range()
    {
        using var file = new SqliteTestFile("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER) WITHOUT ROWID", "INSERT INTO kv VALUES ('b', 2), ('a', 1)");
        await using var source = file.Source();
        var table = (await source.DiscoverAsync(CancellationToken.None)).Tables.Single();
        table.EstimatedRows = 10_000_000;
        Assert.Equal([ReadRange.All], source.PlanRanges(table, 8));
        var rows = RecordingSink.ReadAll(source, table, ReadRange.All);
        Assert.Equal(["a", "b"], rows.Select(r => (string)r[0].Value!));
    }

    [Fact]
    public async Task Rowid_ranges_cover_every_row_once_even_with_gaps_and_a_column_named_rowid()
    {
        using var file = new SqliteTestFile("CREATE TABLE t (rowid TEXT, v INTEGER)");
        file.Execute("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO t (_rowid_, rowid, v) SELECT i * 3, 'r' || i, i FROM n",
            "INSERT INTO t (_rowid_, rowid, v) VALUES (-7, 'neg', -7)");
        await using var source = file.Source();
        var table = (await source.DiscoverAsync(CancellationToken.None)).Tables.Single();
        table.EstimatedRows = 10_000_000;
        var ranges = source.PlanRanges(table, 7);
        Assert.Equal(7, ranges.Count);
        Assert.Null(ranges.FirstOrDefault(r => r.IsAll));
        var values = ranges.SelectMany(r => RecordingSink.ReadAll(source, table, r)).Select(r => (long)r[1].Value!).ToList();
        Assert.Equal(5001, values.Count);
        Assert.Equal(5001, values.Distinct().Count());
        Assert.Equal(-7, values[0]);
    }

    [Fact]
    public async Task Unreadable_target_types_are_refused_when_the_reader_opens()
    {
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
        await using var source = file.Source();
        var table = (await source.DiscoverAsync(CancellationToken.None)).Tables.Single();
        var planned = new PlannedTable(table);
        planned.Column("v").Type = PgType.Interval;
        var error = Assert.Throws<FerryException>(() => source.OpenReader(planned, ReadRange.All));
        Assert.Contains("Column t.v", error.Message, StringComparison.Ordinal);
        Assert.Contains("interval", error.Message, StringComparison.Ordinal);
    }
}
