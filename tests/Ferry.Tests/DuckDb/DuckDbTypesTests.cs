using Ferry.Schema;
using Ferry.Sources;
using Ferry.Sources.DuckDb;
using Ferry.Tests.Infrastructure;
using NpgsqlTypes;

namespace Ferry.Tests.DuckDb;

/// <summary>Every DuckDB type read from a real DuckDB database file through the vector interface, exactly.</summary>
public sealed class DuckDbTypesTests : IDisposable
{
    internal const string CreateEverything = """
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
        CREATE TABLE everything (
            id INTEGER PRIMARY KEY,
            b BOOLEAN, ti TINYINT, si SMALLINT, i INTEGER, bi BIGINT,
            uti UTINYINT, usi USMALLINT, ui UINTEGER, ubi UBIGINT,
            hi HUGEINT, uhi UHUGEINT, d DECIMAL(38,10), d2 DECIMAL(10,2), d3 DECIMAL(4,1),
            f FLOAT, db DOUBLE, dt DATE, t TIME, ttz TIMETZ,
            ts TIMESTAMP, ts_s TIMESTAMP_S, ts_ms TIMESTAMP_MS, ts_ns TIMESTAMP_NS, tstz TIMESTAMPTZ,
            iv INTERVAL, u UUID, v VARCHAR, bl BLOB, bt BIT, m mood,
            li INTEGER[], ls VARCHAR[], arr DOUBLE[3], nested INTEGER[][],
            st STRUCT(a INTEGER, b VARCHAR, c STRUCT(x DOUBLE)), mp MAP(VARCHAR, INTEGER),
            un UNION(num INTEGER, str VARCHAR), j JSON, ls_struct STRUCT(k INTEGER)[]
        );
        INSERT INTO everything VALUES (1, true, -128, -32768, -2147483648, -9223372036854775808,
            255, 65535, 4294967295, 18446744073709551615,
            170141183460469231731687303715884105727, '340282366920938463463374607431768211455'::UHUGEINT,
            '1234567890123456789012345678.0123456789'::DECIMAL(38,10), 12345678.91, -123.4,
            1.5, 3.141592653589793, DATE '2024-02-29', TIME '23:59:59.999999', TIMETZ '12:34:56+02:30',
            TIMESTAMP '2024-01-02 03:04:05.123456', TIMESTAMP_S '2024-01-02 03:04:05', TIMESTAMP_MS '2024-01-02 03:04:05.123',
            TIMESTAMP_NS '2024-01-02 03:04:05.123456789', TIMESTAMPTZ '2024-01-02 03:04:05+05',
            INTERVAL '1 year 2 months 3 days 04:05:06.789', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
            'héllo wörld ✓ 😀', '\xDE\xAD\xBE\xEF'::BLOB, '101100101'::BIT, 'happy',
            [1, NULL, 3], ['a', 'b"c', NULL], [1.5, 2.5, 3.5], [[1, 2], [3]],
            {'a': 1, 'b': 'x"y', 'c': {'x': 2.5}}, MAP {'k1': 1, 'k2': NULL}, union_value(str := 'hi'),
            '{"a": [1, 2.50, "x"]}', [{'k': 1}, {'k': 2}]);
        INSERT INTO everything (id) VALUES (2);
        INSERT INTO everything (id, li, ls) VALUES (3, [], []);
        """;

    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    internal static async Task<(SourceModel Model, TableModel Table, RecordingSink Sink)> ReadEverythingAsync(string path)
    {
        await using var source = DuckDbSource.Database(path);
        var model = await source.DiscoverAsync(CancellationToken.None);
        var table = model.Tables.Single(t => t.SourceName == "everything");
        using var reader = source.OpenReader(table, ReadRange.All);
        var sink = RecordingSink.ReadAll(reader, table.Columns.Count);
        Assert.Equal(3, reader.RowsRead);
        return (model, table, sink);
    }

    [Fact]
    public async Task Every_type_maps_to_its_PostgreSQL_type()
    {
        var path = _files.PathOf("types.duckdb");
        DuckDbTestFiles.Execute(path, CreateEverything);
        var (model, table, _) = await ReadEverythingAsync(path);

        string Target(string column) => table.Column(column).Type.ToSql();
        Assert.Equal("boolean", Target("b"));
        Assert.Equal("smallint", Target("ti"));
        Assert.Equal("smallint", Target("uti"));
        Assert.Equal("integer", Target("usi"));
        Assert.Equal("bigint", Target("ui"));
        Assert.Equal("numeric(20,0)", Target("ubi"));
        Assert.Equal("numeric", Target("hi"));
        Assert.Equal("numeric", Target("uhi"));
        Assert.Equal("numeric(38,10)", Target("d"));
        Assert.Equal("real", Target("f"));
        Assert.Equal("double precision", Target("db"));
        Assert.Equal("time without time zone", Target("t"));
        Assert.Equal("time with time zone", Target("ttz"));
        Assert.Equal("timestamp without time zone", Target("ts_ns"));
        Assert.Equal("timestamp with time zone", Target("tstz"));
        Assert.Equal("interval", Target("iv"));
        Assert.Equal("uuid", Target("u"));
        Assert.Equal("text", Target("v"));
        Assert.Equal("bytea", Target("bl"));
        Assert.Equal("bit varying", Target("bt"));
        Assert.Equal("public.mood", Target("m"));
        Assert.Equal(PgTypeKind.Enum, table.Column("m").Type.Kind);
        Assert.Equal(["sad", "ok", "happy"], model.Enums.Single().Labels);
        Assert.Equal("integer[]", Target("li"));
        Assert.Equal("text[]", Target("ls"));
        Assert.Equal("double precision[]", Target("arr"));
        Assert.Equal("jsonb", Target("nested"));
        Assert.Equal("jsonb", Target("st"));
        Assert.Equal("jsonb", Target("mp"));
        Assert.Equal("jsonb", Target("un"));
        Assert.Equal("jsonb", Target("j"));
        Assert.Equal("jsonb", Target("ls_struct"));
        Assert.Equal("DECIMAL(p,s) → numeric(p,s)", table.Column("d").Rule);
        Assert.Equal("DECIMAL(38,10)", table.Column("d").SourceType);
        Assert.Equal(["id"], table.PrimaryKey!.Columns);
        Assert.True(table.Column("id").NotNull);
    }

    [Fact]
    public async Task Every_type_reads_exactly()
    {
        var path = _files.PathOf("types.duckdb");
        DuckDbTestFiles.Execute(path, CreateEverything);
        var (_, table, sink) = await ReadEverythingAsync(path);
        var row = sink.Rows[0];
        object? Value(string column) => row[table.Columns.FindIndex(c => c.SourceName == column)];

        Assert.Equal(true, Value("b"));
        Assert.Equal((short)-128, Value("ti"));
        Assert.Equal((short)-32768, Value("si"));
        Assert.Equal(int.MinValue, Value("i"));
        Assert.Equal(long.MinValue, Value("bi"));
        Assert.Equal((short)255, Value("uti"));
        Assert.Equal(65535, Value("usi"));
        Assert.Equal(4294967295L, Value("ui"));
        Assert.Equal(18446744073709551615m, Value("ubi"));
        Assert.Equal("numeric:170141183460469231731687303715884105727", Value("hi"));
        Assert.Equal("numeric:340282366920938463463374607431768211455", Value("uhi"));
        Assert.Equal("numeric:1234567890123456789012345678.0123456789", Value("d"));
        Assert.Equal(12345678.91m, Value("d2"));
        Assert.Equal(-123.4m, Value("d3"));
        Assert.Equal(1.5f, Value("f"));
        Assert.Equal(3.141592653589793, Value("db"));
        Assert.Equal(new DateOnly(2024, 2, 29), Value("dt"));
        Assert.Equal(new TimeSpan(0, 23, 59, 59).Add(TimeSpan.FromTicks(9_999_990)), Value("t"));
        var ttz = Assert.IsType<DateTimeOffset>(Value("ttz"));
        Assert.Equal(new TimeSpan(12, 34, 56), ttz.TimeOfDay);
        Assert.Equal(new TimeSpan(2, 30, 0), ttz.Offset);
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5).AddTicks(1_234_560), Value("ts"));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5), Value("ts_s"));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5, 123), Value("ts_ms"));
        Assert.Equal(new DateTime(2024, 1, 2, 3, 4, 5).AddTicks(1_234_570), Value("ts_ns"));
        var tstz = Assert.IsType<DateTime>(Value("tstz"));
        Assert.Equal(new DateTime(2024, 1, 1, 22, 4, 5, DateTimeKind.Utc), tstz);
        Assert.Equal(DateTimeKind.Utc, tstz.Kind);
        Assert.Equal(new NpgsqlInterval(14, 3, ((4 * 3600) + (5 * 60) + 6) * 1_000_000L + 789_000), Value("iv"));
        Assert.Equal(Guid.Parse("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"), Value("u"));
        Assert.Equal("héllo wörld ✓ 😀", Value("v"));
        Assert.Equal(new byte[] { 0xDE, 0xAD, 0xBE, 0xEF }, Value("bl"));
        Assert.Equal("101100101", Value("bt"));
        Assert.Equal("happy", Value("m"));
        Assert.Equal(new int?[] { 1, null, 3 }, Value("li"));
        Assert.Equal(new[] { "a", "b\"c", null }, Value("ls"));
        Assert.Equal(new double?[] { 1.5, 2.5, 3.5 }, Value("arr"));
        Assert.Equal("[[1,2],[3]]", Value("nested"));
        Assert.Equal("""{"a":1,"b":"x\"y","c":{"x":2.5}}""", Value("st"));
        Assert.Equal("""{"k1":1,"k2":null}""", Value("mp"));
        Assert.Equal("""{"str":"hi"}""", Value("un"));
        Assert.Equal("""{"a": [1, 2.50, "x"]}""", Value("j"));
        Assert.Equal("""[{"k":1},{"k":2}]""", Value("ls_struct"));

        // TIMESTAMP_NS: the 789 nanoseconds are reported, the row still goes.
        var repair = Assert.Single(sink.Repairs);
        Assert.Equal(table.Columns.FindIndex(c => c.SourceName == "ts_ns"), repair.Column);
        Assert.Contains("2024-01-02T03:04:05.123456789", repair.Original, StringComparison.Ordinal);
        Assert.Empty(sink.Rejects);

        // Row 2: every value NULL but the key; row 3: empty lists.
        Assert.All(sink.Rows[1].Skip(1), v => Assert.Same(RecordingSink.Null, v));
        Assert.Equal(Array.Empty<int?>(), sink.Rows[2][table.Columns.FindIndex(c => c.SourceName == "li")]);
        Assert.Equal(Array.Empty<string?>(), sink.Rows[2][table.Columns.FindIndex(c => c.SourceName == "ls")]);
    }
}
