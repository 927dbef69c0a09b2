using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Backup;

/// <summary><c>ferry backup --file</c> and <c>ferry restore PATH</c> from the command line, into another database too.</summary>
public sealed class FileBackupCliTests
{
    static readonly Dictionary<string, string> NoEnvironment = [];

    [Fact]
    public async Task A_file_backup_restores_by_its_path_into_a_database_that_never_had_it()
    {
        await using var source = await BackupSchemaFixture.CreateAsync();
        await using var other = await TestCluster.CreateDatabaseAsync("restored");
        using var folder = new TempDirectory("ferry-file-cli-");
        Directory.CreateDirectory(folder.Path);
        var before = await BackupSchemaFixture.StateAsync(source);

        var backup = await CliRunner.RunAsync(NoEnvironment, folder.Path, "backup", "--file", "shop.dump", "--tables", "parent,child", "--database", source.Url, "--json");

        Assert.True(backup.ExitCode == 0, backup.ToString());
        var archive = Path.Combine(folder.Path, "shop.dump");
        Assert.Equal(("file", archive), (backup.Json().GetProperty("kind").GetString(), backup.Json().GetProperty("file").GetString()));
        var listed = await CliRunner.RunAsync("backups", "--database", source.Url);
        Assert.Contains("file", listed.Stdout, StringComparison.Ordinal);

        var restore = await CliRunner.RunAsync(NoEnvironment, folder.Path, "restore", "./shop.dump", "--database", other.Url, "--json");

        Assert.True(restore.ExitCode == 0, restore.ToString());
        var tables = restore.Json().GetProperty("tables").EnumerateArray().ToList();
        Assert.Equal(2, tables.Count);
        Assert.All(tables, t => Assert.True(t.GetProperty("proven").GetBoolean(), t.ToString()));
        Assert.Equal(before, await BackupSchemaFixture.StateAsync(other));
        Assert.Equal(0L, await other.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname = 'backups' AND relnamespace::regnamespace::text = 'ferry'"));
    }

    [Fact]
    public async Task A_path_without_a_manifest_beside_it_is_refused()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new TempDirectory("ferry-file-cli-");
        Directory.CreateDirectory(folder.Path);
        await File.WriteAllTextAsync(Path.Combine(folder.Path, "stray.dump"), "PGDMP");

        var refused = await CliRunner.RunAsync(NoEnvironment, folder.Path, "restore", "stray.dump", "--database", db.Url);

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("stray.dump has no manifest beside it", refused.Stderr, StringComparison.Ordinal);
    }
}
