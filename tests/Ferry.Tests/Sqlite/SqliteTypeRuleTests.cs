using Ferry.Schema;
using Ferry.Sources.Sqlite;

namespace Ferry.Tests.Sqlite;

public sealed class SqliteTypeRuleTests
{
    [Theory]
    [InlineData("INTEGER", "bigint")]
    [InlineData("int", "bigint")]
    [InlineData("BIGINT", "bigint")]
    [InlineData("UNSIGNED BIG INT", "bigint")]
    [InlineData("INT UNSIGNED", "bigint")]
    [InlineData("MEDIUMINT", "integer")]
    [InlineData("SMALLINT", "smallint")]
    [InlineData("smallint unsigned", "integer")]
    [InlineData("short integer", "smallint")]
    [InlineData("TINYINT", "smallint")]
    [InlineData("TINYINT(1)", "smallint")]
    [InlineData("REAL", "double precision")]
    [InlineData("FLOAT", "double precision")]
    [InlineData("DOUBLE", "double precision")]
    [InlineData("DOUBLE PRECISION", "double precision")]
    [InlineData("DECIMAL(10,2)", "numeric(10,2)")]
    [InlineData("NUMERIC ( 12 , 4 )", "numeric(12,4)")]
    [InlineData("DECIMAL(5)", "numeric(5,0)")]
    [InlineData("BOOLEAN", "boolean")]
    [InlineData("bool", "boolean")]
    [InlineData("DATE", "date")]
    [InlineData("DATETIME", "timestamp without time zone")]
    [InlineData("TIMESTAMP", "timestamp without time zone")]
    [InlineData("TIMESTAMPTZ", "timestamp with time zone")]
    [InlineData("TIMESTAMP WITH TIME ZONE", "timestamp with time zone")]
    [InlineData("TIME", "time without time zone")]
    [InlineData("VARCHAR(255)", "varchar(255)")]
    [InlineData("NVARCHAR(160)", "varchar(160)")]
    [InlineData("CHARACTER(3)", "varchar(3)")]
    [InlineData("VARYING CHARACTER(20)", "varchar(20)")]
    [InlineData("TEXT", "text")]
    [InlineData("CLOB", "text")]
    [InlineData("VARCHAR", "text")]
    [InlineData("BLOB", "bytea")]
    [InlineData("JSON", "jsonb")]
    [InlineData("UUID", "uuid")]
    [InlineData("STRING_ID_CHARS", "text")]
    [InlineData("BINARY LARGE OBJECT BLOB", "bytea")]
    public void Declared_types_map_by_rule(string declared, string expected)
    {
        var (rule, type) = SqliteTypeRules.Match(declared);
        Assert.Equal(expected, type.ToSql());
        Assert.Equal(DataPolicy.Declared, rule.Policy);
        Assert.Contains("→", rule.Name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("intege")]
    [InlineData("whatever")]
    [InlineData("FLOATING POINT")] // contains INT: SQLite gives it INTEGER affinity
    public void Odd_and_empty_types_are_decided_by_the_data(string declared)
    {
        var (rule, _) = SqliteTypeRules.Match(declared);
        Assert.Equal(DataPolicy.ByData, rule.Policy);
    }

    [Fact]
    public void Numeric_without_precision_may_become_bigint()
    {
        var (rule, type) = SqliteTypeRules.Match("NUMERIC");
        Assert.Equal(DataPolicy.NumericOrBigint, rule.Policy);
        Assert.Equal(PgType.Numeric, type);
    }

    [Fact]
    public void Every_rule_is_reachable_and_named()
    {
        // The table is data: each rule must say what it does for --dry-run.
        Assert.All(SqliteTypeRules.Rules, r => Assert.False(string.IsNullOrWhiteSpace(r.Name)));
        Assert.Equal(SqliteTypeRules.Rules.Count, SqliteTypeRules.Rules.Select(r => r.Name).Distinct().Count());
    }
}
