using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;

namespace Ferry.Tests.Transforms;

/// <summary>A transform's <c>add: { name: { json: [columns…], drop: … } }</c>: planned, copied as jsonb, verified, refused naming its line.</summary>
public sealed class JsonFoldTests : IDisposable
{
    static readonly Dictionary<string, string> NoEnvironment = [];

    readonly string _folder = Directory.CreateTempSubdirectory("ferry-json-fold-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static SqliteTestFile Visits() => new(
        "CREATE TABLE visits (id INTEGER PRIMARY KEY, path TEXT NOT NULL, utm_source TEXT, utm_medium TEXT, referrer TEXT, clicks INTEGER, score REAL, repeat_visit BOOLEAN, seen DATE)",
        "CREATE INDEX visits_source ON visits (utm_source)",
        """
        INSERT INTO visits VALUES
          (1, '/', ' Google ', 'cpc', 'https://google.com/?q="ferry"', 3, 0.5, 1, '2024-01-02'),
          (2, '/pricing', NULL, NULL, NULL, NULL, NULL, NULL, NULL),
          (3, '/docs', 'Newsletter', 'email', NULL, 0, 1e20, 0, '2024-02-29')
        """);

    async Task<string> TransformFile(string yaml)
    {
        var path = Path.Combine(_folder, "transform.yml");
        await File.WriteAllTextAsync(path, yaml);
        return path;
    }

    const string Tracking = """
        visits:
          columns:
            utm_source: { normalize: lower_trim }
          add:
            tracking: { json: [utm_source, utm_medium, referrer, clicks, score, repeat_visit, seen], drop: true }
        """;

    [Fact]
    public async Task Folded_columns_become_one_jsonb_object_without_their_nulls_and_the_copy_verifies_identical()
    {
        using var file = Visits();
        await using var db = await TestCluster.CreateDatabaseAsync("json_fold");
        var transform = await TransformFile(Tracking);

        var report = Path.Combine(_folder, "report.html");
        var copy = await CliRunner.RunAsync(NoEnvironment, _folder, "copy", "sqlite:" + file.Path, "--to", db.Url, "--transform", transform, "--verify", "--json", "--report", report);

        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.True(copy.Json().GetProperty("verify").GetProperty("ok").GetBoolean(), copy.Stdout);
        var summary = copy.Json().GetProperty("transforms").EnumerateArray().Single();
        Assert.Equal("visits", summary.GetProperty("table").GetString());
        const string Added = "tracking added: jsonb of utm_source, utm_medium, referrer, clicks, score, repeat_visit, seen (utm_source, utm_medium, referrer, clicks, score, repeat_visit, seen not kept)";
        Assert.Equal(["utm_source: lower-cased and trimmed", Added], summary.GetProperty("changes").EnumerateArray().Select(c => c.GetString()));
        Assert.Contains(Added, await File.ReadAllTextAsync(report), StringComparison.Ordinal);
        Assert.Equal(
            ["id", "path", "tracking"],
            (await db.RowsAsync("SELECT column_name FROM information_schema.columns WHERE table_name = 'visits' ORDER BY ordinal_position")).Select(r => (string)r[0]!));
        Assert.Equal("jsonb", await db.ScalarAsync<string>("SELECT data_type FROM information_schema.columns WHERE table_name = 'visits' AND column_name = 'tracking'"));
        var tracking = (await db.RowsAsync("SELECT tracking::text FROM visits ORDER BY id")).Select(r => (string)r[0]!).ToList();
        Assert.Equal(
            """{"seen": "2024-01-02", "score": 0.5, "clicks": 3, "referrer": "https://google.com/?q=\"ferry\"", "utm_medium": "cpc", "utm_source": "google", "repeat_visit": true}""",
            tracking[0]);
        Assert.Equal("{}", tracking[1]);
        Assert.Equal(
            """{"seen": "2024-02-29", "score": 100000000000000000000, "clicks": 0, "utm_medium": "email", "utm_source": "newsletter", "repeat_visit": false}""",
            tracking[2]);
        // The index on a column folded away is not made, as PostgreSQL drops it with the column.
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_indexes WHERE indexname = 'visits_source'"));

        await db.ExecuteAsync("UPDATE visits SET tracking = tracking || '{\"clicks\": 4}' WHERE id = 1");
        var verify = await CliRunner.RunAsync(NoEnvironment, _folder, "verify", "sqlite:" + file.Path, "--to", db.Url, "--transform", transform, "--json");
        Assert.True(verify.ExitCode == 1, verify.ToString());
        var differences = verify.Json().GetProperty("tables").EnumerateArray().Single().GetProperty("differences").EnumerateArray().ToList();
        Assert.Equal(1L, Assert.Single(differences).GetProperty("key").GetProperty("id").GetInt64());
    }

    [Fact]
    public async Task Without_drop_the_folded_columns_stay_and_the_dry_run_shows_the_added_column()
    {
        using var file = Visits();
        await using var db = await TestCluster.CreateDatabaseAsync("json_fold_keep");
        var transform = await TransformFile("visits:\n  add:\n    campaign: { json: [utm_source, utm_medium] }\n");

        var plan = await CliRunner.RunAsync(NoEnvironment, _folder, "copy", "sqlite:" + file.Path, "--to", db.Url, "--transform", transform, "--dry-run", "--json");
        Assert.True(plan.ExitCode == 0, plan.ToString());
        var campaign = plan.Json().GetProperty("mapping").EnumerateArray().Single(m => m.GetProperty("target").GetString() == "public.visits.campaign");
        Assert.Equal("jsonb", campaign.GetProperty("target_type").GetString());
        Assert.Equal("json of utm_source, utm_medium → jsonb", campaign.GetProperty("rule").GetString());

        var copy = await CliRunner.RunAsync(NoEnvironment, _folder, "copy", "sqlite:" + file.Path, "--to", db.Url, "--transform", transform, "--verify");
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal(
            [" Google |{\"utm_medium\": \"cpc\", \"utm_source\": \" Google \"}", "|{}", "Newsletter|{\"utm_medium\": \"email\", \"utm_source\": \"Newsletter\"}"],
            (await db.RowsAsync("SELECT coalesce(utm_source, '') || '|' || campaign::text FROM visits ORDER BY id")).Select(r => (string)r[0]!));
    }

    [Theory]
    [InlineData("visits:\n  add:\n    tracking: { json: [utm_sauce] }\n", "the table has no column 'utm_sauce' (did you mean 'utm_source'?)")]
    [InlineData("visits:\n  add:\n    tracking: { json: [id, utm_source], drop: true }\n", "its primary key (id) uses a column drop: true takes out of the table")]
    [InlineData("visits:\n  columns:\n    referrer: { drop: true }\n  add:\n    tracking: { json: [referrer] }\n", "referrer is dropped by the transform (drop: true), so it is not read")]
    [InlineData("visits:\n  add:\n    tracking: { json: [utm_source, utm_source] }\n", "names the column 'utm_source' twice")]
    [InlineData("visits:\n  add:\n    path: { json: [utm_source] }\n", "the table already has a column named path")]
    public async Task A_fold_that_cannot_be_made_is_refused_naming_its_line_before_anything_is_written(string yaml, string expected)
    {
        using var file = Visits();
        await using var db = await TestCluster.CreateDatabaseAsync("json_fold_refused");
        var transform = await TransformFile(yaml);

        var copy = await CliRunner.RunAsync(NoEnvironment, _folder, "copy", "sqlite:" + file.Path, "--to", db.Url, "--transform", transform);

        Assert.True(copy.ExitCode == 2, copy.ToString());
        Assert.Contains(expected, copy.Stderr, StringComparison.Ordinal);
        Assert.Contains($"{transform}, line ", copy.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }
}
