using System.Text.Json;
using Ferry.Backup;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Backup;

/// <summary><c>ferry backups prune</c> against real backups, schemas and files, dated by rewriting their catalog rows.</summary>
public sealed class BackupsPruneCliTests
{
    /// <summary>Takes the backups <paramref name="dated"/> names (a file backup when its name starts with f) and dates each as given (UTC).</summary>
    static async Task TakeAsync(TestDatabase db, string folder, params (string Name, string CreatedAt)[] dated)
    {
        foreach (var (name, createdAt) in dated)
        {
            var file = name.StartsWith('f') ? Path.Combine(folder, name + ".dump") : null;
            await BackupRunner.CreateAsync(db.Target, new BackupRequest { Tables = ["parent"], Name = name, File = file }, null, CancellationToken.None);
            await db.ExecuteAsync($$"""
                UPDATE ferry.backups SET created_at = '{{createdAt}}+00', manifest = jsonb_set(manifest, '{created_at}', to_jsonb('{{createdAt}}+00'::timestamptz))
                WHERE name = '{{name}}'
                """);
        }
    }

    static string[] Names(JsonElement document, string list) =>
        [.. document.GetProperty(list).EnumerateArray().Select(b => b.GetProperty("name").GetString()!)];

    [Fact]
    public async Task Prune_keeps_what_the_rules_keep_saying_why_and_drops_schemas_and_files_alike()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        using var folder = new TempDirectory("ferry-prune-");
        Directory.CreateDirectory(folder.Path);
        await TakeAsync(db, folder.Path,
            ("b1", "2026-10-15 02:00"), ("b2", "2026-11-20 02:00"), ("b3", "2026-12-01 01:00"), ("f4", "2026-12-01 05:00"),
            ("f5", "2026-12-02 02:00"), ("b6", "2026-12-03 02:00"));
        string[] arguments = ["backups", "prune", "--keep-daily", "2", "--keep-monthly", "2", "--database", db.Url];

        var dry = await CliRunner.RunAsync([.. arguments, "--dry-run", "--json"]);

        Assert.True(dry.ExitCode == 0, dry.ToString());
        var planned = dry.Json();
        Assert.True(planned.GetProperty("dry_run").GetBoolean());
        Assert.Equal(["b6", "f5", "b2"], Names(planned, "kept"));
        Assert.Equal(["f4", "b3", "b1"], Names(planned, "dropped"));
        Assert.Equal(["daily 2026-12-03", "monthly 2026-12"], planned.GetProperty("kept")[0].GetProperty("kept_by").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(6L, await db.ScalarAsync<long>("SELECT count(*) FROM ferry.backups"));
        Assert.True(File.Exists(Path.Combine(folder.Path, "f4.dump")));

        var pruned = await CliRunner.RunAsync(arguments);

        Assert.True(pruned.ExitCode == 0, pruned.ToString());
        Assert.Contains("b2", pruned.Stdout, StringComparison.Ordinal);
        Assert.Contains("monthly 2026-11", pruned.Stdout, StringComparison.Ordinal);
        Assert.Contains("prune: kept 3, dropped 3", pruned.Stdout, StringComparison.Ordinal);
        Assert.Equal(["b2", "b6", "f5"], (await db.RowsAsync("SELECT name FROM ferry.backups ORDER BY name")).Select(r => (string)r[0]!));
        Assert.Equal(["b2", "b6"], (await db.RowsAsync("SELECT nspname::text FROM pg_namespace WHERE nspname ~ '^b[0-9]$' ORDER BY 1")).Select(r => (string)r[0]!));
        Assert.Equal(["f5.dump", "f5.dump.manifest.json"], Directory.GetFiles(folder.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM ferry.runs WHERE kind = 'backups prune' AND outcome = 'ok'")); // the dry run too
    }

    [Fact]
    public async Task A_protected_environment_needs_yes_to_prune_but_not_to_look()
    {
        using var folder = new TempDirectory("ferry-prune-env-");
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, "ferry.yml"), """
            environments:
              prod: { database: "${PROD_URL}", protected: true }
            """);
        await using var db = await BackupSchemaFixture.CreateAsync();
        await TakeAsync(db, folder.Path, ("b1", "2026-12-01 02:00"), ("b2", "2026-12-02 02:00"));
        var environment = new Dictionary<string, string> { ["PROD_URL"] = db.Url, ["FERRY_ENV"] = "prod" };

        Assert.Equal(0, (await CliRunner.RunAsync(environment, folder.Path, "backups", "prune", "--keep-daily", "1", "--dry-run")).ExitCode);
        var refused = await CliRunner.RunAsync(environment, folder.Path, "backups", "prune", "--keep-daily", "1");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("needs confirmation: give --yes", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM ferry.backups"));
        Assert.Equal(0, (await CliRunner.RunAsync(environment, folder.Path, "backups", "prune", "--keep-daily", "1", "--yes")).ExitCode);
        Assert.Equal("b2", await db.ScalarAsync<string>("SELECT string_agg(name, ',') FROM ferry.backups"));
    }

    [Fact]
    public async Task Prune_without_a_rule_is_refused_and_drops_nothing()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        await TakeAsync(db, "", ("b1", "2026-12-01 02:00"));

        var refused = await CliRunner.RunAsync("backups", "prune", "--database", db.Url);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("would drop every backup", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM ferry.backups"));
    }
}
