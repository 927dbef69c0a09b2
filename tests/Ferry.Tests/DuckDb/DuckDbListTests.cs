using Ferry.Copy;
using Ferry.Copy.Internal;
using Ferry.Internal;
using Ferry.Sources;
using Ferry.Sources.DuckDb;
using Ferry.Tests.Infrastructure;
using Ferry.Verify;

namespace Ferry.Tests.DuckDb;

/// <summary>Lists of every scalar type as PostgreSQL arrays; nested and tagged ones as jsonb; TIME_NS.</summary>
public sealed class DuckDbListTests : IDisposable
{
    const string CreateLists = """
        CREATE TYPE mood AS ENUM ('sad', 'ok');
        CREATE TABLE lists (id INTEGER PRIMARY KEY, a DATE[], b INTERVAL[], c TIMETZ[], d BIT[], e UUID[], f BLOB[], g UTINYINT[],
            h UBIGINT[], i TIMESTAMP_NS[], j TIMESTAMPTZ[], k MAP(INTEGER, VARCHAR[]), l UNION(n INTEGER, s VARCHAR)[],
            m INTEGER[2][], n mood[], o BOOLEAN[], p DECIMAL(10,2)[], q HUGEINT[], r FLOAT[], s TIME[], tn TIME_NS, ts TIMESTAMP[]);
        INSERT INTO lists VALUES (1, [DATE '2024-01-01', NULL], [INTERVAL 1 DAY, INTERVAL '1 month 2 hours'], ['12:00:00+01'::TIMETZ],
            ['101'::BIT, NULL], ['a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::UUID], ['\x01\x02'::BLOB], [255::UTINYINT],
            [18446744073709551615::UBIGINT], [TIMESTAMP_NS '2024-01-01 00:00:00.000000001'], [TIMESTAMPTZ '2024-01-01 00:00:00+02'],
            MAP {1: ['a'], 2: []}, [1::UNION(n INTEGER, s VARCHAR), 'x'::VARCHAR::UNION(n INTEGER, s VARCHAR)], [[1, 2], [3, 4]], ['ok'::mood, NULL],
            [true, false, NULL], [1.25, -3.50], [5, -5], [1.5], [TIME '01:02:03'], TIME_NS '12:00:00.123456789',
            [TIMESTAMP '2024-01-01 10:00:00']);
        INSERT INTO lists (id, q) VALUES (2, [170141183460469231731687303715884105727]);
        """;

    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Lists_of_scalars_are_typed_arrays_and_nested_ones_json()
    {
        var path = _files.PathOf("lists.duckdb");
        DuckDbTestFiles.Execute(path, CreateLists);
        await using var source = DuckDbSource.Database(path);
        var table = Assert.Single((await source.DiscoverAsync(CancellationToken.None)).Tables);
        Assert.Equal(
            ["integer", "date[]", "interval[]", "time with time zone[]", "bit varying[]", "uuid[]", "bytea[]", "smallint[]",
             "numeric(20,0)[]", "timestamp without time zone[]", "timestamp with time zone[]", "jsonb", "jsonb", "jsonb", "text[]",
             "boolean[]", "numeric(10,2)[]", "numeric[]", "real[]", "time without time zone[]", "time without time zone",
             "timestamp without time zone[]"],
            table.Columns.Select(c => c.Type.ToSql()));

        using var reader = source.OpenReader(table, ReadRange.All);
        var sink = RecordingSink.ReadAll(reader, table.Columns.Count);
        var row = sink.Rows[0];
        Assert.Equal(new int?[] { PgTemporal.Days(new DateOnly(2024, 1, 1)), null }, row[1]); // as PostgreSQL stores dates
        Assert.Equal(new short?[] { 255 }, row[7]);
        Assert.Equal(new decimal?[] { 18446744073709551615m }, row[8]);
        Assert.Equal(new long?[] { PgTemporal.Micros(new DateTime(2024, 1, 1)) }, row[9]);
        Assert.Equal("""{"1":["a"],"2":[]}""", row[11]);
        Assert.Equal("""[{"n":1},{"s":"x"}]""", row[12]);
        Assert.Equal(new[] { "ok", null }, row[14]);
        Assert.Equal(new TimeSpan(12, 0, 0).Add(TimeSpan.FromTicks(1_234_570)), row[20]);
        Assert.Equal(2, sink.Repairs.Count); // The nanosecond in i and the 789 ns in tn.
        // HUGEINT elements go as their exact digits, all 39 of them.
        Assert.Equal(["5", "-5"], ((WideNumeric?[])row[17]!).Select(w => w?.Text));
        Assert.Equal(["170141183460469231731687303715884105727"], ((WideNumeric?[])sink.Rows[1][17]!).Select(w => w?.Text));
        Assert.Empty(sink.Rejects);
    }

    [Fact]
    public async Task Lists_of_numerics_beyond_decimal_arrive_exactly_and_verify_identical()
    {
        var path = _files.PathOf("wide.duckdb");
        DuckDbTestFiles.Execute(path, """
            CREATE TABLE wide (id INTEGER PRIMARY KEY, q HUGEINT[], u UHUGEINT[], d DECIMAL(38,10)[], s DECIMAL(18,3)[]);
            INSERT INTO wide VALUES
                (1, [-170141183460469231731687303715884105727, NULL, 0], [340282366920938463463374607431768211455],
                    ['1234567890123456789012345678.0123456789', '-0.0000000001', NULL], [123456789012345.678]),
                (2, [], NULL, [1.5], NULL);
            """);
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await new CopyRunner(new CopyOptions { Source = "duckdb:" + path, Target = db.Target, RejectsDirectory = _files.PathOf("rejects") }).RunAsync(CancellationToken.None);

        Assert.Equal((2L, 2L, 0L), (result.RowsRead, result.RowsWritten, result.RowsRejected));
        var rows = await db.RowsAsync("SELECT q::text, u::text, d::text, s::text FROM wide ORDER BY id");
        Assert.Equal(
            ["{-170141183460469231731687303715884105727,NULL,0}", "{340282366920938463463374607431768211455}",
             "{1234567890123456789012345678.0123456789,-0.0000000001,NULL}", "{123456789012345.678}"],
            rows[0]);
        Assert.Equal(["{}", null, "{1.5000000000}", null], rows[1]);

        await DuckDbTestFiles.VerifyIdenticalThenChangedAsync(db, () => DuckDbSource.Database(path), "UPDATE wide SET d[1] = d[1] + 0.0000000001 WHERE id = 1");
    }

    [Fact]
    public async Task Lists_arrive_in_PostgreSQL_as_arrays_and_jsonb()
    {
        var path = _files.PathOf("lists.duckdb");
        DuckDbTestFiles.Execute(path, CreateLists);
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await new CopyRunner(new CopyOptions
        {
            Source = "duckdb:" + path,
            Target = db.Target,
            RejectsDirectory = _files.PathOf("rejects"),
        }).RunAsync(CancellationToken.None);
        Assert.Equal((2, 2, 0), (result.RowsRead, result.RowsWritten, result.RowsRejected));
        Assert.Equal("{170141183460469231731687303715884105727}", await db.ScalarAsync<string>("SELECT q::text FROM lists WHERE id = 2"));

        var row = (await db.RowsAsync("""
            SELECT a::text, b::text, c::text, d::text, e::text, f::text, g::text, h::text, i::text,
                   (j[1] AT TIME ZONE 'UTC')::text, k::text, l::text, m::text, n::text, o::text, p::text, q::text, r::text, s::text,
                   tn::text, ts::text
            FROM lists WHERE id = 1
            """)).Single();
        Assert.Equal(
            ["{2024-01-01,NULL}", "{\"1 day\",\"1 mon 02:00:00\"}", "{12:00:00+01}", "{101,NULL}", "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}",
             "{\"\\\\x0102\"}", "{255}", "{18446744073709551615}", "{\"2024-01-01 00:00:00\"}", "2023-12-31 22:00:00",
             """{"1": ["a"], "2": []}""", """[{"n": 1}, {"s": "x"}]""", "[[1, 2], [3, 4]]", "{ok,NULL}", "{t,f,NULL}", "{1.25,-3.50}",
             "{5,-5}", "{1.5}", "{01:02:03}", "12:00:00.123457", "{\"2024-01-01 10:00:00\"}"],
            row);
    }
}
