using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Sources.Postgres;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Sources.Postgres;

/// <summary>A PostgreSQL database copied into another: the server's own types, keys and indexes, rows passed through.</summary>
public sealed class PostgresCopyTests
{
    [Fact]
    public async Task Tables_keys_indexes_and_values_arrive_as_the_source_has_them()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        await source.ExecuteAsync("""
            CREATE SCHEMA "Forecasts";
            CREATE TABLE "Forecasts".curve_definitions (
                id int GENERATED ALWAYS AS IDENTITY (START WITH 10 INCREMENT BY 5) PRIMARY KEY,
                "CurveName" text NOT NULL UNIQUE,
                market text CHECK (market IN ('CAISO', 'ERCOT')),
                capacity numeric(10,2),
                doubled numeric GENERATED ALWAYS AS (capacity * 2) STORED,
                span tstzrange,
                label text COLLATE "C");
            INSERT INTO "Forecasts".curve_definitions ("CurveName", market, capacity, span, label)
                SELECT 'c' || g, CASE WHEN g % 2 = 0 THEN 'CAISO' ELSE 'ERCOT' END, g * 1.5, tstzrange('2024-01-01', '2024-01-02'), 'L' || g
                FROM generate_series(1, 50) g;
            CREATE UNLOGGED TABLE scratch (k int);
            CREATE TABLE no_columns ();
            INSERT INTO no_columns DEFAULT VALUES;
            INSERT INTO no_columns DEFAULT VALUES;
            CREATE TABLE obs (
                id bigint PRIMARY KEY,
                curve_id int REFERENCES "Forecasts".curve_definitions (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
                v double precision, j jsonb, ip inet, b bytea, bits varbit, iv interval, p point, tags text[]);
            INSERT INTO obs SELECT g, 10 + 5 * (g % 50), g / 3.0, jsonb_build_object('k', g), '10.0.0.1', '\x00ff', B'101',
                interval '1 day 2 hours', point(g, g), ARRAY['a', NULL] FROM generate_series(1, 2000) g;
            INSERT INTO obs (id) VALUES (0);
            """);
        await source.ExecuteAsync("""
            CREATE INDEX obs_j ON obs USING gin (j);
            CREATE INDEX obs_v ON obs (v DESC NULLS LAST) INCLUDE (ip) WHERE v > 10;
            """);

        var result = await new CopyRunner(new CopyOptions { Source = source.Url, Target = target.Target, Names = NamingRule.Preserve }).RunAsync(default);

        Assert.True(result.Ok);
        Assert.Equal(2053, result.RowsWritten);
        Assert.Equal(2, await target.ScalarAsync<long>("SELECT count(*) FROM no_columns"));
        foreach (var table in new[] { "\"Forecasts\".curve_definitions", "obs", "scratch" })
        {
            var columns = $"SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || ' ' || attnotnull || ' ' || attidentity::text || attgenerated::text || ' ' || coalesce(pg_get_expr(adbin, adrelid), '') || ' ' || attcollation::regcollation::text, ', ' ORDER BY attnum) FROM pg_attribute LEFT JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum WHERE attrelid = '{table}'::regclass AND attnum > 0";
            Assert.Equal(await source.ScalarAsync<string>(columns), await target.ScalarAsync<string>(columns));
            var constraints = $"SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), '; ' ORDER BY conname) FROM pg_constraint WHERE conrelid = '{table}'::regclass";
            Assert.Equal(await source.ScalarAsync<string?>(constraints), await target.ScalarAsync<string?>(constraints));
            var indexes = $"SELECT string_agg(pg_get_indexdef(indexrelid), '; ' ORDER BY indexrelid::regclass::text) FROM pg_index WHERE indrelid = '{table}'::regclass";
            Assert.Equal(await source.ScalarAsync<string?>(indexes), await target.ScalarAsync<string?>(indexes));
            var rows = $"SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM {table} t";
            Assert.Equal(await source.ScalarAsync<string?>(rows), await target.ScalarAsync<string?>(rows));
        }

        Assert.Equal("u", await target.ScalarAsync<string>("SELECT relpersistence::text FROM pg_class WHERE oid = 'scratch'::regclass"));
        // The identity goes on after the copied rows, by the source's increment, as the source's would.
        const string insert = "INSERT INTO \"Forecasts\".curve_definitions (\"CurveName\") VALUES ('new') RETURNING id";
        Assert.Equal(260, await source.ScalarAsync<int>(insert));
        Assert.Equal(260, await target.ScalarAsync<int>(insert));
    }

    [Fact]
    public void A_source_takes_nothing_from_PG_variables_and_never_shows_its_password()
    {
        var environment = new Dictionary<string, string> { ["PGHOST"] = "elsewhere", ["PGDATABASE"] = "theirs", ["PGUSER"] = "them", ["PGPASSWORD"] = "Zq7xWv4k", ["PGPORT"] = "6543" };
        var server = Ferry.Connections.TargetResolver.FromSourceText("host=127.0.0.1 dbname=app", n => environment.GetValueOrDefault(n));
        Assert.Equal(("127.0.0.1", 5432, "app", Environment.UserName, null), (server.Host, server.Port, server.Database, server.Username, server.Password));

        var spec = SourceFactory.Parse("postgres://app:Zq7xWv4k@db.example:5433/app");
        Assert.Same(PostgresEngine.Postgres, spec.Engine);
        Assert.DoesNotContain("Zq7xWv4k", spec.Description, StringComparison.Ordinal);
        var refused = Assert.Throws<FerryException>(() => SourceFactory.Parse("postgres://app:Zq7xWv4k@db.example:port/app"));
        Assert.StartsWith("Invalid source", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Zq7xWv4k", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_password_in_the_source_on_the_command_line_is_warned_about_once_and_shown_nowhere()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        await source.ExecuteAsync("CREATE TABLE t (id int PRIMARY KEY); INSERT INTO t VALUES (1), (2)");
        var url = $"postgres://{source.Target.Username}:Zq7xWv4k@127.0.0.1:{source.Target.Port}/{source.Name}";

        var result = await CliRunner.RunAsync("copy", url, "--to", target.Url, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(result.Stderr.Split('\n'), l => l.Contains("the password in SOURCE", StringComparison.Ordinal));
        Assert.DoesNotContain("Zq7xWv4k", result.Stdout + result.Stderr, StringComparison.Ordinal);
        Assert.Equal($"postgres://{source.Target.Username}@127.0.0.1:{source.Target.Port}/{source.Name}", System.Text.Json.JsonDocument.Parse(result.Stdout).RootElement.GetProperty("source").GetString());
        Assert.Equal(2, await target.ScalarAsync<long>("SELECT count(*) FROM t"));
        Assert.DoesNotContain("Zq7xWv4k", string.Join(",", (await target.RowsAsync("SELECT source FROM ferry.copy_state")).Select(r => r[0])), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_PostgreSQL_sources_options_given_for_another_source_are_refused_naming_them()
    {
        using var file = new Ferry.Tests.Sqlite.SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY)");

        var result = await CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--source-schemas", "a", "--schema-map", "a=b", "--to", "postgres://nobody@127.0.0.1:1/none");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--source-schemas, --schema-map: only a PostgreSQL source (postgres://…) takes them", result.Stderr, StringComparison.Ordinal);
    }
}
