using System.Text.Json;
using Ferry.Copy;
using Ferry.Sources;
using Ferry.Sources.DuckDb;
using Ferry.Tests.DuckDb;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Ferry.Verify;

namespace Ferry.Tests.Copy;

/// <summary>
/// Values larger than PostgreSQL stores are rejected by the readers before they are made, naming the column, the size and
/// the limit; the other rows land, and verify counts the row as rejected by the source. Smaller limits than PostgreSQL's
/// (1 MB a field, 250 KB for jsonb) keep the files small; one test has PostgreSQL's own, through the CLI.
/// </summary>
public sealed class ValueLimitTests : IDisposable
{
    static readonly ValueLimits Small = new(1_000_000, 250_000);

    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>Copies the source's one table, then verifies it; the rejects by column (each row tried has one value too large).</summary>
    async Task<(TableCopyResult Copy, TableVerification Verify, Dictionary<string, JsonElement> Rejects)> CopyAndVerifyAsync(TestDatabase db, string description, Func<ISource> open)
    {
        CopyResult copy;
        await using (var source = open())
            copy = await new CopyRunner(new CopyOptions { Source = description, Target = db.Target, RejectsDirectory = _files.PathOf("rejects"), Jobs = 2 }).RunAsync(source, default);
        VerifyResult verify;
        await using (var source = open())
            verify = await new Verifier(db.Target).VerifyAsync(source, default);
        var table = Assert.Single(copy.Tables);
        var rejects = table.RejectFile is null ? [] : File.ReadAllLines(table.RejectFile)
            .Select(line => JsonDocument.Parse(line).RootElement.Clone())
            .ToDictionary(r => r.GetProperty("column").GetString()!);
        return (table, Assert.Single(verify.Tables), rejects);
    }

    static void AssertRejected(Dictionary<string, JsonElement> rejects, string column, params string[] reason)
    {
        Assert.True(rejects.TryGetValue(column, out var reject), $"no row was rejected for column {column}");
        foreach (var part in reason)
            Assert.Contains(part, reject.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(reject.GetProperty("value").ValueKind == JsonValueKind.Null || reject.GetProperty("value").GetString()!.Length < 100); // Its start only.
    }

    [Fact]
    public async Task SQLite_values_beyond_the_limits_are_rejected_and_verify_counts_them()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, b BLOB, s TEXT, j JSON, r TEXT)",
            "INSERT INTO t (id, s) VALUES (1, 'first'), (6, 'last')",
            "INSERT INTO t (id, b) VALUES (2, zeroblob(1500000))",
            "INSERT INTO t (id, s) VALUES (3, replace(hex(zeroblob(750000)), '0', 's'))",
            "INSERT INTO t (id, j) VALUES (4, '{\"k\": \"' || replace(hex(zeroblob(150000)), '0', 'x') || '\"}')");
        // 400,000 bytes that are not UTF-8, each decoded as Windows-1252's € (three bytes of UTF-8).
        file.Insert("INSERT INTO t (id, r) VALUES (5, CAST($v AS TEXT))", Enumerable.Repeat((byte)0x80, 400_000).ToArray());
        await using var db = await TestCluster.CreateDatabaseAsync("limits_sqlite");

        var (copy, verify, rejects) = await CopyAndVerifyAsync(db, "sqlite:" + file.Path, () => file.Source(new SourceOptions { Limits = Small }));

        Assert.Equal((6L, 2L, 4L), (copy.RowsRead, copy.RowsWritten, copy.RowsRejected));
        AssertRejected(rejects, "b", "a blob of 1,500,000 bytes", "(1,000,000 bytes)");
        AssertRejected(rejects, "s", "text of 1,500,000 bytes", "(1,000,000 bytes)");
        AssertRejected(rejects, "j", "a jsonb string of 300,000 bytes", "(250,000 bytes)");
        AssertRejected(rejects, "r", "text decoded as Windows-1252 of 1,200,000 bytes", "(1,000,000 bytes)");
        Assert.Equal([1L, 6L], (await db.RowsAsync("SELECT id FROM t ORDER BY id")).Select(r => Convert.ToInt64(r[0], System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(verify.Ok, JsonSerializer.Serialize(new { verify.Problems, verify.Differences }));
        Assert.Equal((2L, 2L, 4L), (verify.SourceRows, verify.TargetRows!.Value, verify.SourceRejected));
    }

    [Fact]
    public async Task A_rejected_value_of_more_than_a_million_characters_shows_its_start_and_its_length()
    {
        // PostgreSQL's text cannot hold NUL: the row is rejected with its value, which the reject file shortens.
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY, s TEXT)", "INSERT INTO t VALUES (1, 'ok')");
        file.Insert("INSERT INTO t VALUES (2, CAST($v AS TEXT))", (byte[])[.. Enumerable.Repeat((byte)'a', 1_499_999), 0]);
        await using var db = await TestCluster.CreateDatabaseAsync("limits_shown");

        var (copy, _, rejects) = await CopyAndVerifyAsync(db, "sqlite:" + file.Path, () => file.Source());

        Assert.Equal((2L, 1L, 1L), (copy.RowsRead, copy.RowsWritten, copy.RowsRejected));
        var value = rejects["s"].GetProperty("value").GetString()!;
        Assert.Equal(new string('a', 1_000_000) + "… (1,500,000 characters)", value);
    }

    [Theory]
    [InlineData("duckdb")]
    [InlineData("parquet")]
    public async Task DuckDB_and_Parquet_values_beyond_the_limits_are_rejected_before_they_are_built(string kind)
    {
        var database = _files.PathOf("big.duckdb");
        DuckDbTestFiles.Execute(database,
            "CREATE TABLE big (id INTEGER PRIMARY KEY, v VARCHAR, b BLOB, m MAP(VARCHAR, INTEGER), s STRUCT(a VARCHAR[]), l VARCHAR[])",
            "INSERT INTO big VALUES (1, 'first', 'x'::BLOB, MAP {'k': 1}, {'a': ['x']}, ['y']), (7, 'last', NULL, NULL, NULL, NULL)",
            "INSERT INTO big (id, v) VALUES (2, repeat('v', 1500000))",
            "INSERT INTO big (id, b) VALUES (3, repeat('b', 1500000)::BLOB)",
            "INSERT INTO big (id, m) VALUES (4, MAP {repeat('k', 300000): 1})",
            "INSERT INTO big (id, s) VALUES (5, {'a': [repeat('a', 100000), repeat('b', 100000), repeat('c', 100000)]})",
            "INSERT INTO big (id, l) VALUES (6, [repeat('x', 600000), repeat('y', 600000)])",
            $"COPY (SELECT * FROM big ORDER BY id) TO '{_files.PathOf("big.parquet")}' (FORMAT parquet)");
        await using var db = await TestCluster.CreateDatabaseAsync("limits_" + kind);
        var options = new SourceOptions { Limits = Small };

        var (copy, verify, rejects) = kind == "duckdb"
            ? await CopyAndVerifyAsync(db, "duckdb:" + database, () => DuckDbSource.Database(database, options))
            : await CopyAndVerifyAsync(db, "parquet:" + _files.PathOf("big.parquet"), () => DuckDbSource.Parquet(_files.PathOf("big.parquet"), "big", options));

        Assert.Equal((7L, 2L, 5L), (copy.RowsRead, copy.RowsWritten, copy.RowsRejected));
        AssertRejected(rejects, "v", "text of 1,500,000 bytes", "(1,000,000 bytes)");
        AssertRejected(rejects, "b", "a blob of 1,500,000 bytes", "(1,000,000 bytes)");
        AssertRejected(rejects, "m", "a jsonb string of 300,000 bytes", "(250,000 bytes)");
        AssertRejected(rejects, "s", "a jsonb document of more than 250,000 bytes");
        AssertRejected(rejects, "l", "the array of 1,200,008 bytes", "(1,000,000 bytes)");
        Assert.True(verify.Ok, JsonSerializer.Serialize(new { verify.Problems, verify.Differences }));
        Assert.Equal((2L, 2L, 5L), (verify.SourceRows, verify.TargetRows!.Value, verify.SourceRejected));
    }

    [Fact]
    public async Task A_CSV_field_beyond_the_limit_is_rejected()
    {
        var csv = _files.PathOf("notes.csv");
        await File.WriteAllTextAsync(csv, $"id,note\n1,short\n2,{new string('n', 1_500_000)}\n3,also short\n");
        await using var db = await TestCluster.CreateDatabaseAsync("limits_csv");

        var (copy, verify, rejects) = await CopyAndVerifyAsync(db, "csv:" + csv, () => DuckDbSource.Csv(csv, "notes", options: new SourceOptions { Limits = Small }));

        Assert.Equal((3L, 2L, 1L), (copy.RowsRead, copy.RowsWritten, copy.RowsRejected));
        AssertRejected(rejects, "note", "text of 1,500,000 bytes", "(1,000,000 bytes)");
        Assert.True(verify.Ok, JsonSerializer.Serialize(new { verify.Problems, verify.Differences }));
        Assert.Equal(1L, verify.SourceRejected);
    }

    [Fact]
    public async Task A_map_key_beyond_jsonb_s_own_limit_is_rejected_by_the_CLI_and_counted_by_verify()
    {
        // PostgreSQL's own limit: a jsonb string holds at most 268,435,455 bytes (a 300 MB key compresses to little in Parquet).
        DuckDbTestFiles.Execute(null,
            $"COPY (SELECT * FROM (VALUES (1, MAP {{'a': 1}}), (2, MAP {{repeat('k', 300000000): 2}}), (3, MAP {{'c': 3}})) t(id, m) ORDER BY id) " +
            $"TO '{_files.PathOf("maps.parquet")}' (FORMAT parquet, COMPRESSION zstd)");
        await using var db = await TestCluster.CreateDatabaseAsync("limits_cli");
        var environment = new Dictionary<string, string>();

        var copy = await CliRunner.RunAsync(environment, _files.Directory, "copy", "parquet:maps.parquet", "--table", "maps", "--to", db.Url, "--rejects", _files.PathOf("rejects"), "--json");
        var verify = await CliRunner.RunAsync(environment, _files.Directory, "verify", "parquet:maps.parquet", "--table", "maps", "--to", db.Url, "--json");

        Assert.True(copy.ExitCode == 1, copy.ToString());
        var table = copy.Json().GetProperty("tables")[0];
        Assert.Equal((3, 2, 1), (table.GetProperty("rows_read").GetInt32(), table.GetProperty("rows_written").GetInt32(), table.GetProperty("rows_rejected").GetInt32()));
        var reject = JsonDocument.Parse(File.ReadAllLines(Assert.Single(Directory.GetFiles(_files.PathOf("rejects"), "*.jsonl"))).Single()).RootElement;
        Assert.Equal("m", reject.GetProperty("column").GetString());
        Assert.Contains("a jsonb string of 300,000,000 bytes is longer than PostgreSQL's jsonb holds (268,435,455 bytes)", reject.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var verified = verify.Json().GetProperty("tables")[0];
        Assert.Equal((2, 2, 1), (verified.GetProperty("source_rows").GetInt32(), verified.GetProperty("target_rows").GetInt32(), verified.GetProperty("source_rejected").GetInt32()));
    }
}
