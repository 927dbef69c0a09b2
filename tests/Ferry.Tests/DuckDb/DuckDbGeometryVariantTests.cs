using Ferry.Schema;
using Ferry.Sources.DuckDb;
using Ferry.Sources.DuckDb.Native;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.DuckDb;

/// <summary>
/// DuckDB 1.5's GEOMETRY and VARIANT (Parquet geometry and variant columns), alone and inside nested types, copied and
/// verified; and every DuckDB type id either mapped or refused with a message naming where it is and the way out.
/// </summary>
public sealed class DuckDbGeometryVariantTests : IDisposable
{
    static readonly Dictionary<string, string> NoEnvironment = [];
    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    /// <summary>A DuckDB file of the storage version that holds VARIANT columns.</summary>
    void CreateDatabase(string name, params string[] statements) =>
        DuckDbTestFiles.Execute(null, [$"ATTACH '{_files.PathOf(name)}' AS f (STORAGE_VERSION 'v1.5.0')", .. statements]);

    [Fact]
    public async Task Without_postgis_geometry_lands_as_wkb_in_bytea_variant_as_jsonb_and_both_verify()
    {
        CreateDatabase("geo.duckdb",
            "CREATE TABLE f.places (id INTEGER PRIMARY KEY, shape GEOMETRY, lonlat GEOMETRY('OGC:CRS84'), attrs VARIANT, " +
            "shapes GEOMETRY[], meta STRUCT(n INTEGER, v VARIANT), vs VARIANT[], big STRUCT(b BIGNUM))",
            "INSERT INTO f.places VALUES (1, 'POINT(1 2)', 'POINT Z (1 2 3)', {'a': [1.5, 'NaN'::DOUBLE], 'd': DATE '2020-01-01'}::VARIANT, " +
            "['POINT(1 2)', NULL], {'n': 1, 'v': {'x': 'Infinity'::DOUBLE}::VARIANT}, [1::VARIANT, 'y'::VARIANT], {'b': '123456789012345678901234567890123456789012345'::BIGNUM})",
            "INSERT INTO f.places VALUES (2, 'POLYGON((0 0, 1 0, 1 1, 0 0))', 'POINT EMPTY', 42::VARIANT, [], NULL, NULL, NULL)",
            "INSERT INTO f.places VALUES (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL)");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var copy = await CliRunner.RunAsync(NoEnvironment, _files.Directory, "copy", "duckdb:geo.duckdb", "--to", db.Url, "--rejects", _files.PathOf("rejects"), "--verify");

        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Contains("public.places.shape, public.places.lonlat (SRID 4326): the target database has no postgis extension, so geometries are stored as their WKB in bytea", copy.Stderr, StringComparison.Ordinal);
        var types = await db.RowsAsync("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'places'::regclass AND attnum > 0 ORDER BY attnum");
        Assert.Equal(["integer", "bytea", "bytea", "jsonb", "jsonb", "jsonb", "jsonb", "jsonb"], types.Select(t => (string)t[0]!));
        var rows = await db.RowsAsync("SELECT encode(shape, 'hex'), encode(lonlat, 'hex'), attrs::text, shapes::text, meta::text, vs::text, big::text FROM places ORDER BY id");
        Assert.Equal([
            "0101000000000000000000f03f0000000000000040", "01e9030000000000000000f03f00000000000000400000000000000840",
            """{"a": [1.5, "NaN"], "d": "2020-01-01"}""", """["POINT (1 2)", null]""", """{"n": 1, "v": {"x": "Infinity"}}""", """[1, "y"]""",
            """{"b": 123456789012345678901234567890123456789012345}""",
        ], rows[0]);
        Assert.Equal(["0103000000010000000400000000000000000000000000000000000000000000000000f03f0000000000000000000000000000f03f000000000000f03f00000000000000000000000000000000",
            "0101000000000000000000f87f000000000000f87f", "42", "[]", null, null, null], rows[1]);
        Assert.Equal([null, null, null, null, null, null, null], rows[2]); // a NULL VARIANT stays NULL (DuckDB's JSON cast makes it null)

        string[] verify = ["verify", "duckdb:geo.duckdb", "--to", db.Url];
        var same = await CliRunner.RunAsync(NoEnvironment, _files.Directory, verify);
        Assert.True(same.ExitCode == 0, same.ToString());
        foreach (var (change, back) in new[]
        {
            ("shape = '\\x0101000000000000000000f03f0000000000000840'", "shape = '\\x0101000000000000000000f03f0000000000000040'"),
            ("attrs = '{\"a\": [1.5, \"NaN\"], \"d\": \"2020-01-02\"}'", "attrs = '{\"a\": [1.5, \"NaN\"], \"d\": \"2020-01-01\"}'"),
            ("big = '{\"b\": 1.2345678901234568e44}'", "big = '{\"b\": 123456789012345678901234567890123456789012345}'"),
        })
        {
            await db.ExecuteAsync($"UPDATE places SET {change} WHERE id = 1");
            var changed = await CliRunner.RunAsync(NoEnvironment, _files.Directory, [.. verify, "--json"]);
            Assert.True(changed.ExitCode == 1, change + "\n" + changed);
            Assert.Equal(1, changed.Json().GetProperty("tables")[0].GetProperty("differences")[0].GetProperty("key").GetProperty("id").GetInt32());
            await db.ExecuteAsync($"UPDATE places SET {back} WHERE id = 1");
            Assert.Equal(0, (await CliRunner.RunAsync(NoEnvironment, _files.Directory, verify)).ExitCode);
        }
    }

    [PostGisFact]
    public async Task With_postgis_geoparquet_geometry_lands_as_geometry_with_the_srid_of_its_crs_and_verifies()
    {
        // DuckDB writes GEOMETRY to Parquet as GeoParquet/geometry with the default CRS, OGC:CRS84.
        DuckDbTestFiles.Execute(null, "COPY (SELECT * FROM (VALUES (1, 'POINT(1 2)'::GEOMETRY, {'k': 1}::VARIANT), (2, 'POINT Z (1 2 3)'::GEOMETRY, 'NaN'::DOUBLE::VARIANT), " +
            $"(3, 'MULTIPOLYGON(((0 0, 1 0, 1 1, 0 0)), EMPTY)'::GEOMETRY, NULL), (4, NULL, NULL)) v(id, shape, attrs)) TO '{_files.PathOf("places.parquet")}' (FORMAT parquet)");
        // An array column sends the batch through Npgsql's importer rather than Ferry's own binary COPY writer.
        CreateDatabase("plain.duckdb", "CREATE TABLE f.spots (id INTEGER PRIMARY KEY, shape GEOMETRY, tags INTEGER[])", "INSERT INTO f.spots VALUES (1, 'LINESTRING(0 0, 1 1)', [1, 2])");
        await using var db = await TestCluster.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE EXTENSION postgis");

        foreach (var source in new[] { new[] { "parquet:places.parquet", "--table", "places" }, ["duckdb:plain.duckdb"] })
        {
            var copy = await CliRunner.RunAsync(NoEnvironment, _files.Directory, ["copy", .. source, "--to", db.Url, "--rejects", _files.PathOf("rejects"), "--verify"]);
            Assert.True(copy.ExitCode == 0, copy.ToString());
            Assert.DoesNotContain("postgis", copy.Stderr, StringComparison.Ordinal);
        }

        var rows = await db.RowsAsync("SELECT pg_typeof(shape)::text, ST_SRID(shape), ST_AsText(shape), attrs::text FROM places ORDER BY id");
        Assert.Equal(["geometry", 4326, "POINT(1 2)", """{"k": 1}"""], rows[0]);
        Assert.Equal(["geometry", 4326, "POINT Z (1 2 3)", "\"NaN\""], rows[1]);
        Assert.Equal(["geometry", 4326, "MULTIPOLYGON(((0 0,1 0,1 1,0 0)),EMPTY)", null], rows[2]);
        Assert.Equal(["geometry", null, null, null], rows[3]);
        Assert.Equal([[0, "LINESTRING(0 0,1 1)", "{1,2}"]], await db.RowsAsync("SELECT ST_SRID(shape), ST_AsText(shape), tags::text FROM spots")); // no CRS: SRID 0

        string[] verify = ["verify", "parquet:places.parquet", "--table", "places", "--to", db.Url];
        var same = await CliRunner.RunAsync(NoEnvironment, _files.Directory, verify);
        Assert.True(same.ExitCode == 0, same.ToString());
        await db.ExecuteAsync("UPDATE places SET shape = ST_SetSRID(shape, 3857) WHERE id = 1"); // same WKB, another SRID
        var changed = await CliRunner.RunAsync(NoEnvironment, _files.Directory, verify);
        Assert.True(changed.ExitCode == 1, changed.ToString()); // a Parquet table has no key: the row differs as a whole
    }

    [Fact]
    public void Every_duckdb_type_id_maps_or_is_refused_naming_source_table_column_type_and_cast()
    {
        DuckDbTypeInfo Integer() => new() { Id = DuckDbType.Integer };
        DuckDbTypeInfo Sample(DuckDbType id) => id switch
        {
            DuckDbType.Decimal => new() { Id = id, Width = 18, Scale = 3, Internal = DuckDbType.BigInt },
            DuckDbType.Enum => new() { Id = id, EnumLabels = ["a"], Internal = DuckDbType.UTinyInt },
            DuckDbType.List or DuckDbType.Array => new() { Id = id, Child = Integer(), ArraySize = 2 },
            DuckDbType.Struct or DuckDbType.Union => new() { Id = id, Fields = [new("a", Integer())] },
            DuckDbType.Map => new()
            {
                Id = id, Fields = [new("key", new() { Id = DuckDbType.Varchar }), new("value", Integer())],
                Child = new() { Id = DuckDbType.Struct, Fields = [new("key", new() { Id = DuckDbType.Varchar }), new("value", Integer())] },
            },
            _ => new() { Id = id },
        };
        DuckDbType[] refused = [DuckDbType.Invalid, DuckDbType.Any, DuckDbType.StringLiteral, DuckDbType.IntegerLiteral, (DuckDbType)42];
        foreach (var id in Enumerable.Range(0, 43).Select(i => (DuckDbType)i))
        {
            var mapping = DuckDbTypeMapping.Map(Sample(id), () => "public.e", "parquet:/data/x.parquet", "t", "c");
            if (!refused.Contains(id))
            {
                Assert.True(mapping.Refusal is null, $"{id}: {mapping.Refusal}");
                continue;
            }

            Assert.Equal(
                $"parquet:/data/x.parquet, table t, column c: DuckDB type {DuckDbTypeInfo.Name(id)} has no PostgreSQL mapping. " +
                "--cast t.c=text loads DuckDB's text form of its values; or leave the column out of the source.", mapping.Refusal);
            Assert.Equal(("\"c\"::VARCHAR", DuckDbType.Varchar), Read(Sample(id), PgType.Text));
        }

        Assert.Contains("id 42 (newer than this Ferry knows)", DuckDbTypeInfo.Name((DuckDbType)42), StringComparison.Ordinal);
        // Nested types holding GEOMETRY or VARIANT map to jsonb (converted in DuckDB); holding an unmapped type, they are refused.
        var geometries = new DuckDbTypeInfo { Id = DuckDbType.List, Child = new() { Id = DuckDbType.Geometry } };
        var withVariant = new DuckDbTypeInfo { Id = DuckDbType.Struct, Fields = [new("a", Integer()), new("v", new() { Id = DuckDbType.Variant })] };
        Assert.Equal(PgType.Jsonb, DuckDbTypeMapping.Map(geometries, () => "", "s", "t", "c").Type);
        Assert.Equal(PgType.Jsonb, DuckDbTypeMapping.Map(withVariant, () => "", "s", "t", "c").Type);
        Assert.Equal(("CAST(\"c\" AS VARCHAR[])", DuckDbType.List), Read(geometries, PgType.Jsonb));
        Assert.Equal(("CAST(\"c\" AS STRUCT(a INTEGER, v JSON))", DuckDbType.Struct), Read(withVariant, PgType.Jsonb));
        var holdsAny = new DuckDbTypeInfo { Id = DuckDbType.Struct, Fields = [new("a", Integer()), new("x", new() { Id = DuckDbType.Any })] };
        Assert.Equal(
            "duckdb:/w.duckdb, table t, column c: DuckDB type STRUCT(a INTEGER, x ANY) holds ANY, which has no PostgreSQL mapping. " +
            "--cast t.c=text loads DuckDB's text form of its values; or leave the column out of the source.",
            DuckDbTypeMapping.Map(holdsAny, () => "", "duckdb:/w.duckdb", "t", "c").Refusal);
    }

    static (string Sql, DuckDbType Id) Read(DuckDbTypeInfo type, PgType target)
    {
        var (sql, read) = DuckDbReadCast.For("\"c\"", type, target);
        return (sql, read.Id);
    }

    [Fact]
    public void The_planner_refuses_an_unmapped_column_before_anything_is_written_unless_a_cast_loads_it()
    {
        SourceModel Source()
        {
            var mapping = DuckDbTypeMapping.Map(new DuckDbTypeInfo { Id = (DuckDbType)42 }, () => "", "duckdb:/w.duckdb", "t", "c");
            return new SourceModel
            {
                Source = "duckdb:/w.duckdb",
                Tables = [new TableModel
                {
                    SourceName = "t",
                    Columns = [
                        new ColumnModel { SourceName = "id", SourceType = "INTEGER", Type = PgType.Integer },
                        new ColumnModel { SourceName = "c", SourceType = "?", Type = mapping.Type, Rule = mapping.Rule, Refusal = mapping.Refusal },
                    ],
                }],
            };
        }

        var refused = Assert.Throws<FerryException>(() => SchemaPlanner.Plan(Source(), new PlanSettings(NamingRule.Lower, null, null, new Dictionary<string, string>())));
        Assert.Equal(FailureKind.Configuration, refused.Kind);
        Assert.StartsWith("duckdb:/w.duckdb, table t, column c: DuckDB type id 42 (newer than this Ferry knows) has no PostgreSQL mapping. --cast t.c=text", refused.Message, StringComparison.Ordinal);
        Assert.EndsWith("Nothing was written.", refused.Message, StringComparison.Ordinal);

        var plan = SchemaPlanner.Plan(Source(), new PlanSettings(NamingRule.Lower, null, null, new Dictionary<string, string> { ["t.c"] = "text" }));
        Assert.Equal(PgType.Text, plan.Tables[0].Column("c").Type);
    }
}
