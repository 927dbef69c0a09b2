using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Sources.Postgres;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Sources.Postgres;

/// <summary>A PostgreSQL source is read at one instant, in parallel ranges, filtered at the source, and resumable.</summary>
public sealed class PostgresSnapshotTests
{
    const string Rows = "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM t";

    static async Task<TestDatabase> SourceAsync(int rows)
    {
        var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await source.ExecuteAsync($"""
            CREATE TABLE t (id int PRIMARY KEY, v text NOT NULL, at timestamptz);
            INSERT INTO t SELECT g, repeat('x', g % 50) || g, '2024-01-01'::timestamptz + g * interval '1 minute' FROM generate_series(1, {rows}) g;
            ANALYZE t;
            """);
        return source;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_copy_in_parallel_ranges_is_the_state_of_the_instant_the_source_was_opened(bool byKey)
    {
        await using var source = await SourceAsync(30_000);
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        var before = await source.ScalarAsync<string>(Rows);
        var options = new CopyOptions
        {
            Source = source.Url, Target = target.Target, Names = NamingRule.Preserve, Jobs = 3, SplitAboveRows = 1000, BatchRows = 2000,
            EngineOptions = [new PostgresOptions { KeyRanges = byKey }],
        };
        await using var opened = SourceFactory.Open(source.Url, options.SourceOptions);

        // Another session writes after the source was opened, before and while it is read.
        await source.ExecuteAsync("INSERT INTO t SELECT g, 'late', now() FROM generate_series(30001, 30100) g; UPDATE t SET v = 'changed' WHERE id <= 10; DELETE FROM t WHERE id = 30000;");
        // ctid page ranges, or (servers before 14) id ranges over the snapshot's span: the late rows are not in it.
        var ranges = opened.PlanRanges((await opened.DiscoverAsync(default)).Tables[0], 3);
        if (byKey)
            Assert.Equal(["rows ..10000", "rows 10001..20000", "rows 20001.."], ranges.Select(r => r.ToString()));
        Assert.Equal([null, ranges[0].To + 1, ranges[1].To + 1], ranges.Select(r => r.From));
        Assert.Null(ranges[2].To);
        var result = await new CopyRunner(options).RunAsync(opened, default);

        Assert.True(result.Ok);
        Assert.Equal(30_000, result.RowsWritten);
        Assert.Equal(before, await target.ScalarAsync<string>(Rows));
        var position = ((ISnapshotSource)opened).Position;
        Assert.Equal([position.Transactions, position.WalLsn], (await target.RowsAsync("SELECT source_snapshot, source_lsn FROM ferry.copy_state")).Single().Select(v => (string?)v));
    }

    [Fact]
    public async Task Where_filters_at_the_source_and_a_cast_is_done_by_the_source_server()
    {
        await using var source = await SourceAsync(5_000);
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        var options = new CopyOptions
        {
            Source = source.Url,
            Target = target.Target,
            Names = NamingRule.Preserve,
            Casts = CopyOptions.ParseCasts(["t.id=bigint", "t.at=date"]),
            Filters = SourceOptions.ParseFilters(["public.t: id % 2 = 0 AND v <> ''"]),
        };

        var result = await new CopyRunner(options).RunAsync(default);

        Assert.True(result.Ok);
        Assert.Equal((5_000, 2_500, 2_500), (result.RowsRead, result.RowsWritten, result.RowsFiltered));
        Assert.Equal("bigint date", await target.ScalarAsync<string>("SELECT string_agg(format_type(atttypid, atttypmod), ' ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = 't'::regclass AND attname IN ('id', 'at')"));
        Assert.Equal(
            await source.ScalarAsync<string>("SELECT md5(string_agg(id::bigint || v || (at AT TIME ZONE 'UTC')::date, '|' ORDER BY id)) FROM t WHERE id % 2 = 0"),
            await target.ScalarAsync<string>("SELECT md5(string_agg(id || v || at, '|' ORDER BY id)) FROM t"));
    }

    [Fact]
    public async Task Where_naming_a_table_the_source_lacks_is_refused_before_anything_is_written()
    {
        await using var source = await SourceAsync(10);
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        var options = new CopyOptions { Source = source.Url, Target = target.Target, Filters = SourceOptions.ParseFilters(["nope: id > 1"]) };

        var refused = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(options).RunAsync(default));

        Assert.Contains("has no table 'nope'", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await target.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 't'"));
    }

    [Fact]
    public async Task A_copy_killed_while_loading_resumes_to_the_exact_rows()
    {
        await using var source = await SourceAsync(1_000_000);
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        var directory = Directory.CreateTempSubdirectory("ferry-pg-resume").FullName;
        string[] copy = ["copy", source.Url, "--to", target.Url, "--jobs", "1"];
        await using (var killed = FerryProcess.Start(directory, copy))
        {
            await FerryProcess.UntilAsync(
                async () => killed.HasExited || await target.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 't'") == 1 && await target.ScalarAsync<long>("SELECT count(*) FROM t") > 0,
                "the copy commits its first batch");
            Assert.False(killed.HasExited, "the copy ended before it could be killed: give it more rows");
            await killed.KillAsync();
        }

        Assert.InRange(await target.ScalarAsync<long>("SELECT count(*) FROM t"), 1, 999_999);
        await using var resume = FerryProcess.Start(directory, [.. copy, "--resume"]);
        var resumed = await resume.ExitAsync();

        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(await source.ScalarAsync<string>(Rows), await target.ScalarAsync<string>(Rows));
    }

    [Fact]
    public async Task A_state_table_of_an_earlier_version_gains_the_snapshot_columns()
    {
        await using var source = await SourceAsync(10);
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        await target.ExecuteAsync("""
            CREATE SCHEMA ferry;
            CREATE TABLE ferry.copy_state (source text NOT NULL, table_name text NOT NULL, status text NOT NULL, rows bigint NOT NULL DEFAULT 0,
                rows_read bigint NOT NULL DEFAULT 0, rows_rejected bigint NOT NULL DEFAULT 0, started timestamptz, finished timestamptz, PRIMARY KEY (source, table_name));
            INSERT INTO ferry.copy_state (source, table_name, status) VALUES ('sqlite:/old.db', 'public.old', 'loaded');
            """);

        var result = await new CopyRunner(new CopyOptions { Source = source.Url, Target = target.Target }).RunAsync(default);

        Assert.True(result.Ok);
        Assert.Equal([null, "loaded"], (await target.RowsAsync("SELECT source_snapshot FROM ferry.copy_state ORDER BY source DESC")).Select(r => r[0] is null ? null : "loaded"));
        Assert.NotNull(await target.ScalarAsync<string?>($"SELECT source_lsn FROM ferry.copy_state WHERE source = '{source.Url}'"));
    }

    [Fact]
    public async Task A_value_the_source_server_cannot_cast_rejects_its_row_or_before_16_stops_the_table_naming_it()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        await source.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY, qty text); INSERT INTO t VALUES (1, '12'), (2, 'lots'), (3, NULL), (4, '1.5'), (5, '-7')");
        var rejects = Directory.CreateTempSubdirectory("ferry-pg-rejects").FullName;
        var options = new CopyOptions { Source = source.Url, Target = target.Target, RejectsDirectory = rejects, Casts = CopyOptions.ParseCasts(["t.qty=integer"]) };

        if (await source.ScalarAsync<int>("SELECT current_setting('server_version_num')::int") < 160000)
        {
            // No pg_input_is_valid: the server's refusal stops the table, named with the way out.
            var stopped = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(options).RunAsync(default));
            Assert.Contains("Reading public.t from the source after", stopped.Message, StringComparison.Ordinal);
            Assert.Contains("invalid input syntax for type integer: \"lots\"", stopped.Message, StringComparison.Ordinal);
            Assert.Contains("leave such rows out with --where", stopped.Message, StringComparison.Ordinal);
            return;
        }

        var result = await new CopyRunner(options).RunAsync(default);

        Assert.Equal((3L, 2L), (result.RowsWritten, result.RowsRejected));
        Assert.Equal(["1|12", "3|", "5|-7"], (await target.RowsAsync("SELECT id, qty FROM t ORDER BY id")).Select(r => $"{r[0]}|{r[1]}"));
        var lines = File.ReadAllLines(Path.Combine(rejects, "public.t.jsonl"));
        Assert.Equal(2, lines.Length);
        Assert.Contains("\"lots\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("cannot cast it to integer (--cast): invalid input syntax for type integer", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"1.5\"", lines[1], StringComparison.Ordinal);
    }
}
