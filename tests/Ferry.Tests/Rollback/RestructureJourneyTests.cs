using Ferry.Tests.Infrastructure;
using Ferry.Tests.Migrations;

namespace Ferry.Tests.Rollback;

/// <summary>
/// The restructuring plan as it runs: readiness expectations, a snapshot, the migration (new tables, the data moved,
/// the legacy tables renamed, a compatibility view in the old name), verification expectations; then the rollback,
/// and the original schema and data proven as before.
/// </summary>
public sealed class RestructureJourneyTests
{
    static readonly Dictionary<string, string> NoEnvironment = [];

    const string Legacy = """
        CREATE TYPE curve_kind AS ENUM ('yield', 'spread', 'basis');
        CREATE TABLE curve_definitions (
            id serial PRIMARY KEY,
            name text NOT NULL UNIQUE,
            kind curve_kind NOT NULL DEFAULT 'yield',
            created_at timestamptz NOT NULL DEFAULT now());
        CREATE TABLE curve_points (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            curve_id int NOT NULL REFERENCES curve_definitions (id),
            tenor text NOT NULL,
            value numeric(12, 6) CHECK (value > -100),
            UNIQUE (curve_id, tenor));
        CREATE INDEX curve_points_valued ON curve_points (tenor) WHERE value IS NOT NULL;
        INSERT INTO curve_definitions (name, kind, created_at)
            SELECT 'curve-' || i, (ARRAY['yield', 'spread', 'basis'])[1 + i % 3]::curve_kind, timestamptz '2024-01-15 09:00+00' + i * interval '1 hour'
            FROM generate_series(1, 72) i;
        INSERT INTO curve_points (curve_id, tenor, value)
            SELECT c, t || 'Y', CASE WHEN (c + t) % 7 = 0 THEN NULL ELSE round(((c * 31 + t * 17) % 1000) / 97.0, 6) END
            FROM generate_series(1, 72) c, generate_series(1, 10) t;
        """;

    const string Restructure = """
        CREATE TABLE curves (id int PRIMARY KEY, name text NOT NULL UNIQUE, kind text NOT NULL);
        CREATE TABLE curve_values (curve_id int NOT NULL REFERENCES curves (id), tenor text NOT NULL, value numeric(12, 6), PRIMARY KEY (curve_id, tenor));
        INSERT INTO curves SELECT id, name, kind::text FROM curve_definitions;
        INSERT INTO curve_values SELECT curve_id, tenor, value FROM curve_points;
        ALTER TABLE curve_definitions RENAME TO curve_definitions_legacy;
        ALTER TABLE curve_points RENAME TO curve_points_legacy;
        CREATE VIEW curve_definitions AS SELECT id, name, kind FROM curves;
        """;

    [Fact]
    public async Task Readiness_backup_migration_verification_then_rollback_leaves_the_original_schema_and_data_proven()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        await db.ExecuteAsync(Legacy);
        // Two curves used: the sequence and the identity are mid-way.
        await db.ExecuteAsync("SELECT nextval('curve_definitions_id_seq'); SELECT nextval('curve_points_id_seq');");
        var schemaBefore = await SchemaShape.OfAsync(db);
        var definitionsBefore = await SchemaShape.RowsAsync(db, "curve_definitions", "t.id");
        var pointsBefore = await SchemaShape.RowsAsync(db, "curve_points", "t.id");
        using var folder = new MigrationFolder();
        folder.Write("001_restructure_curves.up.sql", Restructure);
        var readiness = folder.Write("readiness.yml", """
            curve_definitions:
              rows: 72
              unique: [name]
            curve_points:
              rows: 720
              unique: [[curve_id, tenor]]
              references: { curve_id: curve_definitions.id }
            """);
        var verification = folder.Write("verification.yml", """
            curves:
              rows: 72
              unique: [name]
            curve_values:
              rows: 720
              references: { curve_id: curves.id }
            curve_definitions:
              rows: 72
            """);
        string[] common = ["--database", db.Url, "--json"];

        var ready = await CliRunner.RunAsync(NoEnvironment, folder.Path, ["check", "--expect", readiness, .. common]);
        Assert.True(ready.ExitCode == 0, ready.ToString());

        var dry = await CliRunner.RunAsync(NoEnvironment, folder.Path, ["migrate", "up", "--dir", folder.Path, "--backup", "--dry-run", .. common]);
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Equal(["public.curve_definitions", "public.curve_points"], dry.Json().GetProperty("backup").GetProperty("tables").EnumerateArray().Select(t => t.GetString()).Order());

        var up = await CliRunner.RunAsync(NoEnvironment, folder.Path, ["migrate", "up", "--dir", folder.Path, "--backup", "--expect", verification, .. common]);
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(1, await db.ScalarAsync<long>("SELECT count(*) FROM ferry.backups"));
        Assert.Equal("v", await db.ScalarAsync<string>("SELECT relkind::text FROM pg_class WHERE relname = 'curve_definitions' AND relnamespace = 'public'::regnamespace"));
        Assert.Equal(720L, await db.ScalarAsync<long>("SELECT count(*) FROM curve_values"));
        // The application keeps writing through the new tables before the rollback is decided.
        await db.ExecuteAsync("INSERT INTO curves VALUES (900, 'late', 'yield')");

        var plan = await CliRunner.RunAsync(NoEnvironment, folder.Path, ["rollback", "last", "--dir", folder.Path, "--dry-run", .. common]);
        Assert.True(plan.ExitCode == 0, plan.ToString());
        Assert.Equal("snapshot", plan.Json().GetProperty("strategy").GetString());
        Assert.Equal(72L, await db.ScalarAsync<long>("SELECT count(*) FROM curve_definitions_legacy"));

        var rollback = await CliRunner.RunAsync(NoEnvironment, folder.Path, ["rollback", "last", "--dir", folder.Path, .. common]);

        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        var restored = rollback.Json().GetProperty("restored").EnumerateArray().ToList();
        Assert.Equal(["public.curve_definitions", "public.curve_points"], restored.Select(r => r.GetProperty("table").GetString()).Order());
        Assert.All(restored, r => Assert.True(r.GetProperty("proven").GetBoolean()));
        Assert.Equal(schemaBefore, await SchemaShape.OfAsync(db));
        Assert.Equal(definitionsBefore, await SchemaShape.RowsAsync(db, "curve_definitions", "t.id"));
        Assert.Equal(pointsBefore, await SchemaShape.RowsAsync(db, "curve_points", "t.id"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM public.schema_migrations"));
        // The readiness checks pass again, and the next id continues where it was.
        var again = await CliRunner.RunAsync(NoEnvironment, folder.Path, ["check", "--expect", readiness, .. common]);
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(74, await db.ScalarAsync<int>("SELECT nextval('curve_definitions_id_seq')::int"));
        var runs = await CliRunner.RunAsync(NoEnvironment, folder.Path, ["runs", "--kind", "rollback", .. common]);
        Assert.Equal("ok", runs.Json().GetProperty("runs")[0].GetProperty("outcome").GetString());
    }
}
