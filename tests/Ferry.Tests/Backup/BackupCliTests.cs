using System.Text.RegularExpressions;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Backup;

/// <summary><c>ferry backup</c>, <c>ferry backups</c> and <c>ferry restore</c>: documents, exit codes, journal rows.</summary>
public sealed class BackupCliTests
{
    static readonly Dictionary<string, string> NoEnvironment = [];

    static Task<CliResult> Ferry(TestDatabase db, params string[] args) => CliRunner.RunAsync(NoEnvironment, null, [.. args, "--database", db.Url]);

    [Fact]
    public async Task Backup_backups_and_restore_print_their_documents_and_are_journaled()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();

        var backup = await Ferry(db, "backup", "--tables", "parent,child", "--name", "before_change", "--json");
        Assert.True(backup.ExitCode == 0, backup.ToString());
        var run = backup.Json().GetProperty("run").GetInt64();
        var list = await Ferry(db, "backups", "--json");
        Assert.True(list.ExitCode == 0, list.ToString());
        var size = list.Json().GetProperty("backups")[0].GetProperty("size_bytes").GetInt64();
        Assert.True(size > 0);
        var golden = $$"""
            {
              "backups": [
                {
                  "name": "before_change",
                  "kind": "schema",
                  "created_at": "…",
                  "tables": [
                    {
                      "table": "public.parent",
                      "rows": 3
                    },
                    {
                      "table": "public.child",
                      "rows": 4
                    }
                  ],
                  "run": {{run}},
                  "size_bytes": {{size}}
                }
              ]
            }
            """;
        Assert.Equal(golden, Regex.Replace(list.Stdout.Trim(), "\"created_at\": \"[^\"]+\"", "\"created_at\": \"…\""));

        await db.ExecuteAsync(BackupSchemaFixture.Changes);
        var restore = await Ferry(db, "restore", "before_change", "--json");
        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.All(restore.Json().GetProperty("tables").EnumerateArray(), t => Assert.True(t.GetProperty("proven").GetBoolean()));
        var human = await Ferry(db, "backups");
        Assert.Contains("before_change", human.Stdout, StringComparison.Ordinal);

        var dropped = await Ferry(db, "backups", "drop", "before_change");
        Assert.True(dropped.ExitCode == 0, dropped.ToString());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_namespace WHERE nspname = 'before_change'"));
        Assert.Equal("[]", (await Ferry(db, "backups", "--json")).Json().GetProperty("backups").GetRawText());

        var runs = (await Ferry(db, "runs", "--json")).Json().GetProperty("runs").EnumerateArray().Select(r => r.GetProperty("kind").GetString()).ToList();
        Assert.Equal(["backups drop", "restore", "backup"], runs);
        Assert.Equal(run, (await Ferry(db, "runs", "--json", "--kind", "backup")).Json().GetProperty("runs")[0].GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task A_restore_not_proven_exits_1_naming_the_table_and_bad_input_exits_2()
    {
        await using var db = await BackupSchemaFixture.CreateAsync();
        Assert.Equal(0, (await Ferry(db, "backup", "--name", "snap")).ExitCode);
        await db.ExecuteAsync("UPDATE snap.child SET note = 'tampered' WHERE note = 'x'");

        var tampered = await Ferry(db, "restore", "snap");
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("differ from the backup's fingerprint: public.child", tampered.Stdout, StringComparison.Ordinal);
        var json = await Ferry(db, "restore", "snap", "--tables", "public.child", "--json");
        Assert.Equal(1, json.ExitCode);
        Assert.False(json.Json().GetProperty("ok").GetBoolean());

        var unknown = await Ferry(db, "restore", "snp", "--json");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("List the backups with: ferry backups", unknown.Json().GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        var table = await Ferry(db, "restore", "snap", "--tables", "chld");
        Assert.Equal(2, table.ExitCode);
        Assert.Contains("did you mean child?", table.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, (await Ferry(db, "backup", "--name", "snap")).ExitCode);
    }

    [Fact]
    public async Task A_protected_environment_needs_yes_to_restore_or_drop()
    {
        using var folder = new TempDirectory("ferry-backup-env-");
        Directory.CreateDirectory(folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, "ferry.yml"), """
            environments:
              prod: { database: "${PROD_URL}", protected: true }
            """);
        await using var db = await BackupSchemaFixture.CreateAsync();
        var environment = new Dictionary<string, string> { ["PROD_URL"] = db.Url, ["FERRY_ENV"] = "prod" };
        Assert.Equal(0, (await CliRunner.RunAsync(environment, folder.Path, "backup", "--name", "snap")).ExitCode);
        await db.ExecuteAsync("DELETE FROM child");

        var refused = await CliRunner.RunAsync(environment, folder.Path, "restore", "snap");
        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("needs confirmation: give --yes", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM child"));
        Assert.Equal(2, (await CliRunner.RunAsync(environment, folder.Path, "backups", "drop", "snap")).ExitCode);

        var restored = await CliRunner.RunAsync(environment, folder.Path, "restore", "snap", "--yes");
        Assert.True(restored.ExitCode == 0, restored.ToString());
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM child"));
        Assert.Equal(0, (await CliRunner.RunAsync(environment, folder.Path, "backups", "drop", "snap", "--yes")).ExitCode);
    }
}
