using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Sources.Postgres;

/// <summary>A JSON fold on a PostgreSQL source: unstepped members' JSON made by the source's server, stepped ones in Ferry; verified.</summary>
public sealed class PostgresFoldTests : IDisposable
{
    static readonly Dictionary<string, string> NoEnvironment = [];

    readonly string _folder = Directory.CreateTempSubdirectory("ferry-pg-fold-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Folded_columns_of_a_postgresql_source_become_jsonb_and_the_copy_verifies_identical()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_fold_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_fold_target");
        await source.ExecuteAsync("""
            CREATE TABLE visits (id int PRIMARY KEY, path text NOT NULL, utm_source varchar(40), clicks int, score numeric(6,2), seen date, prefs jsonb, tags text[]);
            INSERT INTO visits VALUES
              (1, '/', ' Google ', 3, 0.50, '2024-01-02', '{"dark": true}', '{a,b}'),
              (2, '/pricing', NULL, NULL, NULL, NULL, NULL, NULL),
              (3, '/docs', 'Newsletter', 0, 12.25, '2024-02-29', '[1, null]', '{}');
            """);
        var transform = Path.Combine(_folder, "transform.yml");
        await File.WriteAllTextAsync(transform, """
            visits:
              columns:
                utm_source: { normalize: lower_trim }
              add:
                tracking: { json: [utm_source, clicks, score, seen, prefs, tags], drop: true }
            """);

        var copy = await CliRunner.RunAsync(NoEnvironment, _folder, "copy", source.Url, "--to", target.Url, "--transform", transform, "--verify", "--json");

        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.True(copy.Json().GetProperty("verify").GetProperty("ok").GetBoolean(), copy.Stdout);
        Assert.Equal(
            ["id", "path", "tracking"],
            (await target.RowsAsync("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'visits' ORDER BY ordinal_position")).Select(r => (string)r[0]!));
        Assert.Equal(
            [
                """{"seen": "2024-01-02", "tags": ["a", "b"], "prefs": {"dark": true}, "score": 0.50, "clicks": 3, "utm_source": "google"}""",
                "{}",
                """{"seen": "2024-02-29", "tags": [], "prefs": [1, null], "score": 12.25, "clicks": 0, "utm_source": "newsletter"}""",
            ],
            (await target.RowsAsync("SELECT tracking::text FROM visits ORDER BY id")).Select(r => (string)r[0]!));

        await target.ExecuteAsync("UPDATE visits SET tracking = tracking - 'clicks' WHERE id = 3");
        var verify = await CliRunner.RunAsync(NoEnvironment, _folder, "verify", source.Url, "--to", target.Url, "--transform", transform, "--json");
        Assert.True(verify.ExitCode == 1, verify.ToString());
        var difference = Assert.Single(verify.Json().GetProperty("tables").EnumerateArray().Single().GetProperty("differences").EnumerateArray());
        Assert.Equal(3L, difference.GetProperty("key").GetProperty("id").GetInt64());
    }
}
