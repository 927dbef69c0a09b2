using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Sources.Postgres;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Sources.Postgres;

/// <summary>
/// What a PostgreSQL source's tables need besides themselves, copied: extensions, enum, domain, composite and range
/// types, sequences with their values, functions and triggers, moved with --schema-map.
/// </summary>
public sealed class PostgresObjectsTests
{
    const string Schema = """
        CREATE EXTENSION citext;
        CREATE EXTENSION pg_trgm;
        CREATE EXTENSION pgcrypto;
        CREATE SCHEMA "Forecasts";
        CREATE TYPE "Forecasts".mood AS ENUM ('sad', 'ok');
        CREATE COLLATION "Forecasts".plain (locale = 'C', deterministic = true);
        """;

    // A label added later sorts between the others: the target's type has them in the source's order.
    const string Tables = """
        CREATE FUNCTION "Forecasts".is_even(v int) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT v % 2 = 0';
        CREATE DOMAIN "Forecasts".even_int AS int DEFAULT 2 NOT NULL CONSTRAINT even CHECK ("Forecasts".is_even(VALUE));
        CREATE DOMAIN "Forecasts".code AS text COLLATE "C" CONSTRAINT short CHECK (length(VALUE) < 10);
        CREATE TYPE "Forecasts".point3 AS (x double precision, y double precision, label "Forecasts".code);
        CREATE FUNCTION "Forecasts".f8diff(a float8, b float8) RETURNS float8 LANGUAGE sql IMMUTABLE AS 'SELECT a - b';
        CREATE TYPE "Forecasts".floatrange AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = "Forecasts".f8diff);
        CREATE TYPE "Forecasts".coderange AS RANGE (SUBTYPE = text, SUBTYPE_OPCLASS = text_pattern_ops, COLLATION = "C");
        CREATE SEQUENCE "Forecasts".ticket_seq AS int INCREMENT BY 3 START WITH 100 CACHE 1;
        CREATE FUNCTION "Forecasts".unused() RETURNS int LANGUAGE sql AS 'SELECT 1';
        CREATE TABLE "Forecasts".readings (
            id serial PRIMARY KEY,
            ticket int DEFAULT nextval('"Forecasts".ticket_seq'),
            mood "Forecasts".mood DEFAULT 'meh'::"Forecasts".mood,
            moods "Forecasts".mood[],
            even "Forecasts".even_int,
            code "Forecasts".code,
            spot "Forecasts".point3,
            span "Forecasts".floatrange,
            codes "Forecasts".coderange,
            label text COLLATE "Forecasts".plain,
            email citext,
            salt bytea DEFAULT gen_random_bytes(4));
        CREATE INDEX readings_code ON "Forecasts".readings USING gin ((code::text) gin_trgm_ops);
        INSERT INTO "Forecasts".readings (mood, moods, even, code, spot, span, email, codes)
            SELECT 'ok', ARRAY['sad', 'meh']::"Forecasts".mood[], g * 2, 'c' || g, ROW(g::float8, g::float8, 'p' || g)::"Forecasts".point3, "Forecasts".floatrange(g, g + 1), 'A' || g || '@X.org',
                "Forecasts".coderange('a' || g, 'b' || g)
            FROM generate_series(1, 20) g;
        CREATE FUNCTION "Forecasts".touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.code := 'touched'; RETURN NEW; END$$;
        CREATE TRIGGER readings_touch BEFORE INSERT ON "Forecasts".readings FOR EACH ROW EXECUTE FUNCTION "Forecasts".touch();
        """;

    /// <summary>The schema of these tests, made in <paramref name="source"/>.</summary>
    internal static async Task CreateAsync(TestDatabase source)
    {
        await source.ExecuteAsync(Schema);
        await source.ExecuteAsync("ALTER TYPE \"Forecasts\".mood ADD VALUE 'meh' BEFORE 'ok'");
        await source.ExecuteAsync(Tables);
    }

    static CopyOptions Options(TestDatabase source, TestDatabase? target, bool withFunctions) => new()
    {
        Source = source.Url,
        Target = target?.Target,
        Names = NamingRule.Preserve,
        DryRun = target is null,
        EngineOptions = [new PostgresOptions { SchemaMap = new Dictionary<string, string> { ["Forecasts"] = "Archive" }, WithFunctions = withFunctions }],
    };

    [Fact]
    public async Task Types_sequences_functions_extensions_and_triggers_arrive_in_the_mapped_schema()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        await CreateAsync(source);

        var result = await new CopyRunner(Options(source, target, withFunctions: true)).RunAsync(default);

        Assert.True(result.Ok, string.Join("\n", result.Failures));
        Assert.Equal(20, result.RowsWritten);
        // Once made, the types and sequences are the target's: a second copy is refused; one that resumes keeps them as they are.
        var again = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(Options(source, target, withFunctions: true)).RunAsync(default));
        Assert.Contains("type Archive.mood", again.Message, StringComparison.Ordinal);
        Assert.Contains("sequence Archive.ticket_seq", again.Message, StringComparison.Ordinal);
        var resumed = await new CopyRunner(Options(source, target, withFunctions: true) with { Resume = true }).RunAsync(default);
        Assert.True(resumed.Ok, string.Join("\n", resumed.Failures));
        Assert.Equal("citext, pg_trgm, pgcrypto, plpgsql", await target.ScalarAsync<string>("SELECT string_agg(extname, ', ' ORDER BY extname) FROM pg_extension"));
        // Each type as the source has it, in the mapped schema: its kind, labels, base, default, checks, attributes, range.
        const string types = """
            SELECT string_agg(format('%s %s %s %s %s %s %s %s', t.typname, t.typtype, format_type(t.typbasetype, t.typtypmod), t.typnotnull, pg_get_expr(t.typdefaultbin, 0),
                       (SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = t.oid),
                       (SELECT string_agg(conname || ' ' || pg_get_constraintdef(oid), ',') FROM pg_constraint WHERE contypid = t.oid),
                       (SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || ' ' || attcollation::regcollation::text, ',' ORDER BY attnum) FROM pg_attribute WHERE attrelid = t.typrelid AND t.typrelid <> 0)
                       || coalesce((SELECT format(' %s %s %s %s %s', rngsubtype::regtype, rngsubdiff, rngmultitypid::regtype, opcname, rngcollation::regcollation)
                                 FROM pg_range JOIN pg_opclass ON pg_opclass.oid = rngsubopc WHERE rngtypid = t.oid), '')), '; ' ORDER BY t.typname)
            FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
            WHERE n.nspname = '{0}' AND t.typtype <> 'b' AND t.typrelid NOT IN (SELECT oid FROM pg_class WHERE relkind <> 'c')
            """;
        Assert.Equal((await source.ScalarAsync<string>(string.Format(types, "Forecasts"))).Replace("\"Forecasts\"", "\"Archive\"", StringComparison.Ordinal),
            await target.ScalarAsync<string>(string.Format(types, "Archive")));
        const string columns = "SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod) || ' ' || coalesce(pg_get_expr(adbin, adrelid), '') || ' ' || attcollation::regcollation::text, ', ' ORDER BY attnum) FROM pg_attribute LEFT JOIN pg_attrdef ON adrelid = attrelid AND adnum = attnum WHERE attrelid = '\"{0}\".readings'::regclass AND attnum > 0";
        Assert.Equal((await source.ScalarAsync<string>(string.Format(columns, "Forecasts"))).Replace("\"Forecasts\"", "\"Archive\"", StringComparison.Ordinal),
            await target.ScalarAsync<string>(string.Format(columns, "Archive")));
        const string collation = "SELECT format('%s %s %s %s', collprovider, collisdeterministic, collcollate, collctype) FROM pg_collation WHERE collname = 'plain'";
        Assert.Equal(await source.ScalarAsync<string>(collation), await target.ScalarAsync<string>(collation));
        const string rows = "SELECT md5(string_agg(t::text, '|' ORDER BY id)) FROM \"{0}\".readings t";
        Assert.Equal(await source.ScalarAsync<string>(string.Format(rows, "Forecasts")), await target.ScalarAsync<string>(string.Format(rows, "Archive")));

        // The serial and the other sequence go on as the source's would; the serial's sequence is its column's again.
        Assert.Equal("\"Archive\".readings_id_seq", await target.ScalarAsync<string>("SELECT pg_get_serial_sequence('\"Archive\".readings', 'id')"));
        const string insert = "INSERT INTO \"{0}\".readings (even, code) VALUES (4, 'new') RETURNING format('%s %s %s %s', id, ticket, mood, code)";
        var expected = await source.ScalarAsync<string>(string.Format(insert, "Forecasts"));
        Assert.Equal("21 160 meh touched", expected);
        Assert.Equal(expected, await target.ScalarAsync<string>(string.Format(insert, "Archive")));
        // The domain's check calls the copied function.
        await Assert.ThrowsAsync<Npgsql.PostgresException>(() => target.ExecuteAsync("INSERT INTO \"Archive\".readings (even) VALUES (3)"));
        Assert.Contains("unused", await target.ScalarAsync<string>("SELECT string_agg(proname, ',') FROM pg_proc WHERE pronamespace = '\"Archive\"'::regnamespace"), StringComparison.Ordinal);
        Assert.Contains(result.Warnings, w => w.StartsWith("functions are copied with their bodies as the source has them", StringComparison.Ordinal) && w.Contains("\"Forecasts\".touch()", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_dry_run_shows_each_object_in_order_and_names_what_is_not_copied()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await CreateAsync(source);

        var plan = (await new CopyRunner(Options(source, null, withFunctions: false)).RunAsync(default)).Plan;

        var script = plan.Script();
        int At(string statement)
        {
            var at = script.IndexOf(statement, StringComparison.Ordinal);
            Assert.True(at >= 0, $"{statement} is not in:\n{script}");
            return at;
        }

        var order = new[]
        {
            "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public CASCADE",
            "CREATE SCHEMA IF NOT EXISTS \"Archive\"",
            "CREATE SEQUENCE \"Archive\".readings_id_seq AS integer INCREMENT BY 1 MINVALUE 1 MAXVALUE 2147483647 START WITH 1 CACHE 1 NO CYCLE;\nSELECT pg_catalog.setval('\"Archive\".readings_id_seq', 20, true)",
            "CREATE SEQUENCE \"Archive\".ticket_seq AS integer INCREMENT BY 3 MINVALUE 1 MAXVALUE 2147483647 START WITH 100 CACHE 1 NO CYCLE;\nSELECT pg_catalog.setval('\"Archive\".ticket_seq', 157, true)",
            "CREATE OR REPLACE FUNCTION \"Archive\".is_even(v integer)",
            "CREATE DOMAIN \"Archive\".even_int AS integer DEFAULT 2 NOT NULL CONSTRAINT even CHECK (\"Archive\".is_even(VALUE))",
            "CREATE TABLE \"Archive\".readings",
            "ALTER SEQUENCE \"Archive\".readings_id_seq OWNED BY \"Archive\".readings.id",
            "-- data:",
        };
        var positions = order.Select(At).ToList();
        Assert.Equal(positions.Order(), positions);
        At("CREATE TYPE \"Archive\".mood AS ENUM ('sad', 'meh', 'ok')");
        At("CREATE TYPE \"Archive\".coderange AS RANGE (SUBTYPE = text, SUBTYPE_OPCLASS = pg_catalog.text_pattern_ops, COLLATION = pg_catalog.\"C\", MULTIRANGE_TYPE_NAME = \"Archive\".codemultirange)");
        At("CREATE DOMAIN \"Archive\".code AS text COLLATE pg_catalog.\"C\" CONSTRAINT short CHECK ((length(VALUE) < 10))");
        At("CREATE TYPE \"Archive\".point3 AS (x double precision, y double precision, label \"Archive\".code)");
        At("CREATE TYPE \"Archive\".floatrange AS RANGE (SUBTYPE = double precision, SUBTYPE_DIFF = \"Archive\".f8diff, MULTIRANGE_TYPE_NAME = \"Archive\".floatmultirange)");
        At("mood \"Archive\".mood DEFAULT 'meh'::\"Archive\".mood");
        Assert.DoesNotContain("TRIGGER", script, StringComparison.Ordinal);
        Assert.Contains(plan.Notes, n => n.StartsWith("not copied (--with-functions", StringComparison.Ordinal)
            && n.Contains("function \"Forecasts\".unused()", StringComparison.Ordinal) && n.Contains("function \"Forecasts\".touch()", StringComparison.Ordinal)
            && n.Contains("trigger readings_touch on Forecasts.readings", StringComparison.Ordinal) && !n.Contains("is_even", StringComparison.Ordinal));

        var withFunctions = (await new CopyRunner(Options(source, null, withFunctions: true)).RunAsync(default)).Plan.Script();
        Assert.True(withFunctions.IndexOf("-- data:", StringComparison.Ordinal) < withFunctions.IndexOf(
            "CREATE OR REPLACE TRIGGER readings_touch BEFORE INSERT ON \"Archive\".readings FOR EACH ROW EXECUTE FUNCTION \"Archive\".touch()", StringComparison.Ordinal), withFunctions);
    }

    [Theory]
    // bloom is not trusted: only a superuser can create it, CREATE on the database does not do.
    [InlineData("bloom", "CREATE INDEX t_needs ON t USING bloom (a, b)", "index public.t_needs", true, "only a superuser can create it")]
    // citext is trusted, but creating it still takes CREATE on the database.
    [InlineData("citext", "ALTER TABLE t ADD COLUMN email citext", "column public.t.email", false, "it is trusted, but the user has no CREATE privilege on the database")]
    public async Task An_extension_the_target_cannot_have_refuses_the_copy_before_anything_is_written(string extension, string use, string neededBy, bool createOnDatabase, string why)
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        await source.ExecuteAsync($"CREATE EXTENSION {extension}; CREATE TABLE t (a int, b int); INSERT INTO t VALUES (1, 2); {use}");
        var role = "limited_" + target.Name;
        await target.ExecuteAsync($"CREATE ROLE {role} LOGIN; REVOKE CREATE ON DATABASE \"{target.Name}\" FROM PUBLIC; GRANT CREATE ON SCHEMA public TO {role}"
            + (createOnDatabase ? $"; GRANT CREATE ON DATABASE \"{target.Name}\" TO {role}" : ""));
        try
        {
            var limited = new Ferry.Connections.PostgresTarget(new Npgsql.NpgsqlConnectionStringBuilder(target.Target.ConnectionString) { Username = role }, Ferry.Connections.TargetOrigin.Argument);

            var refused = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(new CopyOptions { Source = source.Url, Target = limited }).RunAsync(default));

            Assert.Equal(FailureKind.Configuration, refused.Kind);
            Assert.Contains($"extension {extension} (needed by {neededBy}): {why}", refused.Message, StringComparison.Ordinal);
            Assert.Contains($"CREATE EXTENSION IF NOT EXISTS {extension} WITH SCHEMA public CASCADE", refused.Message, StringComparison.Ordinal);
            Assert.EndsWith("Nothing was written.", refused.Message, StringComparison.Ordinal);
            Assert.Equal(0, await target.ScalarAsync<long>("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')"));
            Assert.Equal(0, await target.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'ferry'"));
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await target.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task Copy_takes_with_functions_on_the_command_line()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await CreateAsync(source);

        var plain = await CliRunner.RunAsync("copy", source.Url, "--dry-run", "--schema-map", "Forecasts=Archive");
        var all = await CliRunner.RunAsync("copy", source.Url, "--dry-run", "--schema-map", "Forecasts=Archive", "--with-functions");

        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.True(all.ExitCode == 0, all.ToString());
        const string trigger = "CREATE OR REPLACE TRIGGER readings_touch BEFORE INSERT ON \"Archive\".readings";
        Assert.DoesNotContain(trigger, plain.Stdout, StringComparison.Ordinal);
        Assert.Contains(trigger, all.Stdout, StringComparison.Ordinal);
        Assert.Contains("CREATE OR REPLACE FUNCTION \"Archive\".unused()", all.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trigger_names_its_table_and_columns_by_their_new_names()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        await source.ExecuteAsync("""
            CREATE SCHEMA "Forecasts";
            CREATE TABLE "Forecasts"."Curves" ("CurveName" text, "Price" int, "Seen" int DEFAULT 0);
            INSERT INTO "Forecasts"."Curves" VALUES ('a', 1, 0);
            CREATE FUNCTION "Forecasts".seen() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.seen := 1; RETURN NEW; END$$;
            CREATE TRIGGER priced BEFORE UPDATE OF "Price", "CurveName" ON "Forecasts"."Curves"
                FOR EACH ROW WHEN (new."Price" > old."Price") EXECUTE FUNCTION "Forecasts".seen();
            """);
        var options = new CopyOptions
        {
            Source = source.Url,
            Target = target.Target,
            Names = NamingRule.Snake,
            EngineOptions = [new PostgresOptions { SchemaMap = new Dictionary<string, string> { ["Forecasts"] = "forecasts" }, WithFunctions = true }],
        };

        var result = await new CopyRunner(options).RunAsync(default);

        Assert.True(result.Ok, string.Join("\n", result.Failures));
        Assert.Equal("CREATE TRIGGER priced BEFORE UPDATE OF price, curve_name ON forecasts.curves FOR EACH ROW WHEN ((new.price > old.price)) EXECUTE FUNCTION forecasts.seen()",
            await target.ScalarAsync<string>("SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgname = 'priced'"));
        // The function's body is the source's: it names the column as the target does only because it was written in lower case.
        Assert.Equal(1, await target.ScalarAsync<int>("UPDATE forecasts.curves SET price = 2 RETURNING seen"));
    }
}
