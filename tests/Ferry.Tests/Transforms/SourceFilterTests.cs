using Ferry.Copy;
using Ferry.Sources;
using Ferry.Tests.DuckDb;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Ferry.Verify;

namespace Ferry.Tests.Transforms;

/// <summary>
/// <c>--where 'table: condition'</c> on every source engine: the engine runs it, every row is accounted for
/// (read = written + rejected + filtered), verify reads the same rows, and a condition the engine refuses writes nothing.
/// </summary>
public sealed class SourceFilterTests : IDisposable
{
    const string NoBots = "visitors: user_agent NOT LIKE '%bot%'";

    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>1,000 visitors, every fifth a bot; one row's agent is NULL (the condition is NULL for it: left out too).</summary>
    static SqliteTestFile Visitors() => new(
        "CREATE TABLE visitors (id INTEGER PRIMARY KEY, user_agent TEXT, visits INTEGER NOT NULL)",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) " +
        "INSERT INTO visitors SELECT i, CASE WHEN i = 7 THEN NULL WHEN i % 5 = 0 THEN 'Googlebot/2.1' ELSE 'Mozilla/5.0 #' || i END, i % 13 FROM n",
        "CREATE TABLE pages (id INTEGER PRIMARY KEY, path TEXT NOT NULL)",
        "INSERT INTO pages VALUES (1, '/'), (2, '/about')");

    [Fact]
    public async Task Sqlite_where_on_the_command_line_filters_in_the_engine_accounts_every_row_and_verifies_identical()
    {
        using var file = Visitors();
        await using var db = await TestCluster.CreateDatabaseAsync();

        var copy = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, "copy", "sqlite:" + file.Path, "--to", db.Url,
            "--where", NoBots, "--rejects", _files.PathOf("rejects"), "--json", "--verify");

        Assert.True(copy.ExitCode == 0, copy.ToString());
        var tables = copy.Json().GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("target").GetString()!);
        var visitors = tables["public.visitors"];
        Assert.Equal((1000L, 799L, 0L, 201L), (visitors.GetProperty("rows_read").GetInt64(), visitors.GetProperty("rows_written").GetInt64(),
            visitors.GetProperty("rows_rejected").GetInt64(), visitors.GetProperty("rows_filtered").GetInt64()));
        Assert.Equal(0L, tables["public.pages"].GetProperty("rows_filtered").GetInt64());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM visitors WHERE user_agent LIKE '%bot%' OR user_agent IS NULL"));
        Assert.All(copy.Json().GetProperty("verify").GetProperty("tables").EnumerateArray(), t => Assert.Equal("ok", t.GetProperty("status").GetString()));
        // A filter is what the user asked for: a note, not a warning.
        const string Note = "visitors: Rows read WHERE (user_agent NOT LIKE '%bot%') (--where); those it leaves out are counted as filtered.";
        Assert.Equal([Note], copy.Json().GetProperty("notes").EnumerateArray().Select(n => n.GetString()));
        Assert.DoesNotContain(copy.Json().GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("Rows read WHERE", StringComparison.Ordinal));

        // verify reads the source through the same condition; without it the bots are missing from the target.
        string[] verify = ["verify", "sqlite:" + file.Path, "--to", db.Url];
        var same = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, [.. verify, "--where", NoBots]);
        Assert.True(same.ExitCode == 0, same.ToString());
        var unfiltered = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, verify);
        Assert.True(unfiltered.ExitCode == 1, unfiltered.ToString());
    }

    [Fact]
    public async Task The_human_summary_has_a_filtered_column_only_when_a_table_was_filtered()
    {
        using var file = Visitors();
        await using var filteredDb = await TestCluster.CreateDatabaseAsync();
        await using var plainDb = await TestCluster.CreateDatabaseAsync();

        var filtered = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, "copy", "sqlite:" + file.Path, "--to", filteredDb.Url, "--where", NoBots, "--rejects", _files.PathOf("rejects"));
        var plain = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, "copy", "sqlite:" + file.Path, "--to", plainDb.Url, "--rejects", _files.PathOf("rejects"));

        Assert.True(filtered.ExitCode == 0, filtered.ToString());
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.Contains("filtered", filtered.Stdout, StringComparison.Ordinal);
        Assert.Contains("201", filtered.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("filtered", plain.Stdout, StringComparison.Ordinal);
        Assert.Contains("note: visitors: Rows read WHERE (user_agent NOT LIKE '%bot%') (--where)", filtered.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("warning: visitors: Rows read", filtered.Stdout + filtered.Stderr, StringComparison.Ordinal);

        // The plan shows the condition each table is read with.
        var dryRun = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, "copy", "sqlite:" + file.Path, "--where", NoBots, "--dry-run");
        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Contains("note: visitors: Rows read WHERE (user_agent NOT LIKE '%bot%') (--where)", dryRun.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("warning: visitors: Rows read", dryRun.Stdout + dryRun.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("visitors: no_such_column = 1", "no such column: no_such_column")]
    [InlineData("visitors: user_agent LIKE", "syntax error")]
    [InlineData("visitors: 1 = 1); DROP TABLE pages; --", "';'")]
    [InlineData("visitors: 1 = 1) OR (1 = 1", "closes a parenthesis it did not open")]
    [InlineData("visitors: 1 = 1 /* ) */", "comment")]
    [InlineData("nope: 1 = 1", "has no table 'nope'")]
    public async Task A_condition_the_engine_or_the_guard_refuses_stops_the_copy_before_any_write(string where, string reason)
    {
        using var file = Visitors();
        await using var db = await TestCluster.CreateDatabaseAsync();

        var refused = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, "copy", "sqlite:" + file.Path, "--to", db.Url, "--where", where, "--rejects", _files.PathOf("rejects"));

        Assert.True(refused.ExitCode != 0, refused.ToString());
        Assert.Contains(reason, refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("--where '", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('visitors', 'pages')"));
    }

    [Fact]
    public async Task A_duckdb_database_filters_in_duckdb_accounts_every_row_verifies_identical_and_refuses_a_bad_condition()
    {
        var path = _files.PathOf("app.duckdb");
        DuckDbTestFiles.Execute(path,
            "CREATE SCHEMA web",
            "CREATE TABLE web.visitors (id BIGINT PRIMARY KEY, user_agent VARCHAR, visits INTEGER)",
            "INSERT INTO web.visitors SELECT i, CASE WHEN i % 4 = 0 THEN 'crawler-bot' ELSE 'Firefox ' || i END, i % 9 FROM range(1, 401) t(i)");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var filters = SourceOptions.ParseFilters(["web.visitors: user_agent NOT LIKE '%bot%' AND visits > 0"]);

        var result = await CopyAsync("duckdb:" + path, null, db, filters);

        var table = Assert.Single(result.Tables);
        // 100 bots; of the other 300, those with visits = 0 (i % 9 = 0 and i % 4 <> 0): 33.
        Assert.Equal((400L, 267L, 0L, 133L), (table.RowsRead, table.RowsWritten, table.RowsRejected, table.RowsFiltered));
        Assert.Equal(267L, await db.ScalarAsync<long>($"SELECT count(*) FROM {table.Target} WHERE user_agent NOT LIKE '%bot%' AND visits > 0"));
        await VerifyIdenticalAsync("duckdb:" + path, null, db, filters);

        await using var refusedDb = await TestCluster.CreateDatabaseAsync();
        var refused = await Assert.ThrowsAsync<FerryException>(() => CopyAsync("duckdb:" + path, null, refusedDb, SourceOptions.ParseFilters(["visitors: agent = 'x'"])));
        Assert.Contains("table web.visitors", refused.Message, StringComparison.Ordinal);
        Assert.Contains("agent", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await refusedDb.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'visitors'"));
    }

    [Fact]
    public async Task A_parquet_glob_and_a_csv_file_are_filtered_by_duckdb_with_every_row_accounted_for()
    {
        DuckDbTestFiles.Execute(null,
            $"COPY (SELECT i AS id, CASE WHEN i % 10 = 0 THEN 'bot' ELSE 'human' END AS kind FROM range(0, 600) t(i)) TO '{_files.PathOf("part1.parquet")}' (FORMAT parquet)",
            $"COPY (SELECT i AS id, CASE WHEN i % 10 = 0 THEN 'bot' ELSE 'human' END AS kind FROM range(600, 1000) t(i)) TO '{_files.PathOf("part2.parquet")}' (FORMAT parquet)");
        await File.WriteAllTextAsync(_files.PathOf("hits.csv"), "id,kind\n1,human\n2,bot\n3,human\n4,bot\n5,human\n");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var filters = SourceOptions.ParseFilters(["hits: kind <> 'bot'"]);

        var parquet = Assert.Single((await CopyAsync("parquet:" + _files.PathOf("part*.parquet"), "hits", db, filters, jobs: 3)).Tables);
        Assert.Equal((1000L, 900L, 100L), (parquet.RowsRead, parquet.RowsWritten, parquet.RowsFiltered));
        await VerifyIdenticalAsync("parquet:" + _files.PathOf("part*.parquet"), "hits", db, filters);

        await using var csvDb = await TestCluster.CreateDatabaseAsync();
        var csv = Assert.Single((await CopyAsync("csv:" + _files.PathOf("hits.csv"), "hits", csvDb, filters)).Tables);
        Assert.Equal((5L, 3L, 2L), (csv.RowsRead, csv.RowsWritten, csv.RowsFiltered));
        Assert.Equal(0L, await csvDb.ScalarAsync<long>("SELECT count(*) FROM hits WHERE kind = 'bot'"));
        await VerifyIdenticalAsync("csv:" + _files.PathOf("hits.csv"), "hits", csvDb, filters);
    }

    [Fact]
    public async Task A_resumed_copy_shows_a_kept_tables_filtered_rows_and_refuses_a_changed_filter()
    {
        using var file = Visitors();
        await using var db = await TestCluster.CreateDatabaseAsync();
        string[] copy = ["copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", _files.PathOf("rejects")];
        Assert.Equal(0, (await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, [.. copy, "--where", NoBots])).ExitCode);
        Assert.Equal(201L, await db.ScalarAsync<long>("SELECT rows_filtered FROM ferry.copy_state WHERE table_name = 'public.visitors'"));

        // As if the run had stopped while loading pages: visitors is kept, with the rows its filter left out.
        await db.ExecuteAsync("UPDATE ferry.copy_state SET status = 'loading' WHERE table_name = 'public.pages'");
        var resumed = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, [.. copy, "--where", NoBots, "--resume", "--json"]);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        var visitors = resumed.Json().GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("target").GetString() == "public.visitors");
        Assert.True(visitors.GetProperty("resumed").GetBoolean());
        Assert.Equal((1000L, 799L, 201L), (visitors.GetProperty("rows_read").GetInt64(), visitors.GetProperty("rows_written").GetInt64(), visitors.GetProperty("rows_filtered").GetInt64()));
        Assert.Equal(201L, await db.ScalarAsync<long>("SELECT (document #>> '{tables,1,rows_filtered}')::bigint FROM ferry.runs ORDER BY id DESC LIMIT 1"));

        // Stopped after visitors was marked loaded but before its filtered rows were recorded: they are counted on resume.
        await db.ExecuteAsync("UPDATE ferry.copy_state SET rows_filtered = NULL WHERE table_name = 'public.visitors'; UPDATE ferry.copy_state SET status = 'loading' WHERE table_name = 'public.pages'");
        var human = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, [.. copy, "--where", NoBots, "--resume"]);
        Assert.True(human.ExitCode == 0, human.ToString());
        Assert.Contains("filtered", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("201", human.Stdout, StringComparison.Ordinal);
        Assert.Equal(201L, await db.ScalarAsync<long>("SELECT rows_filtered FROM ferry.copy_state WHERE table_name = 'public.visitors'"));

        // Another condition, or none: visitors' rows were read under the first one, so resuming is refused before any write.
        await db.ExecuteAsync("UPDATE ferry.copy_state SET status = 'loading' WHERE table_name = 'public.pages'");
        foreach (var changed in new[] { new[] { "--where", "visitors: visits > 3" }, [] })
        {
            var refused = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, [.. copy, .. changed, "--resume"]);
            Assert.True(refused.ExitCode == 2, refused.ToString());
            Assert.Contains("--resume: public.visitors was loaded by the earlier copy of", refused.Stderr, StringComparison.Ordinal);
            Assert.Contains("under other filters or another transform", refused.Stderr, StringComparison.Ordinal);
            Assert.Equal(799L, await db.ScalarAsync<long>("SELECT count(*) FROM visitors"));
            Assert.Equal("loading", await db.ScalarAsync<string>("SELECT status FROM ferry.copy_state WHERE table_name = 'public.pages'"));
        }

        // A state table of an earlier version (without the filter columns) gains them; its rows name no filter.
        await db.ExecuteAsync("ALTER TABLE ferry.copy_state DROP COLUMN rows_filtered, DROP COLUMN options_digest");
        var upgraded = await CliRunner.RunAsync(new Dictionary<string, string>(), _files.Directory, [.. copy, "--resume"]);
        Assert.True(upgraded.ExitCode == 0, upgraded.ToString());
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_attribute WHERE attrelid = 'ferry.copy_state'::regclass AND attname IN ('rows_filtered', 'options_digest')"));
    }

    [Fact]
    public async Task A_postgres_condition_the_server_refuses_stops_the_copy_before_any_write()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await source.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY, v text); INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 10) g");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");

        var refused = await Assert.ThrowsAsync<FerryException>(() => CopyAsync(source.Url, null, target, SourceOptions.ParseFilters(["t: nope > 1"])));

        Assert.Contains("table public.t", refused.Message, StringComparison.Ordinal);
        Assert.Contains("column \"nope\" does not exist", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await target.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 't'"));
    }

    static async Task<CopyResult> CopyAsync(string source, string? table, TestDatabase target, IReadOnlyDictionary<string, string> filters, int jobs = 2)
    {
        var options = new CopyOptions
        {
            Source = source,
            TableName = table,
            Target = target.Target,
            Filters = filters,
            Jobs = jobs,
            SplitAboveRows = 1,
            RejectsDirectory = Path.Combine(Path.GetTempPath(), "ferry-filter-rejects-" + Guid.NewGuid().ToString("N")[..8]),
        };
        var result = await new CopyRunner(options).RunAsync(default);
        Assert.True(result.Ok, string.Join("\n", result.Failures));
        return result;
    }

    static async Task VerifyIdenticalAsync(string sourceText, string? table, TestDatabase target, IReadOnlyDictionary<string, string> filters)
    {
        await using var source = SourceFactory.Open(sourceText, new SourceOptions { ProfileData = false, Filters = filters }, table);
        var verified = await new Verifier(target.Target).VerifyAsync(source, default);
        Assert.True(verified.Ok, string.Join("\n", verified.Tables.SelectMany(t => t.Problems.Concat(t.Differences.Select(d => d.Kind + " " + d.Row)))));
        Assert.All(verified.Tables, t => Assert.Equal(t.SourceRows, t.TargetRows));
    }
}
