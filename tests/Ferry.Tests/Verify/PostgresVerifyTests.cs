using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Sources.Postgres;
using Ferry.Tests.Infrastructure;
using Ferry.Verify;

namespace Ferry.Tests.Verify;

/// <summary>
/// A PostgreSQL source verified against its copy, both sides hashed inside their servers: every type the source can
/// carry hashes alike on both, a changed, a deleted and an added row are named, <c>--where</c> compares only the rows
/// copied, and the CLI answers 0 and 1.
/// </summary>
public sealed class PostgresVerifyTests
{
    /// <summary>The user types the table uses, created alike in the source and the target.</summary>
    const string Types = """
        CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy ✓');
        CREATE DOMAIN positive AS int CHECK (VALUE > 0);
        CREATE TYPE pair AS (a int, b text, f float8, t timestamptz);
        """;

    /// <summary>A column of every type a PostgreSQL source carries, arrays of them included.</summary>
    const string Table = """
        CREATE TABLE every_type (
            id int8 PRIMARY KEY,
            n numeric, n2 numeric(10,2), m money, f8 float8, f4 float4, b boolean, txt text, ch char(3), vc varchar(5),
            d date, t time, tt timetz, ts timestamp, tz timestamptz, iv interval,
            bt bit(4), vb varbit, ba bytea, u uuid, j json, jb jsonb, x xml,
            ip inet, cn cidr, mac macaddr, mac8 macaddr8, tv tsvector, tq tsquery,
            pt point, ln line, ls lseg, bx box, ph path, pg polygon, ci circle,
            r4 int4range, nr numrange, dr daterange, tr tstzrange, mr int4multirange, tmr tstzmultirange,
            md mood, dom positive, comp pair,
            a_n numeric[], a_m money[], a_f8 float8[], a_txt text[], a_ch char(3)[], a_d date[], a_tz timestamptz[], a_iv interval[],
            a_bt bit(4)[], a_ba bytea[], a_u uuid[], a_jb jsonb[], a_x xml[], a_ip inet[], a_mac macaddr[], a_tv tsvector[],
            a_pt point[], a_bx box[], a_r4 int4range[], a_mr int4multirange[], a_md mood[], a_dom positive[], a_comp pair[], a_2d int[][]);
        INSERT INTO every_type (id) VALUES (1);
        INSERT INTO every_type VALUES (2,
            'NaN', -0.5, '-92233720368547758.08', 'NaN', '-Infinity', false, 'ünïcödé ✓ 😀 a|b\c', 'é', '',
            'infinity', '24:00', '23:59:59.999999-15:59', '-infinity', 'infinity', '-178000000 years -1 mon -0.000001 sec',
            B'1010', B'', '\x00ff7c5c', '00000000-0000-0000-0000-000000000000', '{"b": 1,  "a" : [1, 2.50], "a": "|\\"}', '{"z": null, "é": [1e3, "\n"]}', '<a b="1">é<!-- c --></a>',
            '::ffff:1.2.3.4/128', '2001:db8::/32', '08:00:2b:01:02:03', '08:00:2b:01:02:03:04:05', 'a:1A fat:2B,4C cat', '(fat | rat) & !cat <-> ''é''',
            '(1e300,-0)', '{1,-1,0.5}', '[(0,0),(1,1)]', '(1,1),(0,0)', '[(0,0),(1,1),(2,0)]', '((0,0),(1,1),(2,0))', '<(0,0),1e-300>',
            'empty', '(,)', '[-infinity,infinity]', '["2024-01-01 00:00:00+05:30",infinity)', '{}', '{[2024-01-01,2024-01-02), [2025-01-01,)}',
            'happy ✓', 2147483647, ROW(NULL, 'x|y\', 'Infinity', '-infinity'),
            '{}', '{}', '{NaN,-Infinity,-0,1e-308}', '{"",NULL,"NULL","a,b","\"q\""}', '{"a  ",NULL}', '{infinity,-infinity}', '{infinity}', '{"1 day"}',
            '{1111}', '{"\\x",NULL}', '{}', '{"[]","{}","null"}', '{"<a/>"}', '{0.0.0.0/0}', '{}', '{""}',
            '{"(0,0)"}', '{"(1,1),(0,0)"}', '{empty,"[1,3)"}', '{"{}","{[1,2)}"}', '{sad,"happy ✓"}', '{1,NULL}', '{"(1,\"é\",NaN,infinity)",NULL}', '{{1,2},{3,NULL}}');
        INSERT INTO every_type SELECT g,
            g * 1.25, g / 7.0, g * 100.01, g / 3.0, g / 7.0, g % 2 = 0, repeat('ß', g), 'x' || g % 10, g::text,
            DATE '2000-01-01' + g, TIME '00:00' + g * INTERVAL '1 min', TIME WITH TIME ZONE '12:00+02' + g * INTERVAL '1 s', TIMESTAMP '1900-01-01' + g * INTERVAL '1 day 1 us',
            TIMESTAMPTZ '1999-12-31 23:00+01' + g * INTERVAL '1 h', g * INTERVAL '1 mon 1 day 1.5 s',
            (g % 16)::bit(4), (g::bit(12))::varbit, decode(lpad(to_hex(g), 4, '0'), 'hex'), md5(g::text)::uuid, json_build_object('g', g), jsonb_build_object('g', g, 'h', ARRAY[g]), ('<g>' || g || '</g>')::xml,
            ('10.0.' || g % 256 || '.1')::inet, ('10.' || g % 256 || '.0.0/16')::cidr, ('08:00:2b:00:00:' || lpad(to_hex(g % 256), 2, '0'))::macaddr,
            ('08:00:2b:00:00:00:00:' || lpad(to_hex(g % 256), 2, '0'))::macaddr8, to_tsvector('simple', 'word' || g), to_tsquery('simple', 'w' || g),
            point(g, -g), line(point(0, 0), point(g, 1)), lseg(point(0, 0), point(g, g)), box(point(0, 0), point(g, g)),
            path(polygon(box(point(0, 0), point(g, 1)))), polygon(box(point(0, 0), point(g, 2))), circle(point(g, g), g),
            int4range(g, g + 10), numrange(g / 3.0, g), daterange(DATE '2020-01-01', DATE '2020-01-01' + g), tstzrange(TIMESTAMPTZ '2020-01-01' + g * INTERVAL '1 h', NULL),
            int4multirange(int4range(g, g + 1), int4range(g + 5, NULL)), tstzmultirange(tstzrange(TIMESTAMPTZ '2021-01-01', TIMESTAMPTZ '2021-01-01' + g * INTERVAL '1 s')),
            (ARRAY['sad', 'ok', 'happy ✓'])[1 + g % 3]::mood, g, ROW(g, 'p' || g, g / 3.0, TIMESTAMPTZ '2000-01-01' + g * INTERVAL '1 s')::pair,
            ARRAY[g / 3.0, 1.10], ARRAY[g::money], ARRAY[g / 7.0], ARRAY['a' || g, 'b|'], ARRAY['c' || g % 10]::char(3)[], ARRAY[DATE '2000-01-01' + g],
            ARRAY[TIMESTAMPTZ '2000-01-01' + g * INTERVAL '1 min'], ARRAY[g * INTERVAL '1 s'], ARRAY[(g % 16)::bit(4)], ARRAY[decode(lpad(to_hex(g), 2, '0'), 'hex')],
            ARRAY[md5('a' || g)::uuid], ARRAY[jsonb_build_object('a', g)], ARRAY[('<a>' || g || '</a>')::xml], ARRAY[('192.168.0.' || g % 256)::inet],
            ARRAY[('08:00:2b:00:01:' || lpad(to_hex(g % 256), 2, '0'))::macaddr], ARRAY[to_tsvector('simple', 'v' || g)], ARRAY[point(g, g)], ARRAY[box(point(g, 0), point(0, g))],
            ARRAY[int4range(0, g)], ARRAY[int4multirange(int4range(0, g))], ARRAY[(ARRAY['sad', 'ok'])[1 + g % 2]::mood], ARRAY[g::positive],
            ARRAY[ROW(g, 'q', 0.5, NULL)::pair], ARRAY[ARRAY[g, 1], ARRAY[2, g]]
            FROM generate_series(3, 120) g;
        """;

    static readonly NamingRule Names = NamingRule.Preserve;

    static async Task<(TestDatabase Source, TestDatabase Target)> DatabasesAsync(string tableSql)
    {
        var source = await TestCluster.CreateDatabaseAsync("pgv_source");
        var target = await TestCluster.CreateDatabaseAsync("pgv_target");
        // The copy makes the types the table uses in the target.
        await source.ExecuteAsync(Types + tableSql);
        return (source, target);
    }

    static ISource Open(TestDatabase source, PostgresOptions? postgres = null, IReadOnlyDictionary<string, string>? filters = null) =>
        SourceFactory.Open(source.Url, new SourceOptions { Names = Names, ProfileData = false, EngineOptions = postgres is null ? [] : [postgres], Filters = filters ?? new Dictionary<string, string>() });

    static async Task<CopyResult> CopyAsync(ISource source, TestDatabase target, PostgresOptions? postgres = null, params string[] casts)
    {
        var options = new CopyOptions { Source = source.Description, Target = target.Target, Names = Names, EngineOptions = postgres is null ? [] : [postgres], Casts = CopyOptions.ParseCasts(casts) };
        var result = await new CopyRunner(options).RunAsync(source, default);
        Assert.True(result.Ok, string.Join("\n", result.Failures));
        return result;
    }

    static Task<VerifyResult> VerifyAsync(ISource source, TestDatabase target, SchemaPlan plan) =>
        new Verifier(target.Target, new VerifyOptions { Names = Names }).VerifyAsync(source, plan, default);

    static List<(long Id, string Kind)> Differences(VerifyResult result) =>
        [.. result.Tables.Single().Differences.Select(d => (Convert.ToInt64(d.Key!["id"], System.Globalization.CultureInfo.InvariantCulture), d.Kind)).Order()];

    [Fact]
    public async Task Every_type_verifies_identical_and_a_changed_a_deleted_and_an_added_row_are_named()
    {
        var (sourceDb, targetDb) = await DatabasesAsync(Table);
        await using var _ = sourceDb;
        await using var __ = targetDb;
        await using var source = Open(sourceDb);
        var copy = await CopyAsync(source, targetDb);
        Assert.Equal(120, copy.RowsWritten);

        var identical = await VerifyAsync(source, targetDb, copy.Plan);
        Assert.True(identical.Ok, string.Join("\n", identical.Tables.SelectMany(t => t.Problems.Concat(t.Differences.Select(d => d.ToString())))));
        Assert.Equal("content", identical.Tables.Single().Compared);
        Assert.Equal((120L, 120L), (identical.Tables.Single().SourceRows, identical.Tables.Single().TargetRows));

        // Verify reads in the copy's snapshot: what the source does since is not compared.
        await sourceDb.ExecuteAsync("UPDATE every_type SET txt = 'later' WHERE id = 6; INSERT INTO every_type (id) VALUES (500)");
        Assert.True((await VerifyAsync(source, targetDb, copy.Plan)).Ok);

        // Every column takes part in the hash: row 4 given row 5's value of any one column is changed.
        await targetDb.ExecuteAsync("CREATE SCHEMA saved; CREATE TABLE saved.row4 AS SELECT * FROM every_type WHERE id = 4");
        var columns = (await targetDb.RowsAsync("SELECT attname::text FROM pg_attribute WHERE attrelid = 'every_type'::regclass AND attnum > 1 AND NOT attisdropped ORDER BY attnum"))
            .Select(r => (string)r[0]!).ToList();
        foreach (var column in columns)
        {
            await targetDb.ExecuteAsync($"UPDATE every_type SET \"{column}\" = (SELECT \"{column}\" FROM every_type WHERE id = 5) WHERE id = 4");
            var changed = await VerifyAsync(source, targetDb, copy.Plan);
            Assert.True(Differences(changed).SequenceEqual([(4L, DifferenceKind.Changed)]), $"{column}: {string.Join(", ", Differences(changed))}");
            await targetDb.ExecuteAsync($"UPDATE every_type e SET \"{column}\" = s.\"{column}\" FROM saved.row4 s WHERE e.id = 4");
        }

        await targetDb.ExecuteAsync("""
            UPDATE every_type SET a_2d = '{{1,2},{3,4}}' WHERE id = 2;
            DELETE FROM every_type WHERE id = 3;
            INSERT INTO every_type (id, txt) VALUES (1000, 'new');
            """);
        var different = await VerifyAsync(source, targetDb, copy.Plan);
        Assert.False(different.Ok);
        Assert.Equal([(2L, DifferenceKind.Changed), (3L, DifferenceKind.Missing), (1000L, DifferenceKind.Extra)], Differences(different));
        Assert.Equal((120L, 120L), (different.Tables.Single().SourceRows, different.Tables.Single().TargetRows));
    }

    [Fact]
    public async Task A_copy_with_where_and_a_cast_verifies_comparing_only_the_rows_it_copied_as_it_cast_them()
    {
        var (sourceDb, targetDb) = await DatabasesAsync("""
            CREATE TABLE events (id int8 PRIMARY KEY, at timestamptz NOT NULL, v numeric);
            INSERT INTO events SELECT g, TIMESTAMPTZ '2023-12-01' + g * INTERVAL '1 day', g / 3.0 FROM generate_series(1, 100) g;
            CREATE TABLE keyless (v text);
            INSERT INTO keyless SELECT 'v' || g % 7 FROM generate_series(1, 50) g;
            """);
        await using var _ = sourceDb;
        await using var __ = targetDb;
        await using var source = Open(sourceDb, filters: SourceOptions.ParseFilters(["events: at >= '2024-01-01'", "keyless: v <> 'v0'"]));
        var copy = await CopyAsync(source, targetDb, null, "events.v=numeric(12,2)");
        Assert.Equal(70L, await targetDb.ScalarAsync<long>("SELECT count(*) FROM events"));
        // Read = written + rejected + filtered: the source's 100 and 50 rows, 30 and 7 of them left out.
        Assert.Equal([(100L, 70L, 30L), (50L, 43L, 7L)], copy.Tables.OrderBy(t => t.Source.Contains("keyless")).Select(t => (t.RowsRead, t.RowsWritten, t.RowsFiltered)));
        Assert.Equal("numeric(12,2)", await targetDb.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'events'::regclass AND attname = 'v'"));

        var verified = await VerifyAsync(source, targetDb, copy.Plan);
        Assert.True(verified.Ok, string.Join("\n", verified.Tables.SelectMany(t => t.Problems)));
        Assert.Equal([(70L, 70L), (43L, 43L)], verified.Tables.OrderBy(t => t.Source.Contains("keyless")).Select(t => (t.SourceRows, t.TargetRows)));

        // A row the condition leaves out, added to the target, is extra; a keyless row lost is missing.
        await targetDb.ExecuteAsync("INSERT INTO events VALUES (1, '2023-12-02', 1); DELETE FROM keyless WHERE ctid = (SELECT min(ctid) FROM keyless WHERE v = 'v3')");
        var different = await VerifyAsync(source, targetDb, copy.Plan);
        var events = different.Tables.Single(t => t.Source.EndsWith("events", StringComparison.Ordinal));
        Assert.Equal([("1", DifferenceKind.Extra)], events.Differences.Select(d => (d.Key!["id"]?.ToString(), d.Kind)));
        var keyless = different.Tables.Single(t => t.Source.EndsWith("keyless", StringComparison.Ordinal));
        Assert.Equal([(DifferenceKind.Missing, 1L)], keyless.Differences.Select(d => (d.Kind, d.Count)));
        Assert.Contains("v3", keyless.Differences.Single().Row, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cli_verifies_a_postgres_source_in_a_snapshot_of_its_own_exit_0_then_1()
    {
        var (sourceDb, targetDb) = await DatabasesAsync("""
            CREATE TABLE obs (id int8 PRIMARY KEY, j jsonb, at timestamptz, m money, r tstzrange, md mood);
            INSERT INTO obs SELECT g, jsonb_build_object('g', g), TIMESTAMPTZ '2024-01-01' + g * INTERVAL '1 h', g, tstzrange(NULL, 'infinity'), 'ok' FROM generate_series(1, 500) g;
            """);
        await using var _ = sourceDb;
        await using var __ = targetDb;
        var copy = await CliRunner.RunAsync("copy", sourceDb.Url, "--to", targetDb.Url);
        Assert.True(copy.ExitCode == 0, copy.ToString());

        var clean = await CliRunner.RunAsync("verify", sourceDb.Url, "--to", targetDb.Url, "--json");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Equal(500, clean.Json().GetProperty("tables")[0].GetProperty("source_rows").GetInt64());

        await targetDb.ExecuteAsync("UPDATE obs SET m = m + 0.01::money WHERE id = 7; UPDATE obs SET at = at + INTERVAL '1 us' WHERE id = 300");
        var changed = await CliRunner.RunAsync("verify", sourceDb.Url, "--to", targetDb.Url, "--json");
        Assert.True(changed.ExitCode == 1, changed.ToString());
        var keys = changed.Json().GetProperty("tables")[0].GetProperty("differences").EnumerateArray()
            .Select(d => (d.GetProperty("key").GetProperty("id").GetInt64(), d.GetProperty("kind").GetString())).ToList();
        Assert.Equal([(7L, "changed"), (300L, "changed")], keys);
    }
}
