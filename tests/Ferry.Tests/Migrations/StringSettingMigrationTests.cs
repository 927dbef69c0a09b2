using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Migrations;

/// <summary>
/// Migration files with backslashes in their strings mean the same on every database: Ferry runs them with
/// standard_conforming_strings on (a database set to off included), and follows a file's own SET of it (docs/migrate.md).
/// </summary>
public sealed class StringSettingMigrationTests
{
    static void WriteFolder(MigrationFolder folder)
    {
        folder.Write("001_paths.up.sql", """
            CREATE TABLE s (id int PRIMARY KEY, v text);
            INSERT INTO s VALUES (1, E'a\nb'), (2, 'C:\path'), (3, 'it''s'), (4, E'tab\t\\'), (5, current_setting('standard_conforming_strings'));
            """);
        // Written for the old setting, as an old pg_dump writes it: the SET holds to the end of the file.
        folder.Write("002_legacy_syntax.up.sql", """
            SET standard_conforming_strings = off;
            INSERT INTO s VALUES (6, 'C:\\path');
            INSERT INTO s SELECT 7, 'it\'s; one string';
            """);
        folder.Write("003_after.up.sql", """
            INSERT INTO s VALUES (8, 'D:\'), (9, current_setting('standard_conforming_strings'));
            """);
        folder.Write("004_outside_a_transaction.up.sql", """
            -- ferry:no-transaction
            SET standard_conforming_strings = off;
            INSERT INTO s SELECT 10, 'x\\y; z\'';
            """);
        folder.Write("005_last.up.sql", "INSERT INTO s VALUES (11, 'E:\\'), (12, current_setting('standard_conforming_strings'));");
    }

    static readonly object?[][] Expected =
    [
        [1, "a\nb"], [2, @"C:\path"], [3, "it's"], [4, "tab\t\\"], [5, "on"], [6, @"C:\path"], [7, "it's; one string"],
        [8, @"D:\"], [9, "on"], [10, @"x\y; z'"], [11, @"E:\"], [12, "on"],
    ];

    static Task<CliResult> MigrateAsync(TestDatabase db, MigrationFolder folder, string command) =>
        CliRunner.RunAsync(new Dictionary<string, string>(), folder.Path, "migrate", command, "--database", db.Url, "--dir", folder.Path, "--json");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Backslash_strings_apply_and_record_alike_whatever_the_databases_setting(bool legacyDatabase)
    {
        await using var db = legacyDatabase ? await TestCluster.CreateLegacyStringsDatabaseAsync() : await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        WriteFolder(folder);

        var up = await MigrateAsync(db, folder, "up");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(5, up.Json().GetProperty("steps").GetArrayLength());
        Assert.Equal(Expected, (await db.RowsAsync("SELECT id, v FROM s ORDER BY id")).ToArray());

        var validate = await MigrateAsync(db, folder, "validate");
        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.Equal(5L, await db.ScalarAsync<long>("SELECT count(*) FROM schema_migrations WHERE success"));
    }
}
