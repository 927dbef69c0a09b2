using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources.Postgres;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Sources.Postgres;

/// <summary>
/// A PostgreSQL source's schema beyond its tables' columns, copied as the server has it: partition trees, keys with
/// what a column list loses, exclusion constraints, NOT VALID checks, comments, views and materialized views; each
/// compared in the server's own deparse of source and target.
/// </summary>
public sealed class PostgresShapeTests
{
    const string Schema = """
        CREATE SCHEMA app;
        CREATE TABLE app.regions (code text PRIMARY KEY);
        INSERT INTO app.regions VALUES ('eu'), ('us');
        CREATE TABLE app.events (
            id bigint NOT NULL, created date NOT NULL, region text NOT NULL, payload text,
            CONSTRAINT events_pkey PRIMARY KEY (id, created, region) WITH (fillfactor = 80),
            CONSTRAINT events_id_check CHECK (id > 0),
            CONSTRAINT events_region_fkey FOREIGN KEY (region) REFERENCES app.regions DEFERRABLE) PARTITION BY RANGE (created);
        CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01') PARTITION BY LIST (region);
        CREATE TABLE app.events_2024_eu PARTITION OF app.events_2024 FOR VALUES IN ('eu');
        CREATE TABLE app.events_2024_rest PARTITION OF app.events_2024 DEFAULT;
        CREATE UNLOGGED TABLE app.events_2025 PARTITION OF app.events FOR VALUES FROM ('2025-01-01') TO ('2026-01-01');
        CREATE TABLE app.events_other PARTITION OF app.events DEFAULT;
        CREATE INDEX events_region ON app.events (region);
        CREATE INDEX events_payload ON app.events (payload) WITH (fillfactor = 70);
        CREATE INDEX events_2025_payload ON app.events_2025 (payload) WHERE payload IS NOT NULL;
        ALTER TABLE app.events_2025 ADD CONSTRAINT events_2025_payload_short CHECK (length(payload) < 100);
        INSERT INTO app.events SELECT g, date '2024-01-01' + g, CASE WHEN g % 3 = 0 THEN 'eu' ELSE 'us' END, 'p' || g FROM generate_series(1, 800) g;

        CREATE TABLE app.bookings (
            id int, room int, during tsrange, code text, note text,
            CONSTRAINT bookings_pkey PRIMARY KEY (id) INCLUDE (room),
            CONSTRAINT bookings_no_overlap EXCLUDE USING gist (during WITH &&) WHERE (room IS NOT NULL),
            CONSTRAINT bookings_code_key UNIQUE NULLS NOT DISTINCT (code) INCLUDE (note) DEFERRABLE INITIALLY DEFERRED,
            CONSTRAINT bookings_id_check CHECK (id > 0) NO INHERIT);
        INSERT INTO app.bookings SELECT g, g % 7 - 1, tsrange(timestamp '2024-01-01' + g * interval '1 hour', timestamp '2024-01-01' + (g + 1) * interval '1 hour'), 'c' || g, 'n'
            FROM generate_series(1, 300) g;
        ALTER TABLE app.bookings ADD CONSTRAINT bookings_room_positive CHECK (room >= 0) NOT VALID;

        COMMENT ON TABLE app.bookings IS 'Room bookings';
        COMMENT ON COLUMN app.bookings.during IS 'when it''s taken';
        COMMENT ON CONSTRAINT bookings_no_overlap ON app.bookings IS 'no double booking';
        COMMENT ON CONSTRAINT bookings_room_positive ON app.bookings IS 'rooms are numbered from 0';
        COMMENT ON INDEX app.events_region IS 'by region';
        COMMENT ON TABLE app.events_2025 IS 'this year';

        CREATE VIEW app.eu_events WITH (security_barrier) AS SELECT e.id, e.created FROM app.events e WHERE e.region = 'eu';
        CREATE VIEW app.a_recent_eu AS SELECT id, created FROM app.eu_events WHERE created > '2024-06-01' WITH LOCAL CHECK OPTION;
        CREATE MATERIALIZED VIEW app.room_counts AS SELECT room, count(*) AS n FROM app.bookings GROUP BY room;
        CREATE UNIQUE INDEX room_counts_room ON app.room_counts (room);
        COMMENT ON MATERIALIZED VIEW app.room_counts IS 'per room';
        COMMENT ON COLUMN app.eu_events.created IS 'day';
        COMMENT ON VIEW app.a_recent_eu IS 'recent';
        """;

    [Fact]
    public async Task Partitions_keys_exclusions_checks_comments_and_views_arrive_as_the_source_has_them()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        await source.ExecuteAsync(Schema);

        var result = await new CopyRunner(new CopyOptions { Source = source.Url, Target = target.Target, Names = NamingRule.Preserve }).RunAsync(default);

        Assert.True(result.Ok, string.Join("\n", result.Failures));
        Assert.Equal(["bookings: check bookings_room_positive is NOT VALID in the source: added NOT VALID after the load"], result.Warnings);
        Assert.Equal(1102, result.RowsWritten);
        Assert.Equal(["app.bookings", "app.events", "app.regions"], result.Tables.Select(t => t.Target).Order());
        // A view over a view comes after it, whatever their names.
        var order = result.Plan.Views.Select(v => v.SourceName).ToList();
        Assert.Equal(["a_recent_eu", "eu_events", "room_counts"], order.Order());
        Assert.True(order.IndexOf("eu_events") < order.IndexOf("a_recent_eu"), string.Join(", ", order));

        // Every relation, its partition bound and persistence, constraints, indexes and comments, as the server writes them.
        const string relations = """
            SELECT string_agg(format('%s %s %s %s [%s] %s', c.relname, c.relkind, c.relpersistence, coalesce(pg_get_expr(c.relpartbound, c.oid), ''),
                       coalesce(pg_get_partkeydef(c.oid), ''), coalesce(obj_description(c.oid, 'pg_class'), '')), E'\n' ORDER BY c.relname)
            FROM pg_class c WHERE c.relnamespace = 'app'::regnamespace
            """;
        const string constraints = """
            SELECT string_agg(format('%s.%s %s %s %s %s', r.relname, c.conname, pg_get_constraintdef(c.oid), c.convalidated, c.conislocal,
                       coalesce(obj_description(c.oid, 'pg_constraint'), '')), E'\n' ORDER BY r.relname, c.conname)
            FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid WHERE r.relnamespace = 'app'::regnamespace
            """;
        const string indexes = """
            SELECT string_agg(pg_get_indexdef(i.indexrelid) || ' ' || coalesce(obj_description(i.indexrelid, 'pg_class'), ''), E'\n' ORDER BY i.indexrelid::regclass::text)
            FROM pg_index i JOIN pg_class r ON r.oid = i.indrelid WHERE r.relnamespace = 'app'::regnamespace
            """;
        const string views = """
            SELECT string_agg(format('%s %s %s %s', c.relname, pg_get_viewdef(c.oid), c.reloptions, coalesce(obj_description(c.oid, 'pg_class'), '')), E'\n' ORDER BY c.relname)
            FROM pg_class c WHERE c.relnamespace = 'app'::regnamespace AND c.relkind IN ('v', 'm')
            """;
        const string columnComments = """
            SELECT string_agg(format('%s.%s %s', c.relname, a.attname, col_description(c.oid, a.attnum)), E'\n' ORDER BY c.relname, a.attname)
            FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid WHERE c.relnamespace = 'app'::regnamespace AND col_description(c.oid, a.attnum) IS NOT NULL
            """;
        foreach (var query in new[] { relations, constraints, indexes, views, columnComments })
        {
            var (expected, actual) = ((await source.ScalarAsync<string>(query)).Split('\n'), (await target.ScalarAsync<string>(query)).Split('\n'));
            for (var line = 0; line < Math.Max(expected.Length, actual.Length); line++)
                Assert.Equal(expected.ElementAtOrDefault(line), actual.ElementAtOrDefault(line));
        }
        // The same rows in the same partitions; the materialized view filled after the load.
        const string placed = "SELECT string_agg(format('%s %s %s', tableoid::regclass, count, total), ', ' ORDER BY tableoid::regclass::text) FROM (SELECT tableoid, count(*), sum(id) AS total FROM app.events GROUP BY tableoid) p";
        Assert.Equal(await source.ScalarAsync<string>(placed), await target.ScalarAsync<string>(placed));
        const string counted = "SELECT string_agg(room || ':' || n, ',' ORDER BY room) FROM app.room_counts";
        Assert.Equal(await source.ScalarAsync<string>(counted), await target.ScalarAsync<string>(counted));
        Assert.Equal(await source.ScalarAsync<long>("SELECT count(*) FROM app.a_recent_eu"), await target.ScalarAsync<long>("SELECT count(*) FROM app.a_recent_eu"));
        // The exclusion constraint and the deferred unique key are enforced as in the source.
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => target.ExecuteAsync("INSERT INTO app.bookings VALUES (1000, 1, tsrange('2024-01-01 05:30', '2024-01-01 06:30'), 'x', 'n')"));
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => target.ExecuteAsync("INSERT INTO app.bookings VALUES (1001, 1, NULL, NULL, 'n'), (1002, 1, NULL, NULL, 'n')"));
    }
    const string Renamed = """
        CREATE SCHEMA "Forecasts";
        CREATE TABLE "Forecasts"."CurveDefinitions" ("Id" int PRIMARY KEY, "CurveName" text, "Market" text);
        CREATE TABLE "Forecasts"."Points" ("Id" int, "CurveId" int REFERENCES "Forecasts"."CurveDefinitions", "Value" numeric);
        INSERT INTO "Forecasts"."CurveDefinitions" SELECT g, 'curve ' || g, CASE WHEN g % 2 = 0 THEN 'CAISO' END FROM generate_series(1, 20) g;
        INSERT INTO "Forecasts"."Points" SELECT g, g % 15 + 1, g - 40 FROM generate_series(1, 200) g;
        CREATE VIEW "Forecasts"."CurveSummary" AS
            SELECT c."CurveName", c."Market" AS market, count(p."Id") AS "PointCount", sum(p."Value") FILTER (WHERE p."Value" > 0) AS positive
            FROM "Forecasts"."CurveDefinitions" c LEFT JOIN "Forecasts"."Points" p ON p."CurveId" = c."Id"
            GROUP BY c."CurveName", c."Market";
        CREATE VIEW "Forecasts"."Plain" AS
            SELECT "Id", "CurveName", (SELECT max("Value") FROM "Forecasts"."Points" WHERE "CurveId" = "CurveDefinitions"."Id") AS top
            FROM "Forecasts"."CurveDefinitions" WHERE "Id" IN (SELECT "CurveId" FROM "Forecasts"."Points");
        CREATE VIEW "Forecasts"."Nested" AS
            SELECT s."CurveName", s."Id" + 1 AS next FROM (SELECT c."CurveName", c."Id" FROM "Forecasts"."CurveDefinitions" c) s
            UNION ALL SELECT c."Market", EXTRACT(year FROM date '2024-05-01')::int FROM "Forecasts"."CurveDefinitions" c WHERE c."Market" IS NOT NULL;
        CREATE VIEW "Forecasts"."Joined" AS
            SELECT a."Id", b."Value" FROM "Forecasts"."CurveDefinitions" a JOIN "Forecasts"."Points" b USING ("Id");
        CREATE MATERIALIZED VIEW "Forecasts"."Totals" AS SELECT "CurveId", sum("Value") AS total FROM "Forecasts"."Points" GROUP BY "CurveId";
        CREATE INDEX "TotalsByCurve" ON "Forecasts"."Totals" ("CurveId");
        CREATE VIEW "Forecasts"."OverTotals" AS SELECT t."CurveId", t.total FROM "Forecasts"."Totals" t WHERE t.total > 0;
        """;

    static readonly string[] RenamedViews = ["CurveSummary", "Plain", "Nested", "Joined", "Totals", "OverTotals"];

    [Fact]
    public async Task Views_over_renamed_tables_and_columns_return_what_the_source_returns_under_the_source_column_names()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        await source.ExecuteAsync(Renamed);

        var result = await new CopyRunner(new CopyOptions
        {
            Source = source.Url,
            Target = target.Target,
            Names = NamingRule.Snake,
            EngineOptions = [new PostgresOptions { SchemaMap = new Dictionary<string, string> { ["Forecasts"] = "forecast" } }],
        }).RunAsync(default);

        Assert.True(result.Ok, string.Join("\n", result.Failures));
        Assert.Empty(result.Warnings);
        Assert.Equal(1, await target.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE oid = 'forecast.curve_definitions'::regclass"));
        var names = RenamedViews.ToDictionary(v => v, v => NamingRule.Snake.Apply(v));
        foreach (var (view, renamed) in names)
        {
            var columns = "SELECT string_agg(attname, ', ' ORDER BY attnum) FROM pg_attribute WHERE attrelid = '{0}'::regclass AND attnum > 0";
            Assert.Equal(await source.ScalarAsync<string>(string.Format(columns, $"\"Forecasts\".\"{view}\"")), await target.ScalarAsync<string>(string.Format(columns, "forecast." + renamed)));
            var rows = "SELECT count(*) || ' ' || md5(string_agg(v::text, '|' ORDER BY v::text)) FROM {0} v";
            Assert.Equal(await source.ScalarAsync<string>(string.Format(rows, $"\"Forecasts\".\"{view}\"")), await target.ScalarAsync<string>(string.Format(rows, "forecast." + renamed)));
        }

        Assert.Equal("m", await target.ScalarAsync<string>("SELECT relkind::text FROM pg_class WHERE oid = 'forecast.totals'::regclass"));
        Assert.Equal("CREATE INDEX totals_by_curve ON forecast.totals USING btree (\"CurveId\")", await target.ScalarAsync<string>("SELECT pg_get_indexdef('forecast.totals_by_curve'::regclass)"));
    }

    [Fact]
    public async Task With_tables_only_the_views_over_copied_tables_come()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        await source.ExecuteAsync(Renamed);

        var result = await new CopyRunner(new CopyOptions { Source = source.Url, Target = target.Target, Names = NamingRule.Preserve, Tables = ["Points"] }).RunAsync(default);

        Assert.True(result.Ok, string.Join("\n", result.Failures));
        Assert.Equal(["Totals", "OverTotals"], result.Plan.Views.Select(v => v.SourceName));
        Assert.Equal(await source.ScalarAsync<string>("SELECT string_agg(total::text, ',' ORDER BY 1) FROM \"Forecasts\".\"OverTotals\""),
            await target.ScalarAsync<string>("SELECT string_agg(total::text, ',' ORDER BY 1) FROM \"Forecasts\".\"OverTotals\""));
    }
    [Fact]
    public async Task Replace_drops_and_copies_again_the_partitioned_tables_views_and_materialized_views()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        var options = await CopiedAsync(source, target);
        await target.ExecuteAsync("DELETE FROM app.events_2024_eu; REFRESH MATERIALIZED VIEW app.room_counts");

        var again = await new CopyRunner(options with { Replace = true }).RunAsync(default);

        Assert.True(again.Ok, string.Join("\n", again.Failures));
        Assert.Equal(1102, again.RowsWritten);
        const string rows = "SELECT (SELECT count(*) FROM app.events_2024_eu) || ' ' || (SELECT count(*) FROM app.a_recent_eu) || ' ' || (SELECT sum(n) FROM app.room_counts)";
        Assert.Equal(await source.ScalarAsync<string>(rows), await target.ScalarAsync<string>(rows));
    }
    [Fact]
    public async Task Resume_keeps_what_exists_as_planned_partition_objects_and_not_valid_checks_included()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        var options = await CopiedAsync(source, target);
        // The run being resumed got as far as the keys of one partition and the table's NOT VALID check.
        await target.ExecuteAsync("""
            ALTER TABLE app.events DROP CONSTRAINT events_pkey;
            DROP INDEX app.events_region;
            DELETE FROM ferry.copy_state WHERE table_name = 'app.bookings';
            """);

        var resumed = await new CopyRunner(options with { Resume = true }).RunAsync(default);

        Assert.True(resumed.Ok, string.Join("\n", resumed.Failures));
        Assert.Equal(["bookings: check bookings_room_positive is NOT VALID in the source: added NOT VALID after the load"], resumed.Warnings);
        const string objects = """
            SELECT string_agg(d, E'\n' ORDER BY d) FROM (
                SELECT pg_get_indexdef(i.indexrelid) AS d FROM pg_index i JOIN pg_class r ON r.oid = i.indrelid WHERE r.relnamespace = 'app'::regnamespace
                UNION ALL SELECT conname || ' ' || pg_get_constraintdef(c.oid) || ' ' || convalidated FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid WHERE r.relnamespace = 'app'::regnamespace) o
            """;
        Assert.Equal(await source.ScalarAsync<string>(objects), await target.ScalarAsync<string>(objects));
    }

    /// <summary>The schema made in <paramref name="source"/> and copied to <paramref name="target"/>; the copy's options.</summary>
    static async Task<CopyOptions> CopiedAsync(TestDatabase source, TestDatabase target)
    {
        await source.ExecuteAsync(Schema);
        var options = new CopyOptions { Source = source.Url, Target = target.Target, Names = NamingRule.Preserve };
        Assert.True((await new CopyRunner(options).RunAsync(default)).Ok);
        return options;
    }
}
