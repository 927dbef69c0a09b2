using System.Collections;
using System.Text;
using Ferry.Internal;
using Ferry.Schema;
using Ferry.Tests.Infrastructure;
using Ferry.Types;
using Ferry.Types.Numeric;
using Ferry.Verify.Internal;
using Npgsql;
using NpgsqlTypes;

namespace Ferry.Tests.Verify;

/// <summary>
/// For every PostgreSQL type Ferry writes: the same values stored in a real PostgreSQL column (sent by Npgsql, as
/// the copy sends them) and fed through the C# hashing sink give the same canonical text and the same hash.
/// </summary>
public sealed class CanonicalAgreementTests
{
    sealed record Case(string SqlType, PgType Type, object?[] Values, string? Setup = null);

    static readonly Dictionary<string, Case> Cases = new()
    {
        ["boolean"] = new("boolean", PgType.Boolean, [true, false, null]),
        ["smallint"] = new("smallint", PgType.SmallInt, [(short)0, short.MinValue, short.MaxValue, (short)-7]),
        ["integer"] = new("integer", PgType.Integer, [0, int.MinValue, int.MaxValue, 42]),
        ["bigint"] = new("bigint", PgType.BigInt, [0L, long.MinValue, long.MaxValue, -1L]),
        ["numeric"] = new("numeric", PgType.Numeric, [
            0m, 1.50m, -12.345000m, 100m, 0.001m, -0.000m, 79228162514264337593543950335m, 12345678901234567890.123456789m,
            "12345678901234567890123456789012345678", "-0.00000000000000000000000000000000000001", "NaN", "1000.000", "-5",
        ]),
        ["numeric(10,2)"] = new("numeric(10,2)", PgType.NumericOf(10, 2), [1.005m, -2.345m, 3m, 0.1m, 12345678.99m, "-0.004", "7.125"]),
        ["numeric(38,0)"] = new("numeric(38,0)", PgType.NumericOf(38, 0), ["99999999999999999999999999999999999999", "-17014118346046923173168730371588410572", 12.5m]),
        ["numeric(5,-2)"] = new("numeric(5,-2)", PgType.NumericOf(5, -2), [12345m, 149.9m, -150m, 99950m, -49.99m, "99949", "1234567.5"]),
        ["numeric(3,5)"] = new("numeric(3,5)", PgType.NumericOf(3, 5), [0.001234m, -0.000005m, 0m, 0.009994m, "0.000004999"]),
        ["numeric(1,-28)"] = new("numeric(1,-28)", PgType.NumericOf(1, -28), [75000000000000000000000000000m, -14999999999999999999999999999m, 4999999999999999999999999999m]),
        ["numeric(40,-29)"] = new("numeric(40,-29)", PgType.NumericOf(40, -29), [50000000000000000000000000000m, 49999999999999999999999999999m, -79228162514264337593543950335m, "149999999999999999999999999999"]),
        ["real"] = new("real", PgType.Real, [
            0.1f, 1e20f, 1e-7f, -0f, 0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.Epsilon,
            123456f, 1e6f, 100000f, 1.5e-5f, 0.0001f, 3.14159274f,
            // Their shortest decimal lies exactly halfway to the next float, which PostgreSQL's output never picks.
            3e10f, -3e10f, 1e10f, 6e10f, 16777217f, 1.6777218e7f,
        ]),
        ["double precision"] = new("double precision", PgType.DoublePrecision, [
            0.1, 1e20, 1e-7, -0.0, 0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 5e-324, double.MaxValue,
            123.456, 1e15, 1e14, 999999999999999.9, 0.0001, 1.5e-5, 2.0 / 3, -1.25e-300, 4.35,
            // Their shortest decimal lies exactly halfway to the next double, which PostgreSQL's output never picks:
            // it prints 1e23 as 9.999999999999999e+22.
            1e23, -2e23, 4e23, 8e23, 9007199254740993.0, 5e22, 1e24, 1.7976931348623157e308, 4503599627370497.5,
        ]),
        ["text"] = new("text", PgType.Text, ["hello", "", "ünïcödé ✓ 😀", "a|b\\c", "\\N", "tab\tnl\n", "quote'\"", "|", "\\", null]),
        ["varchar(20)"] = new("varchar(20)", PgType.VarcharOf(20), ["x|y", "", "end\\", "NULL"]),
        ["char(5)"] = new("char(5)", PgType.CharOf(5), ["ab", "ab   ", "", " x", "abcde"]),
        ["bytea"] = new("bytea", PgType.Bytea, [new byte[] { 0, 1, 0xAB, 0xFF }, Array.Empty<byte>(), "|\\"u8.ToArray()]),
        ["date"] = new("date", PgType.Date, [new DateOnly(2024, 2, 29), new DateOnly(1, 1, 1), new DateOnly(9999, 12, 31), new DateOnly(1969, 7, 20), new TestSource.Infinite(false), new TestSource.Infinite(true)]),
        ["time"] = new("time", PgType.Time, [TimeSpan.Zero, new TimeSpan(0, 23, 59, 59, 999, 999), new TimeSpan(0, 12, 34, 56, 500), TimeSpan.FromTicks(1234567)]),
        ["time(0)"] = new("time(0)", new PgType(PgTypeKind.Time, precision: 0), [new TimeSpan(0, 12, 34, 56, 500), new TimeSpan(0, 1, 2, 3, 499)]),
        ["timetz"] = new("timetz", PgType.TimeTz, [
            new DateTimeOffset(2000, 1, 1, 12, 30, 0, TimeSpan.FromHours(5.5)), new DateTimeOffset(2000, 1, 1, 0, 0, 0, 1, TimeSpan.FromHours(-8)),
            new DateTimeOffset(2000, 1, 1, 23, 59, 59, TimeSpan.Zero),
        ]),
        ["timestamp"] = new("timestamp", PgType.Timestamp, [
            new DateTime(2024, 1, 2, 3, 4, 5).AddTicks(1234560), new DateTime(1969, 12, 31, 23, 59, 59).AddTicks(9999990), new DateTime(1900, 1, 1),
            new DateTime(1, 1, 1, 0, 0, 1), DateTime.MaxValue, DateTime.MinValue, new DateTime(2000, 1, 1).AddTicks(-10),
            new TestSource.Infinite(false), new TestSource.Infinite(true),
        ]),
        ["timestamp(0)"] = new("timestamp(0)", new PgType(PgTypeKind.Timestamp, precision: 0), [new DateTime(2024, 1, 2, 3, 4, 5, 500), new DateTime(1960, 1, 2, 3, 4, 5, 500), new DateTime(1999, 12, 31, 23, 59, 59, 700)]),
        ["timestamptz"] = new("timestamptz", PgType.TimestampTz, [
            new DateTime(2024, 6, 1, 12, 0, 0, 500, DateTimeKind.Utc), new DateTime(1950, 6, 1, 23, 0, 0, DateTimeKind.Utc).AddTicks(10),
            new DateTime(2024, 12, 31, 23, 59, 59, DateTimeKind.Utc), DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc),
            new TestSource.Infinite(true),
        ]),
        ["interval"] = new("interval", PgType.Interval, [
            new NpgsqlInterval(14, 3, 14_706_500_000), new NpgsqlInterval(-14, -3, -3_723_000_001), new NpgsqlInterval(0, 0, 0),
            new NpgsqlInterval(0, 0, 90_000_000_000), new NpgsqlInterval(1, -1, 1), new NpgsqlInterval(0, 40, -500_000),
        ]),
        ["uuid"] = new("uuid", PgType.Uuid, [Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), Guid.Empty]),
        ["inet"] = new("inet", PgType.Parse("inet"), [
            "192.168.0.1", "0.0.0.0", "::1", "::", "2001:DB8:0:0:0:0:0:1", "::ffff:1.2.3.4", "::1.2.3.4", "1:0:2:3:4:5:6:7", "1:0:0:2:0:0:0:3", "fe80::",
        ]),
        ["json"] = new("json", PgType.Json, ["{\"b\":1,  \"a\" : [1, 2.50]}", "[]", "\"x|y\\\\\"", "{\"a\":1,\"a\":2}"]),
        ["jsonb"] = new("jsonb", PgType.Jsonb, [
            "{\"b\": 1, \"a\": [1, 2.50, {\"z\": null}], \"aa\": \"ü\\n\\\"x\\\"\", \"a\": 2}",
            "[1e2, 1.0e1, -0, 0.000, 1E-3, 123456789012345678901234567890, -1.5e-7, 2.5E+3]",
            "{\"é\": \"\\u00e9\\u001f\\t\\/\", \"z\": true, \"yy\": false, \"ab\": {}, \"aa\": []}",
            "\"top|level\\\\\"", "12.0", "null", "{\"b\": 1, \"ä\": 2, \"a\": 3}", "{}",
        ]),
        ["bit(4)"] = new("bit(4)", new PgType(PgTypeKind.Bit, length: 4), [Bits("1010"), Bits("0000")]),
        ["varbit"] = new("varbit", new PgType(PgTypeKind.VarBit), [Bits("101"), Bits(""), Bits("1111000011110000111")]),
        ["enum"] = new("mood", PgType.EnumOf("mood"), ["sad", "happy|x", "o\\k"], "CREATE TYPE mood AS ENUM ('sad', 'happy|x', 'o\\k')"),
        ["integer[]"] = new("integer[]", PgType.ArrayOf(PgType.Integer), [new int?[] { 1, null, 3 }, Array.Empty<int?>(), new int?[] { null }]),
        ["bigint[]"] = new("bigint[]", PgType.ArrayOf(PgType.BigInt), [new long[] { long.MinValue, 0 }]),
        ["text[]"] = new("text[]", PgType.ArrayOf(PgType.Text), [new string?[] { "a b", "", null, "NULL", "null", "q\"\\", "x,y", "{}", "|" }, Array.Empty<string?>()]),
        ["char(3)[]"] = new("char(3)[]", PgType.ArrayOf(PgType.CharOf(3)), [new string?[] { "a", "ab ", null }]),
        ["numeric[]"] = new("numeric[]", PgType.ArrayOf(PgType.Numeric), [new decimal?[] { 1.50m, null, 2m, -0.10m }]),
        ["double precision[]"] = new("double precision[]", PgType.ArrayOf(PgType.DoublePrecision), [new[] { 0.1, double.NaN, 1e20, -0.0 }]),
        ["boolean[]"] = new("boolean[]", PgType.ArrayOf(PgType.Boolean), [new[] { true, false }]),
        ["bytea[]"] = new("bytea[]", PgType.ArrayOf(PgType.Bytea), [new[] { new byte[] { 1, 2 }, Array.Empty<byte>() }]),
        ["timestamp[]"] = new("timestamp[]", PgType.ArrayOf(PgType.Timestamp), [
            new[] { new DateTime(2024, 1, 2, 3, 4, 5, 600), new DateTime(1969, 1, 1), DateTime.MinValue },
            new long?[] { PgTemporal.Micros(DateTime.MinValue), PgTemporal.TimestampInfinity, null, PgTemporal.TimestampNegativeInfinity },
        ]),
        ["date[]"] = new("date[]", PgType.ArrayOf(PgType.Date), [
            new[] { new DateOnly(2024, 1, 2), DateOnly.MinValue, DateOnly.MaxValue },
            new int?[] { PgTemporal.Days(DateOnly.MinValue), PgTemporal.DateInfinity, null, PgTemporal.DateNegativeInfinity },
        ]),
        ["uuid[]"] = new("uuid[]", PgType.ArrayOf(PgType.Uuid), [new[] { Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e") }]),
        // As DuckDB's ST_AsWKB writes them (ISO, little-endian), and as EWKB with the SRID the copy adds for a CRS.
        ["geometry"] = new("geometry", PgType.Geometry, [
            Convert.FromHexString("0101000000000000000000F03F0000000000000040"),
            Convert.FromHexString("01E9030020E6100000000000000000F03F00000000000000400000000000000840"),
            Convert.FromHexString("010300000000000000"),
            Convert.FromHexString("0101000000000000000000F87F000000000000F87F"),
            Convert.FromHexString("0104000020E6100000020000000101000000000000000000F03F0000000000000040010100000000000000000008400000000000001040"),
            null,
        ], "CREATE EXTENSION IF NOT EXISTS postgis"),
    };

    /// <summary>Cases that need an extension the machine may not have: run by their own facts, which skip saying why.</summary>
    static readonly HashSet<string> NeedPostGis = ["geometry"];

    static BitArray Bits(string text) => new(text.Select(c => c == '1').ToArray());

    public static TheoryData<string> Names => [.. Cases.Keys.Except(NeedPostGis)];

    /// <summary>A PostgreSQL source's kept types: C# never hashes them, both servers run the same canonical SQL (PostgresVerifyTests).</summary>
    static readonly PgTypeKind[] ServerHashedOnly = [PgTypeKind.Verbatim];

    [Fact]
    public void Every_type_kind_has_cases()
    {
        var covered = Cases.Values.Select(c => c.Type.Kind).ToHashSet();
        var missing = Enum.GetValues<PgTypeKind>().Except(covered).Except(ServerHashedOnly).ToList();
        Assert.True(missing.Count == 0, $"no agreement cases for {string.Join(", ", missing)}");
    }

    [Fact]
    public void Every_registered_type_has_cases()
    {
        // Each kind a registered handler writes, and each catalog name it answers for, has a case.
        var kinds = Cases.Values.Select(c => c.Type.Kind).ToHashSet();
        var names = Cases.Values.Select(c => PgTypes.For(c.Type).CatalogName(c.Type)).ToHashSet();
        var missing = PgTypes.BuiltIn
            .SelectMany(h => h.Kinds.Where(k => !kinds.Contains(k) && !ServerHashedOnly.Contains(k)).Select(k => $"{h.GetType().Name}: {k}")
                .Concat(h.CatalogNames.Where(n => !names.Contains(n)).Select(n => $"{h.GetType().Name}: {n}")))
            .ToList();
        Assert.True(missing.Count == 0, $"no agreement cases for {string.Join(", ", missing)}");
        Assert.All(Enum.GetValues<PgTypeKind>(), k => Assert.Contains(PgTypes.BuiltIn, h => h.Kinds.Contains(k)));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public Task CSharp_and_PostgreSQL_render_and_hash_alike(string name) => AgreeAsync(name, trimScale: true);

    [PostGisFact]
    public Task PostGIS_geometry_renders_and_hashes_alike() => AgreeAsync("geometry", trimScale: true);

    [Theory]
    [InlineData("numeric")]
    [InlineData("numeric(10,2)")]
    [InlineData("numeric(5,-2)")]
    [InlineData("numeric[]")]
    public Task Numerics_agree_without_trim_scale_as_before_PostgreSQL_13(string name) => AgreeAsync(name, trimScale: false);

    static async Task AgreeAsync(string name, bool trimScale)
    {
        var (sqlType, type, values, setup) = Cases[name];
        await using var db = await TestCluster.CreateDatabaseAsync("verify_agree");
        if (setup is not null)
            await db.ExecuteAsync(setup);
        await db.ExecuteAsync($"CREATE TABLE t (id int, v {sqlType})");
        await using var connection = await db.OpenAsync();
        for (var i = 0; i < values.Length; i++)
        {
            await using var insert = new NpgsqlCommand($"INSERT INTO t VALUES ($1, $2::{sqlType})", connection);
            insert.Parameters.Add(new() { Value = i });
            insert.Parameters.Add(Parameter(values[i], type));
            await insert.ExecuteNonQueryAsync();
        }

        var (sqlTexts, sqlHashes) = await SqlSideAsync(connection, "t", ["v"], trimScale);

        var csharpTexts = new List<string>();
        var csharpHashes = new List<long>();
        var hasher = new RowHasher([type], []);
        foreach (var value in values)
        {
            hasher.Reset();
            TestSource.Feed(hasher, 0, type, value);
            csharpTexts.Add(hasher.RowText());
            csharpHashes.Add(hasher.RowHash());
        }

        Assert.Equal(sqlTexts, csharpTexts);
        Assert.Equal(sqlHashes, csharpHashes);
    }

    [Fact]
    public void Text_given_as_utf8_bytes_hashes_as_the_same_text_given_as_a_string()
    {
        PgType[] types = [PgType.Text, PgType.VarcharOf(20), PgType.CharOf(6), PgType.Json, PgType.Jsonb, PgType.NumericOf(10, 2)];
        string[] values = ["plain", "a|b\\c", "naïve ☃ 😀", "", "ab  ", "{\"b\": 1,  \"a\": [1, 2]}", "12.5"];
        foreach (var type in types)
        {
            var json = type.Kind is PgTypeKind.Json or PgTypeKind.Jsonb;
            foreach (var value in values.Where(v => type.Kind == PgTypeKind.Numeric ? v == "12.5" : !json || v.StartsWith('{')))
            {
                var asString = new RowHasher([type, PgType.Text], []);
                asString.SetText(0, value);
                asString.SetText(1, "after");
                var asBytes = new RowHasher([type, PgType.Text], []);
                asBytes.SetTextUtf8(0, Encoding.UTF8.GetBytes(value));
                asBytes.SetTextUtf8(1, "after"u8);
                Assert.Equal(asString.RowText(), asBytes.RowText());
                Assert.Equal(asString.RowHash(), asBytes.RowHash());
            }
        }
    }

    [Fact]
    public async Task Rows_of_several_columns_keep_their_boundaries_and_nulls()
    {
        await using var db = await TestCluster.CreateDatabaseAsync("verify_agree");
        await db.ExecuteAsync("""
            CREATE TABLE t (id int, a text, b text, c integer);
            INSERT INTO t VALUES (1, 'x|', 'y', 1), (2, 'x', '|y', 1), (3, NULL, '', NULL), (4, '', NULL, NULL), (5, '\N', '\', 0);
            """);
        object?[][] rows = [[1, "x|", "y", 1], [2, "x", "|y", 1], [3, null, "", null], [4, "", null, null], [5, "\\N", "\\", 0]];
        PgType[] types = [PgType.Integer, PgType.Text, PgType.Text, PgType.Integer];
        await using var connection = await db.OpenAsync();
        var (sqlTexts, sqlHashes) = await SqlSideAsync(connection, "t", ["id", "a", "b", "c"]);
        var hasher = new RowHasher(types, [0]);
        var texts = new List<string>();
        var hashes = new List<long>();
        foreach (var row in rows)
        {
            hasher.Reset();
            for (var i = 0; i < row.Length; i++)
                TestSource.Feed(hasher, i, types[i], row[i]);
            texts.Add(hasher.RowText());
            hashes.Add(hasher.RowHash());
        }

        Assert.Equal(sqlTexts, texts);
        Assert.Equal(sqlHashes, hashes);
        Assert.Equal(5, hashes.Distinct().Count());
        Assert.Equal("3|\\N||\\N", texts[2]);
    }

    [Fact]
    public async Task Random_floats_of_every_magnitude_print_as_postgresql_prints_them()
    {
        var random = new Random(5);
        var doubles = Enumerable.Range(0, 4000).Select(i => (random.NextDouble() - 0.5) * Math.Pow(10, (i % 30) - 10)).ToArray();
        var floats = doubles.Select(d => (float)d).ToArray();
        await using var db = await TestCluster.CreateDatabaseAsync("verify_floats");
        await using var connection = await db.OpenAsync();
        await using (var settings = new NpgsqlCommand(CanonicalSql.SessionSettings, connection))
            await settings.ExecuteNonQueryAsync();
        await using var select = new NpgsqlCommand("SELECT d::text, f::text FROM unnest($1::float8[], $2::float4[]) WITH ORDINALITY AS u(d, f, n) ORDER BY n", connection);
        select.Parameters.Add(new() { Value = doubles });
        select.Parameters.Add(new() { Value = floats });
        var expected = new List<(string, string)>();
        await using (var reader = await select.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                expected.Add((reader.GetString(0), reader.GetString(1)));
        }

        Assert.Equal(expected, doubles.Select((d, i) => (FloatText.Float8(d), FloatText.Float4(floats[i]))).ToList());
    }

    [Fact]
    public void Columns_given_in_any_order_or_twice_hash_as_given_in_order()
    {
        // In order, the pieces as they came are the row text; otherwise they are assembled.
        PgType[] types = [PgType.Integer, PgType.Text, PgType.Bytea, PgType.Text, PgType.DoublePrecision];
        object?[] row = [7, "a|b\\", new byte[600], null, 1.5];
        var inOrder = new RowHasher(types, [0]);
        for (var i = 0; i < row.Length; i++)
            TestSource.Feed(inOrder, i, types[i], row[i]);
        var reversed = new RowHasher(types, [0]);
        for (var i = row.Length - 1; i >= 0; i--)
            TestSource.Feed(reversed, i, types[i], row[i]);
        var twice = new RowHasher(types, [0]);
        TestSource.Feed(twice, 0, types[0], 8);
        for (var i = 0; i < row.Length; i++)
            TestSource.Feed(twice, i, types[i], row[i]);

        Assert.StartsWith("7|a\\|b\\\\|\\H", inOrder.RowText(), StringComparison.Ordinal);
        Assert.EndsWith("|\\N|1.5", inOrder.RowText(), StringComparison.Ordinal);
        Assert.Equal(inOrder.RowText(), reversed.RowText());
        Assert.Equal(inOrder.RowHash(), reversed.RowHash());
        Assert.Equal(inOrder.RowHash(), twice.RowHash());
        Assert.Equal(Lookup3.Hash64(Encoding.UTF8.GetBytes(inOrder.RowText())), inOrder.RowHash());
    }

    [Fact]
    public async Task A_wide_row_keeps_every_column_in_order()
    {
        // 250 columns: a row text longer than the hasher's first buffer.
        const int width = 250;
        var names = Enumerable.Range(0, width).Select(i => $"c{i}").ToArray();
        await using var db = await TestCluster.CreateDatabaseAsync("verify_agree");
        await db.ExecuteAsync($"CREATE TABLE w (id integer, {string.Join(", ", names.Select(n => n + " integer"))}); " +
            $"INSERT INTO w VALUES (1, {string.Join(", ", Enumerable.Range(0, width).Select(i => i % 7 == 3 ? "NULL" : i.ToString(System.Globalization.CultureInfo.InvariantCulture)))})");
        var types = Enumerable.Repeat(PgType.Integer, width).ToArray();
        await using var connection = await db.OpenAsync();
        var (sqlTexts, sqlHashes) = await SqlSideAsync(connection, "w", names);
        var hasher = new RowHasher(types, [0]);
        hasher.Reset();
        for (var i = 0; i < width; i++)
            TestSource.Feed(hasher, i, types[i], i % 7 == 3 ? null : i);

        Assert.Equal(hasher.RowText(), Assert.Single(sqlTexts));
        Assert.Equal(hasher.RowHash(), Assert.Single(sqlHashes));
        Assert.StartsWith("0|1|2|\\N|4|", sqlTexts[0], StringComparison.Ordinal);
        Assert.EndsWith("|247|\\N|249", sqlTexts[0], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UTF8")]
    [InlineData("LATIN1")]
    public async Task Long_values_are_hashed_apart_alike_on_both_sides(string encoding)
    {
        // Around 1,024 bytes of UTF-8: é takes two there (one in LATIN1), 😀 four; bytea two hex digits a byte; char(n)
        // counts without its padding. Values of a few MB cross the hasher's chunks.
        var utf8 = encoding == "UTF8";
        var random = new Random(3);
        var bytes = new byte[3_000_001];
        random.NextBytes(bytes);
        string Mixed(int count, int from = 0) =>
            string.Concat(Enumerable.Range(from, count).Select(i => i % 5 == 0 ? (utf8 ? "😀" : "ü") : i % 7 == 0 ? "|\\" : "é"));
        var mixed = Mixed(1_000_000);
        string Json(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal) + "\"";
        object?[][] rows =
        [
            [1, new string('a', 1024), new string('b', 1024), new string('c', 1024), Json(new string('d', 1022)), new byte[512]],
            [2, new string('a', 1025), new string('b', 1025), new string('c', 1025), Json(new string('d', 1023)), new byte[513]],
            [3, string.Concat(Enumerable.Repeat("é", 512)), "x|y\\" + string.Concat(Enumerable.Repeat("é", 511)), string.Concat(Enumerable.Repeat("é", 513)), "[" + Json(Mixed(5000)) + "]", bytes],
            [4, mixed, Mixed(999_999, 1), "ab" + new string(' ', 1400), "{\"k\": " + Json(Mixed(100_000)) + "}", null],
        ];
        PgType[] types = [PgType.Integer, PgType.Text, PgType.VarcharOf(5_000_000), PgType.CharOf(1500), PgType.Json, PgType.Bytea];
        string[] columns = ["id", "t", "v", "c", "j", "b"];
        await using var db = await TestCluster.CreateDatabaseAsync("verify_long", $"ENCODING '{encoding}' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        await db.ExecuteAsync("CREATE TABLE t (id int, t text, v varchar(5000000), c char(1500), j json, b bytea)");
        await using var connection = await db.OpenAsync();
        foreach (var row in rows)
        {
            await using var insert = new NpgsqlCommand("INSERT INTO t VALUES ($1, $2, $3, $4, $5::json, $6::bytea)", connection);
            foreach (var (value, type) in row.Zip(types))
                insert.Parameters.Add(Parameter(value, type));
            await insert.ExecuteNonQueryAsync();
        }

        var (sqlTexts, sqlHashes) = await SqlSideAsync(connection, "t", columns, utf8: utf8);
        var (sqlKeyTexts, _) = await SqlSideAsync(connection, "t", ["t"], utf8: utf8, hashLongValuesApart: false);

        // Given as strings, and as UTF-8 (as the readers of SQLite and DuckDB give text).
        foreach (var asBytes in (bool[])[false, true])
        {
            var hasher = new RowHasher(types, [1], utf8Database: utf8);
            var texts = new List<string>();
            var hashes = new List<long>();
            var keyTexts = new List<string>();
            foreach (var row in rows)
            {
                hasher.Reset();
                for (var i = 0; i < row.Length; i++)
                {
                    if (asBytes && row[i] is string text)
                        hasher.SetTextUtf8(i, Encoding.UTF8.GetBytes(text));
                    else
                        TestSource.Feed(hasher, i, types[i], row[i]);
                }

                texts.Add(hasher.RowText());
                hashes.Add(hasher.RowHash());
                keyTexts.Add(hasher.KeyText());
            }

            Assert.Equal(sqlTexts, texts);
            Assert.Equal(sqlHashes, hashes);
            Assert.Equal(sqlKeyTexts, keyTexts); // A key's text is its value, however long.
        }

        Assert.DoesNotContain("\\H", sqlTexts[0], StringComparison.Ordinal);
        Assert.Equal(5, sqlTexts[1].Split('|').Count(p => p.StartsWith("\\H", StringComparison.Ordinal)));
        Assert.True(sqlTexts[3].Length < 200, sqlTexts[3]);
        Assert.Equal(mixed.Length + mixed.Count(c => c is '|' or '\\'), sqlKeyTexts[3].Length);
    }

    internal static async Task<(List<string> Texts, List<long> Hashes)> SqlSideAsync(
        NpgsqlConnection connection, string table, string[] columns, bool trimScale = true, bool utf8 = true, bool hashLongValuesApart = true)
    {
        await using (var settings = new NpgsqlCommand(CanonicalSql.SessionSettings, connection))
            await settings.ExecuteNonQueryAsync();
        var target = (await TargetTable.LoadAsync(connection, "public", table, default))!;
        var text = CanonicalSql.Text(columns.Select(c => target.Column(c)! with { HasTrimScale = trimScale }), utf8, hashLongValuesApart);
        var texts = new List<string>();
        var hashes = new List<long>();
        await using var select = new NpgsqlCommand($"SELECT rt, {CanonicalSql.Hash("rt", utf8)} FROM (SELECT id, {text} AS rt FROM {table}) s ORDER BY id", connection);
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            texts.Add(reader.GetString(0));
            hashes.Add(reader.GetInt64(1));
        }

        return (texts, hashes);
    }

    /// <summary>Sent as the copy sends it: dates and timestamps as PostgreSQL's own values (Npgsql would send DateOnly/DateTime Min/MaxValue as ∓infinity).</summary>
    static NpgsqlParameter Parameter(object? value, PgType type) => value switch
    {
        null => new() { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
        TimeSpan => new() { Value = value, NpgsqlDbType = NpgsqlDbType.Time },
        DateTimeOffset => new() { Value = value, NpgsqlDbType = NpgsqlDbType.TimeTz },
        TestSource.Infinite infinite => new() { Value = infinite.Negative ? "-infinity" : "infinity", NpgsqlDbType = NpgsqlDbType.Text },
        DateOnly date => new() { Value = PgTemporal.Days(date), NpgsqlDbType = NpgsqlDbType.Date },
        DateTime timestamp => new() { Value = PgTemporal.Micros(timestamp), NpgsqlDbType = TemporalType(type) },
        DateOnly[] dates => new() { Value = Array.ConvertAll(dates, PgTemporal.Days), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date },
        DateTime[] timestamps => new() { Value = Array.ConvertAll(timestamps, PgTemporal.Micros), NpgsqlDbType = NpgsqlDbType.Array | TemporalType(type.Element!) },
        int?[] days when type.Element?.Kind == PgTypeKind.Date => new() { Value = days, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Date },
        long?[] micros => new() { Value = micros, NpgsqlDbType = NpgsqlDbType.Array | TemporalType(type.Element!) },
        _ => new() { Value = value },
    };

    static NpgsqlDbType TemporalType(PgType type) => type.Kind == PgTypeKind.TimestampTz ? NpgsqlDbType.TimestampTz : NpgsqlDbType.Timestamp;
}
