using Ferry.Tests.DuckDb;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;

namespace Ferry.Tests.Security;

/// <summary>
/// <c>ferry copy</c> and <c>verify</c> into a database whose standard_conforming_strings is off (legacy databases still
/// carry it): strings from the source (defaults, views, CHECKs, index expressions, enum labels) arrive as they are, and
/// none of them ever runs as SQL. The attacks end a string early there (<c>'p\'</c>) to drop a canary table.
/// </summary>
public sealed class LegacyStringSettingTests : IDisposable
{
    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>Column defaults whose SQL, were <c>'p\'</c> read as escaping its quote, would drop the canary.</summary>
    const string AttackColumns = @"a VARCHAR DEFAULT 'p\', b VARCHAR DEFAULT '); DROP TABLE canary; /*', c VARCHAR DEFAULT '*/ SELECT (1 --'";

    const string AttackView = @"CREATE VIEW v AS SELECT 'a\' AS x, '; DROP TABLE canary; --' AS y";

    static async Task<TestDatabase> TargetWithCanaryAsync()
    {
        var db = await TestCluster.CreateLegacyStringsDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE canary (id int); INSERT INTO canary VALUES (1)");
        return db;
    }

    async Task<CliResult> FerryAsync(params string[] args) =>
        await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, [.. args, "--json"]);

    /// <summary>Copies <paramref name="source"/> (the source and its options), checks, then verifies it identical.</summary>
    async Task CopyAndVerifyAsync(TestDatabase db, Func<Task> check, params string[] source)
    {
        var copy = await FerryAsync(["copy", .. source, "--to", db.Url, "--rejects", _files.PathOf("rejects")]);
        Assert.True(await db.ScalarAsync<bool>("SELECT to_regclass('canary') IS NOT NULL"), "the canary was dropped\n" + copy);
        Assert.True(copy.ExitCode == 0, copy.ToString());
        await check();
        var verify = await FerryAsync(["verify", .. source, "--to", db.Url]);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    static async Task AssertDefaultsAndViewAsync(TestDatabase db)
    {
        Assert.Equal([@"p\", "); DROP TABLE canary; /*", "*/ SELECT (1 --"],
            (await db.RowsAsync("INSERT INTO t (id) VALUES (100) RETURNING a, b, c"))[0]);
        await db.ExecuteAsync("DELETE FROM t WHERE id = 100");
        Assert.Equal([@"a\", "; DROP TABLE canary; --"], (await db.RowsAsync("SELECT x, y FROM v"))[0]);
    }

    [Fact]
    public async Task Sqlite_default_and_view_attacks_leave_the_canary_values_arrive_exactly_and_verify_identical()
    {
        using var file = new SqliteTestFile(
            $"CREATE TABLE t (id INTEGER PRIMARY KEY, {AttackColumns})",
            "INSERT INTO t (id) VALUES (1)",
            @"INSERT INTO t VALUES (2, 'a\', 'it''s \''', 'C:\path\')",
            AttackView);
        await using var db = await TargetWithCanaryAsync();

        await CopyAndVerifyAsync(db, async () =>
        {
            Assert.Equal([[1L, @"p\", "); DROP TABLE canary; /*", "*/ SELECT (1 --"], [2L, @"a\", @"it's \'", @"C:\path\"]],
                await db.RowsAsync("SELECT id, a, b, c FROM t ORDER BY id"));
            await AssertDefaultsAndViewAsync(db);
        }, "sqlite:" + file.Path);
    }

    [Fact]
    public async Task Sqlite_checks_and_index_expressions_keep_their_strings()
    {
        using var file = new SqliteTestFile(
            @"CREATE TABLE ""o'brien\x"" (id INTEGER PRIMARY KEY, s TEXT CHECK (s <> 'bad\'))",
            @"CREATE INDEX o_partial ON ""o'brien\x"" (s) WHERE s <> 'skip\'",
            @"CREATE INDEX o_expression ON ""o'brien\x"" ((s || '\'))",
            @"INSERT INTO ""o'brien\x"" VALUES (1, 'fine\')");
        await using var db = await TargetWithCanaryAsync();

        await CopyAndVerifyAsync(db, async () =>
        {
            Assert.Equal(@"fine\", await db.ScalarAsync<string>(@"SELECT s FROM ""o'brien\x"""));
            var check = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync(@"INSERT INTO ""o'brien\x"" VALUES (2, E'bad\\')"));
            Assert.Equal("23514", check.SqlState);
            Assert.Equal([@"(s <> 'skip\'::text)", @"(s || '\'::text)"],
                await db.ScalarAsync<string[]>(
                    "SELECT array[pg_get_expr(p.indpred, p.indrelid), pg_get_indexdef(e.indexrelid, 1, true)] FROM pg_index p, pg_index e " +
                    "WHERE p.indexrelid = 'o_partial'::regclass AND e.indexrelid = 'o_expression'::regclass"));
        }, "sqlite:" + file.Path);
    }

    [Fact]
    public async Task Duckdb_enum_labels_defaults_and_views_arrive_exactly_and_verify_identical()
    {
        var path = _files.PathOf("legacy.duckdb");
        DuckDbTestFiles.Execute(path,
            @"CREATE TYPE mood AS ENUM ('it''s', 'back\slash', 'x\')",
            $"CREATE TABLE t (id INTEGER PRIMARY KEY, m mood, {AttackColumns})",
            @"INSERT INTO t (id, m) VALUES (1, 'x\'), (2, 'it''s')",
            AttackView);
        await using var db = await TargetWithCanaryAsync();

        await CopyAndVerifyAsync(db, async () =>
        {
            Assert.Equal(["it's", @"back\slash", @"x\"], await db.ScalarAsync<string[]>("SELECT enum_range(NULL::mood)::text[]"));
            Assert.Equal([[1L, @"x\", @"p\"], [2L, "it's", @"p\"]], await db.RowsAsync("SELECT id::bigint, m::text, a FROM t ORDER BY id"));
            await AssertDefaultsAndViewAsync(db);
        }, "duckdb:" + path);
    }

    [Fact]
    public async Task Csv_files_whose_path_has_quotes_and_backslashes_are_read_by_duckdb()
    {
        var directory = _files.PathOf(@"it's a \ folder");
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "o'neil.csv"), "id,name\n1,a\\b\n");
        await using var db = await TargetWithCanaryAsync();

        await CopyAndVerifyAsync(db, async () => Assert.Equal([[1L, @"a\b"]], await db.RowsAsync("SELECT id::bigint, name FROM people")),
            "csv:" + Path.Combine(directory, "o'neil.csv"), "--table", "people");
    }
}
