using Ferry.Copy;
using Ferry.Sources;
using Ferry.Tests.DuckDb;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Ferry.Verify;

namespace Ferry.Tests.Transforms;

/// <summary>
/// Derived tables: a query the source engine runs becomes a table of the target, typed from its result, with its
/// primary key; verify runs the same query; a query the engine refuses, or a key it does not return, writes nothing.
/// </summary>
public sealed class DerivedTableTests : IDisposable
{
    static readonly DerivedTable SessionsDaily = new("sessions_daily", "SELECT date(started_at) AS day, count(*) AS sessions, sum(seconds) AS seconds FROM sessions GROUP BY 1", ["day"]);

    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>300 sessions over 10 days (30 a day), seconds = id.</summary>
    static SqliteTestFile Sessions() => new(
        "CREATE TABLE sessions (id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, seconds INTEGER NOT NULL)",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300) " +
        "INSERT INTO sessions SELECT i, datetime('2024-03-01 08:00:00', '+' || (i % 10) || ' days', '+' || i || ' minutes'), i FROM n");

    [Fact]
    public async Task A_sqlite_derived_table_is_typed_by_its_values_keyed_and_verifies_identical_then_changed()
    {
        using var file = Sessions();
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await CopyAsync("sqlite:" + file.Path, null, db, [SessionsDaily]);

        var derived = result.Tables.Single(t => t.Target == "public.sessions_daily");
        Assert.Equal((10L, 10L, 0L), (derived.RowsRead, derived.RowsWritten, derived.RowsRejected));
        var columns = await db.RowsAsync("SELECT attname::text, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute WHERE attrelid = 'sessions_daily'::regclass AND attnum > 0 ORDER BY attnum");
        // date() returns text, and a result column without a declared type is typed by its values, as a table's is.
        Assert.Equal([["day", "text", true], ["sessions", "bigint", false], ["seconds", "bigint", false]], columns);
        Assert.Equal("PRIMARY KEY (day)", await db.ScalarAsync<string>("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'sessions_daily'::regclass AND contype = 'p'"));
        Assert.Equal(new object?[] { "2024-03-01", 30L, 4_650L }, (await db.RowsAsync("SELECT day, sessions, seconds FROM sessions_daily ORDER BY day LIMIT 1"))[0]);

        await VerifyAsync("sqlite:" + file.Path, null, db, [SessionsDaily], ok: true);
        await db.ExecuteAsync("UPDATE sessions_daily SET sessions = 31 WHERE day = '2024-03-05'");
        var changed = await VerifyAsync("sqlite:" + file.Path, null, db, [SessionsDaily], ok: false);
        var difference = Assert.Single(changed.Tables.Single(t => t.Target == "public.sessions_daily").Differences);
        Assert.Equal(DifferenceKind.Changed, difference.Kind);
    }

    [Fact]
    public async Task A_duckdb_derived_table_is_typed_by_duckdb_keyed_and_filtered_and_verifies_identical()
    {
        var path = _files.PathOf("shop.duckdb");
        DuckDbTestFiles.Execute(path,
            "CREATE TABLE orders (id BIGINT PRIMARY KEY, customer VARCHAR NOT NULL, total DECIMAL(10,2) NOT NULL)",
            "INSERT INTO orders SELECT i, 'c' || (i % 7), (i % 50) + 0.25 FROM range(1, 701) t(i)");
        await using var db = await TestCluster.CreateDatabaseAsync();
        DerivedTable perCustomer = new("customer_totals", "SELECT customer, count(*) AS orders, sum(total) AS spent FROM orders GROUP BY customer", ["customer"]);
        var filters = SourceOptions.ParseFilters(["customer_totals: orders > 99"]);

        var result = await CopyAsync("duckdb:" + path, null, db, [perCustomer], filters);

        var derived = result.Tables.Single(t => t.Target == "public.customer_totals");
        // 700 orders over 7 customers, 100 each: the filter on the derived table keeps all of them.
        Assert.Equal((7L, 7L, 0L), (derived.RowsRead, derived.RowsWritten, derived.RowsFiltered));
        Assert.Equal(["customer", "bigint", "numeric(38,2)"], (await db.RowsAsync("SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'customer_totals'::regclass AND attnum > 0 ORDER BY attnum")).Select(r => r[0] is "customer" ? "customer" : (string)r[1]!));
        Assert.Equal("PRIMARY KEY (customer)", await db.ScalarAsync<string>("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'customer_totals'::regclass AND contype = 'p'"));
        await VerifyAsync("duckdb:" + path, null, db, [perCustomer], ok: true, filters);
    }

    [Fact]
    public async Task A_parquet_globs_derived_table_queries_the_files_by_their_table_name()
    {
        DuckDbTestFiles.Execute(null, $"COPY (SELECT i AS id, CASE WHEN i % 4 = 0 THEN 'bot' ELSE 'human' END AS kind FROM range(0, 400) t(i)) TO '{_files.PathOf("hits.parquet")}' (FORMAT parquet)");
        await using var db = await TestCluster.CreateDatabaseAsync();
        DerivedTable kinds = new("hit_kinds", "SELECT kind, count(*) AS hits FROM hits GROUP BY kind", ["kind"]);

        var result = await CopyAsync("parquet:" + _files.PathOf("hits.parquet"), "hits", db, [kinds]);

        Assert.Equal((400L, 2L), (result.Tables.Single(t => t.Target == "public.hits").RowsWritten, result.Tables.Single(t => t.Target == "public.hit_kinds").RowsWritten));
        Assert.Equal(300L, await db.ScalarAsync<long>("SELECT hits FROM hit_kinds WHERE kind = 'human'"));
        await VerifyAsync("parquet:" + _files.PathOf("hits.parquet"), "hits", db, [kinds], ok: true);
    }

    [Theory]
    [InlineData("sqlite", "SELECT nope FROM sessions", "day", "no such column: nope")]
    [InlineData("sqlite", "SELECT date(started_at) AS day FROM sessions GROUP BY 1", "the_day", "primary_key names 'the_day', which its query does not return. It returns: day")]
    [InlineData("sqlite", "SELECT 1 AS day; DELETE FROM sessions", "day", "';'")]
    [InlineData("duckdb", "SELECT nope FROM sessions", "day", "nope")]
    [InlineData("duckdb", "SELECT CAST(started_at AS DATE) AS day FROM sessions GROUP BY 1", "the_day", "primary_key names 'the_day'")]
    public async Task A_query_the_engine_refuses_or_a_key_it_does_not_return_writes_nothing(string engine, string query, string key, string reason)
    {
        using var file = Sessions();
        var source = "sqlite:" + file.Path;
        if (engine == "duckdb")
        {
            source = "duckdb:" + _files.PathOf("s.duckdb");
            DuckDbTestFiles.Execute(_files.PathOf("s.duckdb"), "CREATE TABLE sessions (id BIGINT, started_at TIMESTAMP, seconds INTEGER)", "INSERT INTO sessions VALUES (1, TIMESTAMP '2024-03-01 08:00:00', 5)");
        }

        await using var db = await TestCluster.CreateDatabaseAsync();

        var refused = await Assert.ThrowsAsync<FerryException>(() => CopyAsync(source, null, db, [new DerivedTable("daily", query, [key])]));

        Assert.Contains("Derived table 'daily'", refused.Message, StringComparison.Ordinal);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('daily', 'sessions')"));
    }

    [Fact]
    public async Task A_postgres_derived_table_is_typed_by_the_server_read_in_the_snapshot_and_verifies_identical_then_changed()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_derived_source");
        await source.ExecuteAsync("""
            CREATE TABLE sessions (id int PRIMARY KEY, started_at timestamp NOT NULL, seconds int NOT NULL, agent varchar(40));
            INSERT INTO sessions SELECT g, TIMESTAMP '2024-03-01 08:00' + (g % 10) * INTERVAL '1 day' + g * INTERVAL '1 min', g, 'agent ' || g % 3 FROM generate_series(1, 300) g;
            """);
        await using var db = await TestCluster.CreateDatabaseAsync("pg_derived_target");
        DerivedTable daily = new("sessions_daily", "SELECT started_at::date AS day, count(*) AS sessions, sum(seconds) AS seconds, max(agent) AS agent FROM sessions GROUP BY 1", ["day"]);
        DerivedTable firsts = new("first_sessions", "SELECT id, agent FROM sessions WHERE id <= 10", ["id"]);
        var filters = SourceOptions.ParseFilters(["sessions_daily: day < '2024-03-10'"]);

        var result = await CopyAsync(source.Url, null, db, [daily, firsts], filters);

        var derived = result.Tables.Single(t => t.Target == "public.sessions_daily");
        Assert.Equal((10L, 9L, 1L), (derived.RowsRead, derived.RowsWritten, derived.RowsFiltered));
        Assert.Equal(10L, result.Tables.Single(t => t.Target == "public.first_sessions").RowsWritten);
        const string columns = "SELECT attname::text, format_type(atttypid, atttypmod), attnotnull FROM pg_attribute WHERE attrelid = '{0}'::regclass AND attnum > 0 ORDER BY attnum";
        // An expression is typed as the server types it (max of varchar is text); a column straight from a table keeps its modifier.
        Assert.Equal([["day", "date", true], ["sessions", "bigint", false], ["seconds", "bigint", false], ["agent", "text", false]], await db.RowsAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, columns, "sessions_daily")));
        Assert.Equal([["id", "integer", true], ["agent", "character varying(40)", false]], await db.RowsAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, columns, "first_sessions")));
        Assert.Equal("PRIMARY KEY (day)", await db.ScalarAsync<string>("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'sessions_daily'::regclass AND contype = 'p'"));
        Assert.Equal(new object?[] { 30L, 4_650L }, (await db.RowsAsync("SELECT sessions, seconds FROM sessions_daily ORDER BY day LIMIT 1"))[0]);

        await VerifyAsync(source.Url, null, db, [daily, firsts], ok: true, filters);
        await db.ExecuteAsync("UPDATE sessions_daily SET sessions = 31 WHERE day = '2024-03-05'");
        var changed = await VerifyAsync(source.Url, null, db, [daily, firsts], ok: false, filters);
        var difference = Assert.Single(changed.Tables.Single(t => t.Target == "public.sessions_daily").Differences);
        Assert.Equal((DifferenceKind.Changed, "2024-03-05"), (difference.Kind, difference.Key!["day"]?.ToString()));
    }

    [Theory]
    [InlineData("SELECT nope FROM sessions", "day", "column \"nope\" does not exist")]
    [InlineData("SELECT started_at::date AS day, started_at::date AS day FROM sessions", "day", "it returns two columns named 'day'")]
    [InlineData("SELECT started_at::date AS day FROM sessions GROUP BY 1", "the_day", "primary_key names 'the_day', which its query does not return. It returns: day")]
    public async Task A_postgres_derived_query_the_server_refuses_writes_nothing(string query, string key, string reason)
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await source.ExecuteAsync("CREATE TABLE sessions (id int PRIMARY KEY, started_at timestamptz)");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");

        var refused = await Assert.ThrowsAsync<FerryException>(() => CopyAsync(source.Url, null, target, [new DerivedTable("daily", query, [key])]));

        Assert.Contains("Derived table 'daily'", refused.Message, StringComparison.Ordinal);
        Assert.Contains(reason, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('sessions', 'daily')"));
    }

    static async Task<CopyResult> CopyAsync(string source, string? table, TestDatabase target, IReadOnlyList<DerivedTable> derived, IReadOnlyDictionary<string, string>? filters = null)
    {
        var options = new CopyOptions
        {
            Source = source,
            TableName = table,
            Target = target.Target,
            DerivedTables = derived,
            Filters = filters ?? new Dictionary<string, string>(),
            RejectsDirectory = Path.Combine(Path.GetTempPath(), "ferry-derived-rejects-" + Guid.NewGuid().ToString("N")[..8]),
        };
        var result = await new CopyRunner(options).RunAsync(default);
        Assert.True(result.Ok, string.Join("\n", result.Failures.Concat(result.Warnings)));
        return result;
    }

    static async Task<VerifyResult> VerifyAsync(string sourceText, string? table, TestDatabase target, IReadOnlyList<DerivedTable> derived, bool ok, IReadOnlyDictionary<string, string>? filters = null)
    {
        await using var source = SourceFactory.Open(sourceText, new SourceOptions { ProfileData = false, DerivedTables = derived, Filters = filters ?? new Dictionary<string, string>() }, table);
        var verified = await new Verifier(target.Target).VerifyAsync(source, default);
        Assert.True(verified.Ok == ok, string.Join("\n", verified.Tables.SelectMany(t => t.Problems.Concat(t.Differences.Select(d => d.Kind + " " + d.Row)))));
        return verified;
    }
}
