using System.Text.Json;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Migrations;

/// <summary><c>migrate up --json</c> names each applied migration's files, and the journal keeps that document for a rollback.</summary>
public sealed class RunDocumentTests
{
    [Fact]
    public async Task Each_step_names_its_version_name_file_and_down_file_and_the_journal_holds_them()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_a.up.sql", "CREATE TABLE a (id int);");
        var down = folder.Write("001_a.down.sql", "DROP TABLE a;");
        folder.Write("V2__b.sql", "CREATE TABLE b (id int);");

        var up = await CliRunner.RunAsync(new Dictionary<string, string>(), folder.Path, "migrate", "up", "--database", db.Url, "--dir", folder.Path, "--json");

        Assert.True(up.ExitCode == 0, up.ToString());
        (string?, string?, string?, string?)[] expected = [("001", "a", "001_a.up.sql", down), ("2", "b", "V2__b.sql", null)];
        static (string?, string?, string?, string?) Step(JsonElement s) =>
            (s.GetProperty("version").GetString(), s.GetProperty("name").GetString(), s.GetProperty("file").GetString(), s.GetProperty("down").GetString());
        Assert.Equal(expected, up.Json().GetProperty("steps").EnumerateArray().Select(Step));
        var journal = await db.ScalarAsync<string>("SELECT document::text FROM ferry.runs WHERE kind = 'migrate up'");
        using var recorded = JsonDocument.Parse(journal);
        Assert.Equal(expected, recorded.RootElement.GetProperty("steps").EnumerateArray().Select(Step));
    }
}
