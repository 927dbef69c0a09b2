using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Npgsql;

namespace Ferry.Tests.Verify;

/// <summary>Values of many MB verified by the CLI in a process of its own, its peak memory measured.</summary>
public sealed class VerifyLargeValueTests
{
    const int Rows = 50;
    const int Size = 20_000_000;
    const long MemoryBound = 200L * 1024 * 1024;

    [Fact]
    public async Task Fifty_rows_of_20_MB_blob_and_text_verify_in_bounded_memory_and_a_changed_byte_is_found()
    {
        // Row i: i followed by Size z's as a blob, and by Size x's as text; the same rows in the target, made there.
        using var file = new SqliteTestFile(
            "CREATE TABLE big (id INTEGER PRIMARY KEY, b BLOB, t TEXT)",
            $"WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {Rows}) INSERT INTO big " +
            $"SELECT i, CAST(i || replace(hex(zeroblob({Size / 2})), '0', 'z') AS BLOB), i || replace(hex(zeroblob({Size / 2})), '0', 'x') FROM n");
        await using var db = await TestCluster.CreateDatabaseAsync("verify_big");
        await using (var connection = await db.OpenAsync())
        {
            // lz4 where the server has it: compressing 2 GB with pglz takes a while.
            await using var command = new NpgsqlCommand(
                "DO $$ BEGIN SET default_toast_compression = lz4; EXCEPTION WHEN OTHERS THEN NULL; END $$; " +
                "CREATE TABLE big (id bigint PRIMARY KEY, b bytea, t text); " +
                $"INSERT INTO big SELECT i, convert_to(i || repeat('z', {Size}), 'UTF8'), i || repeat('x', {Size}) FROM generate_series(1, {Rows}) i; " +
                // One byte in the middle of a blob, one character in the middle of a text.
                $"UPDATE big SET b = set_byte(b, {Size / 2}, 1) WHERE id = 25; UPDATE big SET t = overlay(t placing 'y' from {Size / 2} for 1) WHERE id = 30",
                connection) { CommandTimeout = 0 };
            await command.ExecuteNonQueryAsync();
        }

        var (verify, peak) = await CliRunner.RunProcessMeasuredAsync(null, Path.GetTempPath(), TimeSpan.FromMinutes(10), "verify", "sqlite:" + file.Path, "--to", db.Url, "--json");

        // The 48 other rows hash alike on both sides; the two changed ones are named.
        Assert.True(verify.ExitCode == 1, verify.ToString());
        var table = verify.Json().GetProperty("tables")[0];
        Assert.Equal((Rows, Rows), (table.GetProperty("source_rows").GetInt32(), table.GetProperty("target_rows").GetInt32()));
        var differences = table.GetProperty("differences").EnumerateArray()
            .Select(d => (d.GetProperty("key").GetProperty("id").GetInt64(), d.GetProperty("kind").GetString())).ToList();
        Assert.Equal([(25L, "changed"), (30L, "changed")], differences);
        Assert.True(peak is > 0 and < MemoryBound, $"verify's peak resident memory was {peak / (1024 * 1024)} MB");
    }
}
