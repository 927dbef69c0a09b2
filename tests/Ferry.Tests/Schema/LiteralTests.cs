using Ferry.Schema;
using Ferry.Tests.Infrastructure;
using Npgsql;

namespace Ferry.Tests.Schema;

public sealed class LiteralTests
{
    static readonly string[] Values =
    [
        "", "plain", "it's", "''", "a\\", "\\", "\\\\", "\\'", "a\\'; DROP TABLE canary; --", "C:\\path\\to\\file",
        "trailing\\", "\\x41", "\\n is not a newline", "new\nline\r\nand\ttab", "naïve ☃ 😀 中文", "E'x'", "$$ $tag$",
    ];

    /// <summary>A session of the test cluster with the setting as given (and no startup options of Ferry's).</summary>
    static async Task<NpgsqlConnection> SessionAsync(TestDatabase db, bool standardConformingStrings)
    {
        var connection = await db.OpenRawAsync();
        await using var set = new NpgsqlCommand($"SET standard_conforming_strings = {(standardConformingStrings ? "on" : "off")}; SET escape_string_warning = off", connection);
        await set.ExecuteNonQueryAsync();
        return connection;
    }

    [Fact]
    public async Task A_literal_means_its_value_whatever_standard_conforming_strings_says()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        foreach (var setting in new[] { true, false })
        {
            await using var connection = await SessionAsync(db, setting);
            foreach (var value in Values)
            {
                // A second literal after it: one that ended early or late would take it along.
                await using var command = new NpgsqlCommand($"SELECT {Identifiers.Literal(value)}::text, {Identifiers.Literal("after")}::text", connection);
                await using var reader = await command.ExecuteReaderAsync();
                Assert.True(await reader.ReadAsync());
                Assert.Equal((value, "after"), (reader.GetString(0), reader.GetString(1)));
            }
        }
    }

    [Fact]
    public void A_literal_without_backslashes_stays_a_plain_string()
    {
        Assert.Equal("'it''s'", Identifiers.Literal("it's"));
        Assert.Equal("E'a\\\\'", Identifiers.Literal("a\\"));
        Assert.Equal("E'\\\\xcafe'::bytea", Identifiers.ByteaLiteral("CAFE"));
        // SQLite's and DuckDB's strings never escape: only quotes are doubled there.
        Assert.Equal("'a\\'''''", Identifiers.StandardLiteral("a\\''"));
    }
}
