using Ferry.Schema;

namespace Ferry.Tests.Schema;

/// <summary>Column names in an expression renamed by tokens: literals, function names and type names stay.</summary>
public sealed class SqlIdentifiersTests
{
    [Theory]
    [InlineData("\"name\"", "full_name")]
    [InlineData("lower(name) || 'name' || \"Name\"", "lower(full_name) || 'name' || \"Name\"")]
    [InlineData("name(x) = NAME::name", "name(x) = full_name::name")]
    [InlineData("'it''s name' = name", "'it''s name' = full_name")]
    [InlineData("users.name IS NOT NULL AND names > 0", "users.full_name IS NOT NULL AND names > 0")]
    public void Only_the_column_is_renamed(string sql, string expected) =>
        Assert.Equal(expected, SqlIdentifiers.Rename(sql, new Dictionary<string, string> { ["name"] = "full_name" }));

    [Fact]
    public void A_mention_is_found_by_token_not_by_text()
    {
        Assert.Equal("legacy", SqlIdentifiers.Mentioned("length(\"legacy\") > 0", ["legacy"]));
        Assert.Null(SqlIdentifiers.Mentioned("'legacy' <> legacy_code", ["legacy"]));
    }
}
