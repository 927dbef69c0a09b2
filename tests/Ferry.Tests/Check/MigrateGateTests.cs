using Ferry.Tests.Infrastructure;
using Ferry.Tests.Migrations;

namespace Ferry.Tests.Check;

/// <summary><c>ferry migrate up --expect</c>: before: refuses every migration, after: fails the run once they are applied.</summary>
public sealed class MigrateGateTests
{
    static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task A_failing_before_expectation_applies_no_migration_and_names_the_failing_keys()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE curves (id int PRIMARY KEY, name text); INSERT INTO curves VALUES (1, 'a'), (2, 'b'), (3, 'a')");
        using var folder = new MigrationFolder();
        folder.Write("001_unique.up.sql", "ALTER TABLE curves ADD UNIQUE (name); CREATE TABLE added (id int);");
        var expect = folder.Write("expect.yml", "before:\n  curves:\n    rows: 3\n    unique: [name]\n");

        var up = await CliRunner.RunAsync(NoEnvironment, folder.Path, "migrate", "up", "--database", db.Url, "--dir", folder.Path, "--expect", expect, "--json");

        Assert.True(up.ExitCode == 1, up.ToString());
        var check = up.Json().GetProperty("check");
        var unique = check.GetProperty("results")[1];
        Assert.Equal(("unique", "failed", "before"), (unique.GetProperty("expectation").GetString(), unique.GetProperty("status").GetString(), unique.GetProperty("stage").GetString()));
        Assert.Equal([1, 3], unique.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("key").GetProperty("id").GetInt32()));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'added'"));
        if (await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'schema_migrations'") > 0)
            Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM public.schema_migrations"));
    }

    [Fact]
    public async Task A_failing_after_expectation_exits_1_with_the_migrations_applied_and_the_failing_rows_named()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_added.up.sql", "CREATE TABLE added (id int, code text); INSERT INTO added VALUES (1, 'A-1'), (2, 'b'), (2, 'C-3');");
        var expect = folder.Write("expect.yml", "added:\n  match: { code: '^[A-Z]-\\d$' }\n  unique: [id]\n");

        var up = await CliRunner.RunAsync(NoEnvironment, folder.Path, "migrate", "up", "--database", db.Url, "--dir", folder.Path, "--expect", expect, "--json");

        Assert.True(up.ExitCode == 1, up.ToString());
        var json = up.Json();
        Assert.False(json.GetProperty("ok").GetBoolean());
        Assert.Equal(1, json.GetProperty("steps").GetArrayLength());
        var results = json.GetProperty("check").GetProperty("results");
        Assert.Equal(["failed", "failed"], results.EnumerateArray().Select(r => r.GetProperty("status").GetString()));
        Assert.Equal(["2,b"], results[0].GetProperty("samples").EnumerateArray().Select(s => $"{s.GetProperty("key").GetProperty("id").GetInt32()},{s.GetProperty("key").GetProperty("code").GetString()}"));
        Assert.Equal(2, results[1].GetProperty("failing").GetInt32());
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM public.schema_migrations"));
    }
}
