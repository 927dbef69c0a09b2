using System.Text;
using Ferry.Schema;
using Ferry.Sources.Sqlite;

namespace Ferry.Tests.Sqlite;

/// <summary>
/// The profile's quick pass decides whether the aggregate passes run at all: it must flag every value their SQL
/// filter matches (else a decision would be missed), and should pass the values a declared type expects.
/// </summary>
public sealed class SqliteProfileCheckTests
{
    static readonly string[] Values =
    [
        "NULL", "0", "1", "2", "-1", "40000", "-40000", "3000000000", "-3000000000", "9223372036854775807", "1.0", "0.0", "0.5", "1e300", "-1.5e-300",
        "'text'", "'1'", "'0'", "'true'", "''", "'2024-01-01'", "'2024-01-01 10:00:00'", "'2024-01-01 10:00:00+02:00'", "'ééééé'", "'éééééé'",
        "'0f8fad5b-d9cb-469f-a165-70867728950e'", "'" + new string('x', 40) + "'", "x''", "x'00'", "x'31'",
    ];

    static readonly PgType[] Types =
    [
        PgType.BigInt, PgType.Integer, PgType.SmallInt, PgType.Numeric, PgType.NumericOf(12, 2), PgType.DoublePrecision, PgType.Real, PgType.Boolean,
        PgType.Date, PgType.Timestamp, PgType.TimestampTz, PgType.Time, PgType.VarcharOf(5), PgType.VarcharOf(40), PgType.CharOf(3), PgType.Text,
        PgType.Json, PgType.Jsonb, PgType.Uuid, PgType.Bytea,
    ];

    /// <summary>For each value: what the aggregate passes' filter says, and what the quick pass says.</summary>
    static List<(string Value, bool Filter, bool Quick)> Judge(SqliteDataProfile.Column column)
    {
        using var file = new SqliteTestFile("CREATE TABLE v (n INTEGER PRIMARY KEY, x)", $"INSERT INTO v (x) VALUES ({string.Join("), (", Values)})");
        using var db = SqliteNative.OpenReadOnly(file.Path);
        var filter = SqliteValueChecks.Unexpected(column) ?? "0";
        using var stmt = SqliteNative.Prepare(db, $"SELECT x, coalesce(({filter}), 0) FROM v ORDER BY n", file.Path);
        var judged = new List<(string, bool, bool)>();
        for (var i = 0; SQLitePCL.raw.sqlite3_step(stmt) == SQLitePCL.raw.SQLITE_ROW; i++)
            judged.Add((Values[i], SQLitePCL.raw.sqlite3_column_int64(stmt, 1) != 0, SqliteValueChecks.MaybeUnexpected(column, stmt.DangerousGetHandle(), 0)));
        Assert.Equal(Values.Length, judged.Count);
        return judged;
    }

    public static TheoryData<string, bool> Columns()
    {
        var data = new TheoryData<string, bool>();
        foreach (var type in Types)
        {
            data.Add(type.ToSql(), false);
            data.Add(type.ToSql(), true);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Columns))]
    public void The_quick_pass_flags_every_value_the_filter_matches(string type, bool byData)
    {
        var policy = byData ? DataPolicy.ByData : DataPolicy.Declared;
        var column = new SqliteDataProfile.Column("x", Types.Single(t => t.ToSql() == type), policy);
        foreach (var (value, filter, quick) in Judge(column))
            Assert.True(!filter || quick, $"{value} in a {type} column ({policy}): the filter matches it, the quick pass does not");
    }

    [Fact]
    public void The_quick_pass_counts_zoned_texts_as_the_sql_sample_does()
    {
        string[] texts =
        [
            "2024-01-01 10:00:00Z", "2024-01-01t10:00:00z", "2024-01-01T10:00:00+02:00", "2024-01-01 10:00:00 +02:00", "2024-01-01 10:00:00 -0500",
            "2024-01-01 10:00:00.123+0530", "  2024-01-01 10:00:00+02:00  ", "10:00+0200", ":12+0530", "1+02:00", "+02:00", "+0530", "2024-01-01 10:00:00",
            "2024-01-01", "abc", "", " ", "z", "Zulu time", "12:34 +1234", "é+02:00", "2024-01-01 10:00:00+2:00", "2024-01-01 10:00:00 +02:0", "x:1a+1234",
            "\t2024-01-01 10:00:00+02:00\t",
        ];
        using var file = new SqliteTestFile("CREATE TABLE v (n INTEGER PRIMARY KEY, x TEXT)");
        file.Execute(texts.Select(t => $"INSERT INTO v (x) VALUES ('{t}')").ToArray());
        using var db = SqliteNative.OpenReadOnly(file.Path);
        using var stmt = SqliteNative.Prepare(db, $"SELECT x, {SqliteValueChecks.ZonedSql("x")} FROM v ORDER BY n", file.Path);
        var checkedCount = 0;
        while (SQLitePCL.raw.sqlite3_step(stmt) == SQLitePCL.raw.SQLITE_ROW)
        {
            var text = SqliteColumnAccess.TextBytes(SqliteColumnAccess.Value(stmt.DangerousGetHandle(), 0));
            var sql = SQLitePCL.raw.sqlite3_column_int64(stmt, 1) != 0;
            Assert.True(sql == SqliteValueChecks.Zoned(text), $"'{Encoding.UTF8.GetString(text)}': SQL says {sql}, C# the opposite");
            checkedCount++;
        }

        Assert.Equal(texts.Length, checkedCount);
    }

    [Fact]
    public void The_quick_pass_lets_expected_values_through()
    {
        (PgType Type, string Value)[] expected =
        [
            (PgType.BigInt, "9223372036854775807"), (PgType.Integer, "-40000"), (PgType.SmallInt, "2"), (PgType.DoublePrecision, "0.5"),
            (PgType.DoublePrecision, "2"), (PgType.NumericOf(12, 2), "1.0"), (PgType.Boolean, "1"), (PgType.Boolean, "0"), (PgType.Date, "'2024-01-01'"),
            (PgType.Timestamp, "'2024-01-01 10:00:00+02:00'"), (PgType.VarcharOf(5), "'ééééé'"), (PgType.Text, "1e300"), (PgType.Uuid, "'text'"),
            (PgType.Bytea, "x'00'"), (PgType.BigInt, "NULL"),
        ];
        foreach (var (type, value) in expected)
        {
            var judged = Judge(new SqliteDataProfile.Column("x", type, DataPolicy.Declared)).Single(j => j.Value == value);
            Assert.False(judged.Quick, $"{value} in a {type.ToSql()} column is what the type expects, yet the quick pass flags it");
        }

        // Where the data decides, any stored value counts.
        Assert.True(Judge(new SqliteDataProfile.Column("x", PgType.Text, DataPolicy.ByData)).Single(j => j.Value == "'text'").Quick);
    }
}
