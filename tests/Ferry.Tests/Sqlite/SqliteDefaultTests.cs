using Ferry.Schema;
using Ferry.Sources.Sqlite;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Sqlite;

public sealed class SqliteDefaultTests
{
    public static TheoryData<string, string, string?> Translations => new()
    {
        { "'0'", "boolean", "false" },
        { "1", "boolean", "true" },
        { "'true'", "boolean", "true" },
        { "FALSE", "boolean", "false" },
        { "0", "bigint", "0" },
        { "-5", "integer", "-5" },
        { "'42'", "bigint", "42" },
        { "(7)", "smallint", "7" },
        { "1.5", "double precision", "1.5" },
        { "'0'", "numeric(12,2)", "0" },
        { "'it''s'", "text", "'it''s'" },
        { "42", "text", "'42'" },
        { "'{}'", "jsonb", "'{}'" },
        { "X'CAFE'", "bytea", "E'\\\\xcafe'::bytea" },
        { "'2024-01-02 03:04:05'", "timestamp", "'2024-01-02 03:04:05'" },
        { "'2024-01-02T03:04:05+02:00'", "timestamp", "'2024-01-02 01:04:05'" },
        { "'2024-01-02'", "date", "'2024-01-02'" },
        { "'12:30'", "time", "'12:30:00'" },
        { "'0f8fad5b-d9cb-469f-a165-70867728950e'", "uuid", "'0f8fad5b-d9cb-469f-a165-70867728950e'" },
        { "NULL", "text", null },
        { "CURRENT_TIMESTAMP", "timestamp", "(now() AT TIME ZONE 'UTC')" },
        { "CURRENT_TIMESTAMP", "timestamptz", "CURRENT_TIMESTAMP" },
        { "CURRENT_TIMESTAMP", "text", "to_char((now() AT TIME ZONE 'UTC'), 'YYYY-MM-DD HH24:MI:SS')" },
        { "current_date", "date", "((now() AT TIME ZONE 'UTC')::date)" },
        { "current_time", "time", "((now() AT TIME ZONE 'UTC')::time)" },
        { "(datetime('now'))", "timestamp", "(now() AT TIME ZONE 'UTC')" },
        { "(date('now'))", "date", "((now() AT TIME ZONE 'UTC')::date)" },
        { "(DATETIME('now', 'localtime'))", "timestamp", "LOCALTIMESTAMP" },
        { "(strftime('%s','now'))", "bigint", "(extract(epoch from now())::bigint)" },
        { "(strftime('%Y-%m-%d %H:%M:%f', 'now'))", "timestamp", "(now() AT TIME ZONE 'UTC')" },
        { "(strftime('%Y-%m-%d %H:%M:%f', 'now'))", "text", "to_char((now() AT TIME ZONE 'UTC'), 'YYYY-MM-DD HH24:MI:SS.MS')" },
        { "(1 + 2)", "bigint", "(1 + 2)" },
        { "(lower(hex(randomblob(16))))", "uuid", "gen_random_uuid()" },
    };

    [Theory]
    [MemberData(nameof(Translations))]
    public void Defaults_are_translated_for_the_target_type(string sqlite, string type, string? expected)
    {
        var sql = SqliteDefaults.Translate(sqlite, PgType.Parse(type), out var problem);
        Assert.Null(problem);
        Assert.Equal(expected, sql);
    }

    [Theory]
    [InlineData("'yes please'", "boolean", "is not a boolean")]
    [InlineData("'abc'", "bigint", "is not an integer")]
    [InlineData("100000", "smallint", "within smallint")]
    [InlineData("'abc'", "timestamp", "is not a date or timestamp")]
    [InlineData("(random())", "bigint", "expression Ferry does not translate")]
    [InlineData("(datetime('now', 'weekday 0'))", "timestamp", "modifier")]
    [InlineData("CURRENT_TIMESTAMP", "boolean", "does not fit")]
    [InlineData("'{oops'", "jsonb", "valid JSON")]
    [InlineData("'abcdef'", "varchar(3)", "within varchar(3)")]
    public void Untranslatable_defaults_are_dropped_with_a_reason(string sqlite, string type, string reason)
    {
        var sql = SqliteDefaults.Translate(sqlite, PgType.Parse(type), out var problem);
        Assert.Null(sql);
        Assert.NotNull(problem);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
        Assert.StartsWith($"default {sqlite} dropped", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_translated_default_is_accepted_by_PostgreSQL()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        var columns = Translations.Select((row, i) => (Type: (string)row[1], Default: (string?)row[2], Index: i))
            .Where(r => r.Default is not null)
            .Select(r => $"c{r.Index} {PgType.Parse(r.Type).ToSql()} DEFAULT {r.Default}");
        await db.ExecuteAsync($"CREATE TABLE defaults_check (id int, {string.Join(", ", columns)})");
        await db.ExecuteAsync("INSERT INTO defaults_check (id) VALUES (1)");
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM defaults_check WHERE c0 = false AND c1 = true AND c15 = '2024-01-02 01:04:05'"));
    }
}
