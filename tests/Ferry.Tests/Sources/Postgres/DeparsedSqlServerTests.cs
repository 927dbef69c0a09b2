using Ferry.Sources.Postgres.Deparsed;
using Ferry.Schema;
using Ferry.Sources.Postgres;
using Ferry.Tests.Infrastructure;
using Npgsql;

namespace Ferry.Tests.Sources.Postgres;

/// <summary>
/// The server's own text, rewritten to new names, creates a table whose definitions the server deparses back to
/// exactly the rewritten text: the rewrite is accepted and means the same.
/// </summary>
public sealed class DeparsedSqlServerTests
{
    const string SourceTable = "\"Forecasts\".\"CurveDefinitions\"";
    const string TargetTable = "forecasts.curve_definitions";

    const string SourceDdl = """
        CREATE EXTENSION btree_gist;
        CREATE SCHEMA "Forecasts";
        CREATE TYPE "Forecasts"."Addr" AS (street text, city text);
        CREATE DOMAIN "Forecasts"."Mode" AS text;
        CREATE TABLE "Forecasts"."CurveDefinitions" (
            "Id" serial,
            "CurveName" text NOT NULL,
            "lower" text,
            "Mode" "Forecasts"."Mode",
            "Addr" "Forecasts"."Addr",
            "Room" integer,
            during tsrange,
            "Value" numeric(10,2) DEFAULT 0,
            kind varchar(20) DEFAULT 'kind''s',
            "Created" timestamp DEFAULT now(),
            street text,
            "Gen" text GENERATED ALWAYS AS (lower("CurveName") || ' "Room"') STORED,
            CONSTRAINT "c lower" CHECK ("lower" IS DISTINCT FROM lower("CurveName")),
            CONSTRAINT c_case CHECK (CASE WHEN "Room" > 0 THEN true ELSE "Mode"::text = E'a\\''b' END),
            CONSTRAINT c_addr CHECK (("Addr").street <> 'CurveName' AND street <> E'\'Room\'\\'),
            CONSTRAINT c_kind CHECK ("CurveName" IN ('a', 'b''c') AND kind::text IN ('kind') AND kind::character varying(10) IS NOT NULL),
            CONSTRAINT c_misc CHECK ("Value"::double precision > 0 AND "Created" > '2020-01-01'::timestamp
                AND extract(year FROM "Created") > 2000 AND "Room" = ANY (ARRAY[1, 2, 3])
                AND "CurveName" COLLATE "C" > 'a' AND "Room" NOT BETWEEN 4 AND 5),
            CONSTRAINT ex EXCLUDE USING gist ("Room" WITH =, during WITH &&) WHERE ("Room" > 0),
            CONSTRAINT pk PRIMARY KEY ("Id"),
            CONSTRAINT u UNIQUE ("CurveName", "Room") INCLUDE (kind)
        );
        CREATE INDEX "IxA" ON "Forecasts"."CurveDefinitions"
            (lower("CurveName") text_pattern_ops DESC NULLS LAST, "Room") INCLUDE (kind) WHERE "Room" > 0 AND "CurveName" <> 'Room';
        CREATE INDEX "IxB" ON "Forecasts"."CurveDefinitions" USING gist ("Room", during) WHERE ("Addr").street IS NOT NULL;
        CREATE UNIQUE INDEX "IxC" ON "Forecasts"."CurveDefinitions" ((("Addr").street) COLLATE "C" NULLS FIRST, "lower" DESC);
        """;

    /// <summary>
    /// --names snake, with one name that gains quotes. Not a keyword that Identifiers quotes and the server does not
    /// (value, name, key): the target's deparse would then differ in quotes only.
    /// </summary>
    static readonly Dictionary<string, string> Renames = new(StringComparer.Ordinal)
    {
        ["Id"] = "id", ["CurveName"] = "curve_name", ["lower"] = "lower_name", ["Mode"] = "mode", ["Addr"] = "addr",
        ["Room"] = "room", ["during"] = "During", ["Value"] = "amount", ["kind"] = "kind", ["Created"] = "created",
        ["street"] = "street_name", ["Gen"] = "gen",
    };

    static readonly string[] TargetColumns =
    [
        "id integer", "curve_name text NOT NULL", "lower_name text", "mode \"Forecasts\".\"Mode\"", "addr \"Forecasts\".\"Addr\"",
        "room integer", "\"During\" tsrange", "amount numeric(10,2)", "kind varchar(20)", "created timestamp", "street_name text",
        "gen text",
    ];

    [Fact]
    public async Task Rewritten_server_text_creates_the_same_definitions_under_new_names()
    {
        await using var db = await TestCluster.CreateDatabaseAsync("pgddl");
        Assert.True(await db.ScalarAsync<bool>("SELECT EXISTS (SELECT FROM pg_available_extensions WHERE name = 'btree_gist')"),
            "btree_gist (contrib) is not installed for the test cluster's PostgreSQL");
        await db.ExecuteAsync(SourceDdl);

        await using (var session = await db.OpenRawAsync())
        {
            var source = await DefinitionsAsync(session, SourceTable);
            await db.ExecuteAsync(TargetDdl(source));
        }

        foreach (var standardConformingStrings in new[] { "on", "off" })
        {
            await using var session = await db.OpenRawAsync();
            await using (var set = new NpgsqlCommand($"SET standard_conforming_strings = {standardConformingStrings}; SET escape_string_warning = off", session))
                await set.ExecuteNonQueryAsync();
            var source = await DefinitionsAsync(session, SourceTable);
            var target = await DefinitionsAsync(session, TargetTable);
            Assert.Equal(Rewrite(source).Constraints, target.Constraints);
            Assert.Equal(Rewrite(source).Expressions, target.Expressions);
            Assert.Equal(Rewrite(source).Indexes, target.Indexes);
            Assert.Contains("curve_name", target.Constraints["c lower"], StringComparison.Ordinal);
            Assert.Equal(3, target.Indexes.Count);
        }
    }

    sealed record Definitions(
        SortedDictionary<string, string> Constraints, SortedDictionary<string, string> Expressions, SortedDictionary<string, string> Indexes);

    /// <summary>The source's definitions as they should read in the target: columns, the sequence and the table renamed.</summary>
    static Definitions Rewrite(Definitions source)
    {
        var constraints = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, sql) in source.Constraints)
            constraints[name] = DeparsedSql.RenameColumns(sql, Renames);
        var expressions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (column, sql) in source.Expressions)
            expressions[Renames[column]] = DeparsedSql.RenameRelations(DeparsedSql.RenameColumns(sql, Renames), "public", MapRelation);
        var indexes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, sql) in source.Indexes)
            indexes[name.ToLowerInvariant()] = ServerIndexDefinition.Parse(sql).ToSql(name.ToLowerInvariant(), TargetTable, Renames);
        return new Definitions(constraints, expressions, indexes);
    }

    static (string Schema, string Name)? MapRelation(string schema, string name) =>
        (schema, name) == ("Forecasts", "CurveDefinitions_Id_seq") ? ("forecasts", "curve_definitions_id_seq") : null;

    static string TargetDdl(Definitions source)
    {
        var rewritten = Rewrite(source);
        var columns = TargetColumns.Select(column =>
        {
            var name = column[..column.IndexOf(' ', StringComparison.Ordinal)].Trim('"');
            if (!rewritten.Expressions.TryGetValue(name, out var expression))
                return column;
            return name == "gen" ? $"{column} GENERATED ALWAYS AS ({expression}) STORED" : $"{column} DEFAULT {expression}";
        });
        var constraints = rewritten.Constraints.Select(c => $"CONSTRAINT {Identifiers.Quote(c.Key)} {c.Value}");
        return $"""
            CREATE SCHEMA forecasts;
            CREATE SEQUENCE forecasts.curve_definitions_id_seq;
            CREATE TABLE {TargetTable} ({string.Join(", ", columns.Concat(constraints))});
            {string.Join(";\n", rewritten.Indexes.Values)};
            """;
    }

    static async Task<Definitions> DefinitionsAsync(NpgsqlConnection session, string table) => new(
        await ReadAsync(session, $"SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = '{table}'::regclass"),
        await ReadAsync(session, $"""
            SELECT attname, pg_get_expr(adbin, adrelid) FROM pg_attrdef
            JOIN pg_attribute ON attrelid = adrelid AND attnum = adnum WHERE adrelid = '{table}'::regclass
            """),
        await ReadAsync(session, $"""
            SELECT relname, pg_get_indexdef(indexrelid) FROM pg_index JOIN pg_class ON pg_class.oid = indexrelid
            WHERE indrelid = '{table}'::regclass AND NOT EXISTS (SELECT FROM pg_constraint WHERE conindid = indexrelid)
            """));

    static async Task<SortedDictionary<string, string>> ReadAsync(NpgsqlConnection session, string sql)
    {
        var rows = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await using var command = new NpgsqlCommand(sql, session);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            rows.Add(reader.GetString(0), reader.GetString(1));
        return rows;
    }
}
