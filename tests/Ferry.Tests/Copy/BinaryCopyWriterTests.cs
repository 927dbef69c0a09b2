using System.Globalization;
using Ferry.Copy.Internal;
using Ferry.Internal;
using Ferry.Schema;
using Ferry.Tests.Infrastructure;
using Npgsql;
using NpgsqlTypes;

namespace Ferry.Tests.Copy;

/// <summary>
/// The direct binary COPY encoder, type by type, into real tables: each value read back as ::text must match
/// the expected text, and what Npgsql's importer writes for the same value must match it too.
/// </summary>
public sealed class BinaryCopyWriterTests
{
    static int _tables;

    /// <summary>Writes the values through the raw encoder and through Npgsql's importer; both must read back as expected.</summary>
    static async Task Check<T>(string sqlType, T[] values, Action<BinaryCopyWriter, T> write, NpgsqlDbType? dbType, string?[] expected)
    {
        await using var db = await TestCluster.CreateDatabaseAsync("bcw");
        await db.ExecuteAsync($"ALTER DATABASE \"{db.Name}\" SET TimeZone = 'UTC'");
        Assert.Equal(expected, await ViaRaw(db, sqlType, values, write));
        if (dbType is { } type)
            Assert.Equal(expected, await ViaNpgsql(db, sqlType, values, type));
    }

    static async Task<string?[]> ViaRaw<T>(TestDatabase db, string sqlType, T[] values, Action<BinaryCopyWriter, T> write)
    {
        var table = "raw_" + Interlocked.Increment(ref _tables).ToString(CultureInfo.InvariantCulture);
        await db.ExecuteAsync($"CREATE TABLE {table} (i int, v {sqlType})");
        await using (var connection = await db.OpenAsync())
        {
            using var writer = BinaryCopyWriter.Begin(connection, $"COPY {table} (i, v) FROM STDIN (FORMAT binary)");
            for (var i = 0; i < values.Length; i++)
            {
                writer.StartRow(2);
                writer.WriteInt32(i);
                write(writer, values[i]);
            }

            writer.Complete();
        }

        return await Texts(db, table);
    }

    static async Task<string?[]> ViaNpgsql<T>(TestDatabase db, string sqlType, T[] values, NpgsqlDbType dbType)
    {
        var table = "npgsql_" + Interlocked.Increment(ref _tables).ToString(CultureInfo.InvariantCulture);
        await db.ExecuteAsync($"CREATE TABLE {table} (i int, v {sqlType})");
        await using (var connection = await db.OpenAsync())
        {
            using var importer = connection.BeginBinaryImport($"COPY {table} (i, v) FROM STDIN (FORMAT binary)");
            for (var i = 0; i < values.Length; i++)
            {
                importer.StartRow();
                importer.Write(i, NpgsqlDbType.Integer);
                importer.Write(values[i], dbType);
            }

            importer.Complete();
        }

        return await Texts(db, table);
    }

    static async Task<string?[]> Texts(TestDatabase db, string table) =>
        (await db.RowsAsync($"SELECT v::text FROM {table} ORDER BY i")).Select(r => (string?)r[0]).ToArray();

    [Fact]
    public Task Booleans() =>
        Check("boolean", [true, false], (w, v) => w.WriteBoolean(v), NpgsqlDbType.Boolean, ["true", "false"]);

    [Fact]
    public Task Smallints() =>
        Check("smallint", [short.MinValue, short.MaxValue, (short)0, (short)-1], (w, v) => w.WriteInt16(v), NpgsqlDbType.Smallint, ["-32768", "32767", "0", "-1"]);

    [Fact]
    public Task Integers() =>
        Check("integer", [int.MinValue, int.MaxValue, 0, 42], (w, v) => w.WriteInt32(v), NpgsqlDbType.Integer, ["-2147483648", "2147483647", "0", "42"]);

    [Fact]
    public Task Bigints() =>
        Check("bigint", [long.MinValue, long.MaxValue, 0L, -7L], (w, v) => w.WriteInt64(v), NpgsqlDbType.Bigint, ["-9223372036854775808", "9223372036854775807", "0", "-7"]);

    [Fact]
    public Task Reals() =>
        Check("real", [-0.0f, float.NaN, float.PositiveInfinity, float.NegativeInfinity, float.MaxValue, float.Epsilon, 0.1f], (w, v) => w.WriteFloat4(v), NpgsqlDbType.Real,
            ["-0", "NaN", "Infinity", "-Infinity", "3.4028235e+38", "1e-45", "0.1"]);

    [Fact]
    public Task Doubles() =>
        Check("double precision", [-0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, 5e-324, double.MaxValue, 0.1, -123.456], (w, v) => w.WriteFloat8(v), NpgsqlDbType.Double,
            ["-0", "NaN", "Infinity", "-Infinity", "5e-324", "1.7976931348623157e+308", "0.1", "-123.456"]);

    [Fact]
    public Task Decimals_keep_their_digits_and_scale() =>
        Check("numeric",
            [0m, 0.00m, -0.0001m, decimal.MaxValue, decimal.MinValue, 1.0000000000000000000000000001m, 12.30m, 0.00001m, 10000m, 123456789.123456789m, -1.5m, 1e-28m, new decimal(0, 0, 0, true, 2), 99999999.9999m,
             18446744073709551616m, 184467440737095516.1600m, 100000000000000000000.0001m],
            (w, v) => w.WriteNumeric(v), NpgsqlDbType.Numeric,
            ["0", "0.00", "-0.0001", "79228162514264337593543950335", "-79228162514264337593543950335", "1.0000000000000000000000000001", "12.30", "0.00001", "10000",
             "123456789.123456789", "-1.5", "0.0000000000000000000000000001", "0.00", "99999999.9999",
             "18446744073709551616", "184467440737095516.1600", "100000000000000000000.0001"]);

    [Fact]
    public Task Decimals_into_numeric_12_2() =>
        Check("numeric(12,2)", [1234567890.12m, -0.01m, 5m, 0.005m, 12.3m], (w, v) => w.WriteNumeric(v), NpgsqlDbType.Numeric,
            ["1234567890.12", "-0.01", "5.00", "0.01", "12.30"]);

    [Fact]
    public Task Wide_numerics_use_their_own_groups()
    {
        string[] texts = ["170141183460469231731687303715884105727", "-0.0000000001", "0.0000000000", "0012.30", "-9999999999999999999999999999.9999999999"];
        var values = texts.Select(Wide).ToArray();
        return Check("numeric", values, (w, v) => w.WriteNumeric(v), null,
            ["170141183460469231731687303715884105727", "-0.0000000001", "0.0000000000", "12.30", "-9999999999999999999999999999.9999999999"]);
    }

    static WideNumeric Wide(string text)
    {
        Assert.True(WideNumeric.TryParse(text, out var value));
        return value;
    }

    static readonly string LongText = string.Concat(Enumerable.Repeat("0123456789abcdef", 65_536)); // 1 MB
    static readonly string LongEmoji = string.Concat(Enumerable.Repeat("a😀", 100_000)); // surrogate pairs across chunk boundaries
    static readonly string NearBuffer = new('é', 100_000); // worst case exceeds the buffer, the text itself does not

    [Fact]
    public Task Texts_in_utf8() =>
        Check("text", ["", "héllo wörld", "emoji 😀 and 𝄞", "line\nbreak\ttab", LongText, LongEmoji, NearBuffer], (w, v) => w.WriteText(v), NpgsqlDbType.Text,
            ["", "héllo wörld", "emoji 😀 and 𝄞", "line\nbreak\ttab", LongText, LongEmoji, NearBuffer]);

    [Fact]
    public Task Varchar_and_char() =>
        Check("varchar(5)", ["", "abcde", "ü😀"], (w, v) => w.WriteText(v), NpgsqlDbType.Varchar, ["", "abcde", "ü😀"]);

    [Fact]
    public Task Blank_padded_char() =>
        Check("char(3)", ["ab", "abc"], (w, v) => w.WriteText(v), NpgsqlDbType.Char, ["ab", "abc"]);

    [Fact]
    public Task Json_is_kept_as_written() =>
        Check("json", ["{\"b\": 1,  \"a\": [1, 2]}", "\"😀\""], (w, v) => w.WriteText(v), NpgsqlDbType.Json, ["{\"b\": 1,  \"a\": [1, 2]}", "\"😀\""]);

    [Fact]
    public Task Jsonb_gets_its_version_byte() =>
        Check("jsonb", ["{\"b\": 1,  \"a\": [1, 2]}", "\"😀\"", "[" + string.Join(",", Enumerable.Repeat("\"" + new string('x', 1000) + "\"", 400)) + "]"],
            (w, v) => w.WriteText(v, jsonb: true), NpgsqlDbType.Jsonb,
            ["{\"a\": [1, 2], \"b\": 1}", "\"😀\"", "[" + string.Join(", ", Enumerable.Repeat("\"" + new string('x', 1000) + "\"", 400)) + "]"]);

    [Fact]
    public Task Byteas()
    {
        var large = new byte[600_000];
        new Random(7).NextBytes(large);
        return Check("bytea", [Array.Empty<byte>(), new byte[] { 0, 1, 0xFF }, large], (w, v) => w.WriteBytes(v), NpgsqlDbType.Bytea,
            ["\\x", "\\x0001ff", "\\x" + Convert.ToHexStringLower(large)]);
    }

    // Dates and timestamps travel as PostgreSQL stores them (Ferry.Internal.PgTemporal): DateOnly/DateTime MinValue
    // and MaxValue are real dates (Npgsql would write them as ∓infinity), infinity is int/long's MaxValue/MinValue.
    [Fact]
    public Task Dates() =>
        Check("date",
            [.. new[] { new DateOnly(1, 1, 1), new DateOnly(1, 1, 2), new DateOnly(9999, 12, 30), new DateOnly(9999, 12, 31), new DateOnly(1999, 12, 31), new DateOnly(2000, 1, 1), new DateOnly(2024, 2, 29) }
                .Select(PgTemporal.Days), PgTemporal.DateNegativeInfinity, PgTemporal.DateInfinity],
            (w, v) => w.WriteInt32(v), NpgsqlDbType.Date,
            ["0001-01-01", "0001-01-02", "9999-12-30", "9999-12-31", "1999-12-31", "2000-01-01", "2024-02-29", "-infinity", "infinity"]);

    [Fact]
    public Task Timestamps() =>
        Check("timestamp",
            [
                .. new[]
                {
                    new DateTime(2024, 2, 29, 13, 14, 15).AddTicks(1_234_560), new DateTime(1970, 1, 1, 0, 0, 0).AddTicks(10), new DateTime(1899, 12, 31, 23, 59, 59, 500),
                    new DateTime(1999, 12, 31, 23, 59, 59).AddTicks(9), // sub-µs ticks truncate toward 2000-01-01, as Npgsql does
                    new DateTime(2000, 1, 1), new DateTime(1, 1, 1, 0, 0, 1), DateTime.MinValue, DateTime.MaxValue,
                }.Select(PgTemporal.Micros),
                PgTemporal.TimestampNegativeInfinity, PgTemporal.TimestampInfinity,
            ],
            (w, v) => w.WriteInt64(v), NpgsqlDbType.Timestamp,
            ["2024-02-29 13:14:15.123456", "1970-01-01 00:00:00.000001", "1899-12-31 23:59:59.5", "1999-12-31 23:59:59.000001", "2000-01-01 00:00:00", "0001-01-01 00:00:01",
             "0001-01-01 00:00:00", "9999-12-31 23:59:59.999999", "-infinity", "infinity"]);

    [Fact]
    public Task Timestamps_with_time_zone_from_the_utc_instant() =>
        Check("timestamptz",
            [
                .. new[] { new DateTime(2024, 6, 1, 12, 0, 0, DateTimeKind.Utc).AddTicks(10), new DateTime(1969, 7, 20, 20, 17, 40, DateTimeKind.Utc), DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc), DateTime.SpecifyKind(DateTime.MinValue, DateTimeKind.Utc) }
                    .Select(PgTemporal.Micros),
                PgTemporal.TimestampInfinity, PgTemporal.TimestampNegativeInfinity,
            ],
            (w, v) => w.WriteInt64(v), NpgsqlDbType.TimestampTz,
            ["2024-06-01 12:00:00.000001+00", "1969-07-20 20:17:40+00", "9999-12-31 23:59:59.999999+00", "0001-01-01 00:00:00+00", "infinity", "-infinity"]);

    [Fact]
    public Task Times() =>
        Check("time", [TimeSpan.Zero, new TimeSpan(863_999_999_990), new TimeSpan(0, 12, 34, 56, 789)], (w, v) => w.WriteTime(v), NpgsqlDbType.Time,
            ["00:00:00", "23:59:59.999999", "12:34:56.789"]);

    [Fact]
    public Task Times_with_time_zone() =>
        Check("timetz",
            [new DateTimeOffset(2000, 1, 1, 10, 30, 0, TimeSpan.FromMinutes(330)), new DateTimeOffset(2000, 1, 1, 23, 15, 0, 500, TimeSpan.FromHours(-8)), new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)],
            (w, v) => w.WriteTimeTz(v), NpgsqlDbType.TimeTz,
            ["10:30:00+05:30", "23:15:00.5-08", "00:00:00+00"]);

    [Fact]
    public Task Intervals() =>
        Check("interval",
            [new NpgsqlInterval(14, 3, 4_000_005), new NpgsqlInterval(-1, -2, -3_600_000_001), new NpgsqlInterval(0, 0, 0), new NpgsqlInterval(1, -1, 1)],
            (w, v) => w.WriteInterval(v), NpgsqlDbType.Interval,
            ["1 year 2 mons 3 days 00:00:04.000005", "-1 mons -2 days -01:00:00.000001", "00:00:00", "1 mon -1 days +00:00:00.000001"]);

    [Fact]
    public Task Uuids() =>
        Check("uuid", [Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), Guid.Empty], (w, v) => w.WriteUuid(v), NpgsqlDbType.Uuid,
            ["00112233-4455-6677-8899-aabbccddeeff", "00000000-0000-0000-0000-000000000000"]);

    [Fact]
    public Task Nulls() =>
        Check("text", [null, "x"], WriteNullable, null, [null, "x"]);

    static void WriteNullable(BinaryCopyWriter writer, string? value)
    {
        if (value is null)
            writer.WriteNull();
        else
            writer.WriteText(value);
    }

    [Fact]
    public async Task A_refusal_surfaces_on_complete_and_the_connection_stays_usable()
    {
        await using var db = await TestCluster.CreateDatabaseAsync("bcw");
        await db.ExecuteAsync("CREATE TABLE t (v int CHECK (v >= 0))");
        await using var connection = await db.OpenAsync();
        var writer = BinaryCopyWriter.Begin(connection, "COPY t (v) FROM STDIN (FORMAT binary)");
        foreach (var v in new[] { 1, -1, 2 })
        {
            writer.StartRow(1);
            writer.WriteInt32(v);
        }

        var refusal = Assert.Throws<PostgresException>(writer.Complete);
        writer.Dispose();
        Assert.Equal(PostgresErrorCodes.CheckViolation, refusal.SqlState);
        Assert.Contains("line 2", refusal.Where, StringComparison.Ordinal);
        await using var command = new NpgsqlCommand("SELECT count(*) FROM t", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Cancel_commits_nothing()
    {
        await using var db = await TestCluster.CreateDatabaseAsync("bcw");
        await db.ExecuteAsync("CREATE TABLE t (v int)");
        await using var connection = await db.OpenAsync();
        using (var writer = BinaryCopyWriter.Begin(connection, "COPY t (v) FROM STDIN (FORMAT binary)"))
        {
            writer.StartRow(1);
            writer.WriteInt32(1);
        }

        await using var command = new NpgsqlCommand("SELECT count(*) FROM t", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Arrays_and_bit_strings_are_the_bytes_npgsqls_importer_sends()
    {
        await using var db = await TestCluster.CreateDatabaseAsync("bcw");
        await SameBytes(db, NpgsqlDbType.Integer, 23, [new int?[] { 1, null, 3 }, Array.Empty<int?>(), new int?[] { null }, new int?[] { int.MinValue }]);
        await SameBytes(db, NpgsqlDbType.Smallint, 21, [new short?[] { 7, null }]);
        await SameBytes(db, NpgsqlDbType.Bigint, 20, [new long?[] { long.MinValue, 0, null }]);
        await SameBytes(db, NpgsqlDbType.Bigint, 20, [new long[] { 1, 2 }]);
        await SameBytes(db, NpgsqlDbType.Real, 700, [new float?[] { 0.1f, float.NaN, null }]);
        await SameBytes(db, NpgsqlDbType.Double, 701, [new[] { 0.1, double.NegativeInfinity, -0.0 }]);
        await SameBytes(db, NpgsqlDbType.Boolean, 16, [new[] { true, false }]);
        await SameBytes(db, NpgsqlDbType.Boolean, 16, [new bool?[] { null, true }]);
        await SameBytes(db, NpgsqlDbType.Numeric, 1700, [new decimal?[] { 1.50m, null, -0.10m, 0m, 0.00000m, -0.0m, decimal.MaxValue, 1e-28m, 10000m, 123456789.123456789m }]);
        await SameBytes(db, NpgsqlDbType.Text, 25, [new string?[] { "a b", "", null, "ü😀" }, Array.Empty<string?>()]);
        await SameBytes(db, NpgsqlDbType.Varchar, 1043, [new string?[] { "x", null }]);
        await SameBytes(db, NpgsqlDbType.Char, 1042, [new string?[] { "ab ", null }]);
        await SameBytes(db, NpgsqlDbType.Json, 114, [new string?[] { "{\"a\": 1}", null }]);
        await SameBytes(db, NpgsqlDbType.Jsonb, 3802, [new string?[] { "{\"a\": 1}", null, "[]" }], jsonb: true);
        await SameBytes(db, NpgsqlDbType.Bytea, 17, [new byte[]?[] { [1, 2], [], null }]);
        await SameBytes(db, NpgsqlDbType.Date, 1082, [new int?[] { PgTemporal.Days(new DateOnly(2024, 2, 29)), PgTemporal.DateInfinity, null }]);
        await SameBytes(db, NpgsqlDbType.Timestamp, 1114, [new long?[] { PgTemporal.Micros(new DateTime(2024, 1, 2, 3, 4, 5)), PgTemporal.TimestampNegativeInfinity, null }]);
        await SameBytes(db, NpgsqlDbType.TimestampTz, 1184, [new long?[] { 0, null }]);
        await SameBytes(db, NpgsqlDbType.Time, 1083, [new TimeSpan?[] { new TimeSpan(0, 12, 34, 56, 789), null }]);
        await SameBytes(db, NpgsqlDbType.TimeTz, 1266, [new DateTimeOffset?[] { new DateTimeOffset(2000, 1, 1, 10, 30, 0, TimeSpan.FromMinutes(330)), null }]);
        await SameBytes(db, NpgsqlDbType.Interval, 1186, [new NpgsqlInterval?[] { new NpgsqlInterval(14, 3, 4_000_005), null }]);
        await SameBytes(db, NpgsqlDbType.Uuid, 2950, [new Guid?[] { Guid.Parse("00112233-4455-6677-8899-aabbccddeeff"), null }]);
        await SameBytes(db, NpgsqlDbType.Varbit, 1562, [new System.Collections.BitArray?[] { Bits("101100111"), Bits(""), null }]);
        await SameBytes(db, NpgsqlDbType.Bit, 1560, [new System.Collections.BitArray?[] { Bits("1010") }]);

        // Bit strings on their own.
        await SameField(db, [Bits("1010"), Bits(""), Bits("1"), Bits("11110000111100001")], NpgsqlDbType.Varbit, (w, v) => w.WriteBits(v));
        var many = new System.Collections.BitArray(3_000_000);
        many[0] = many[2_999_999] = true;
        await SameField(db, [many], NpgsqlDbType.Varbit, (w, v) => w.WriteBits(v));
    }

    static System.Collections.BitArray Bits(string text) => new(text.Select(c => c == '1').ToArray());

    static Task SameBytes<T>(TestDatabase db, NpgsqlDbType elementType, uint elementOid, T[][] arrays, bool jsonb = false) =>
        SameField(db, arrays, NpgsqlDbType.Array | elementType, (w, v) => w.WriteArray(v, elementOid, jsonb));

    /// <summary>Each value through both writers into a bytea column, which keeps a binary COPY field's bytes as they were sent.</summary>
    static async Task SameField<T>(TestDatabase db, T[] values, NpgsqlDbType dbType, Action<BinaryCopyWriter, T> write) =>
        Assert.Equal(await ViaNpgsql(db, "bytea", values, dbType), await ViaRaw(db, "bytea", values, write));
}
