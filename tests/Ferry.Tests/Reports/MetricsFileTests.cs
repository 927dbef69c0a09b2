using System.Text.Json;
using Ferry.Journal;
using Ferry.Reports;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Migrations;
using Ferry.Tests.Sqlite;

namespace Ferry.Tests.Reports;

/// <summary>A run's metrics for node_exporter's textfile collector: real documents rendered, escaped, written atomically.</summary>
public sealed class MetricsFileTests : IDisposable
{
    static readonly DateTimeOffset Started = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    readonly TempDirectory _folder = new("ferry-metrics-");

    public void Dispose() => _folder.Dispose();

    static RunRecord Run(string kind, RunOutcome outcome, int exitCode, JsonElement? document, string? environment = "prod") =>
        new(7, kind, "ferry " + kind, "0.1.0", environment, "postgres://app@db/app", "host", "user", Started, Started.AddSeconds(12.5), outcome, exitCode, document, null);

    /// <summary>The series of the text (checked against the format's grammar), by name and then label values.</summary>
    static Dictionary<string, double> Series(RunRecord run)
    {
        var text = MetricsFile.Render(run);
        return ExpositionGrammar.Parse(text).ToDictionary(s => s.Name + string.Concat(s.Labels.Select(l => $"|{l.Key}={l.Value}")), s => s.Value);
    }

    [Fact]
    public async Task A_copy_with_rejects_has_its_run_table_and_total_figures()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE Book (Id INTEGER PRIMARY KEY, Pages INTEGER)",
            "INSERT INTO Book VALUES (1, 100), (2, 'lots'), (3, 300)",
            "CREATE TABLE Shelf (Id INTEGER PRIMARY KEY)",
            "INSERT INTO Shelf VALUES (1), (2)");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var copy = await CliRunner.RunAsync(new Dictionary<string, string>(), _folder.Path, "copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", Path.Combine(_folder.Path, "rejects"), "--json");
        Assert.True(copy.ExitCode == 1, copy.ToString());

        var series = Series(Run("copy", RunOutcome.Problems, 1, copy.Json()));

        const string Run_ = "|kind=copy|environment=prod|outcome=problems";
        Assert.Equal(0, series["ferry_run_success" + Run_]);
        Assert.Equal(1, series["ferry_run_exit_code" + Run_]);
        Assert.Equal(12.5, series["ferry_run_duration_seconds" + Run_]);
        Assert.Equal(Started.ToUnixTimeSeconds(), series["ferry_run_start_timestamp_seconds" + Run_]);
        Assert.Equal(Started.ToUnixTimeSeconds() + 12.5, series["ferry_run_end_timestamp_seconds" + Run_]);
        Assert.Equal(7, series["ferry_run_id" + Run_]);
        Assert.Equal((3, 2, 1, 0), (series["ferry_copy_table_rows_read|table=public.book"], series["ferry_copy_table_rows_written|table=public.book"], series["ferry_copy_table_rows_rejected|table=public.book"], series["ferry_copy_table_rows_repaired|table=public.book"]));
        Assert.Equal((2, 0), (series["ferry_copy_table_rows_written|table=public.shelf"], series["ferry_copy_table_rows_rejected|table=public.shelf"]));
        Assert.True(series.ContainsKey("ferry_copy_table_seconds|table=public.shelf"));
        Assert.Equal((2, 5, 4, 1), (series["ferry_copy_tables"], series["ferry_copy_rows_read"], series["ferry_copy_rows_written"], series["ferry_copy_rows_rejected"]));
        Assert.True(series.ContainsKey("ferry_copy_phase_seconds|phase=load"));
        Assert.Equal((0, 0), (series["ferry_copy_orphan_rows"], series["ferry_copy_failures"]));
        Assert.DoesNotContain(series.Keys, k => k.StartsWith("ferry_verify_", StringComparison.Ordinal) || k.StartsWith("ferry_migrate_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_verify_with_a_difference_counts_tables_by_status_and_the_differing_rows()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE A (Id INTEGER PRIMARY KEY, V TEXT)",
            "INSERT INTO A VALUES (1, 'x'), (2, 'y'), (3, 'z')",
            "CREATE TABLE B (Id INTEGER PRIMARY KEY)",
            "INSERT INTO B VALUES (1)");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var copy = await CliRunner.RunAsync(new Dictionary<string, string>(), _folder.Path, "copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", Path.Combine(_folder.Path, "rejects"));
        Assert.True(copy.ExitCode == 0, copy.ToString());
        await db.ExecuteAsync("UPDATE a SET v = 'changed' WHERE id = 2");
        var verify = await CliRunner.RunAsync(new Dictionary<string, string>(), _folder.Path, "verify", "sqlite:" + file.Path, "--to", db.Url, "--json");
        Assert.True(verify.ExitCode == 1, verify.ToString());

        var series = Series(Run("verify", RunOutcome.Problems, 1, verify.Json(), environment: null));

        Assert.Equal(0, series["ferry_run_success|kind=verify|environment=|outcome=problems"]);
        Assert.Equal((1, 1, 0, 0), (series["ferry_verify_tables|status=ok"], series["ferry_verify_tables|status=different"], series["ferry_verify_tables|status=missing"], series["ferry_verify_tables|status=integrity"]));
        Assert.Equal((1, 0), (series["ferry_verify_table_differing_rows|table=public.a"], series["ferry_verify_table_differing_rows|table=public.b"]));
        Assert.Equal((0, 1), (series["ferry_verify_table_ok|table=public.a"], series["ferry_verify_table_ok|table=public.b"]));
        Assert.Equal((3, 3), (series["ferry_verify_table_source_rows|table=public.a"], series["ferry_verify_table_target_rows|table=public.a"]));
        Assert.DoesNotContain(series.Keys, k => k.StartsWith("ferry_copy_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Migrate_up_with_a_failure_has_the_applied_timings_and_the_failed_file()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var folder = new MigrationFolder();
        folder.Write("001_create.up.sql", "CREATE TABLE t (id int);\n");
        folder.Write("002_fill.up.sql", "INSERT INTO t VALUES (1);\n");
        folder.Write("003_bad.up.sql", "INSERT INTO t VALUES (2);\n\nINSERT INTO t VALUES ('not a number');\n");
        folder.Write("R__view.sql", "CREATE OR REPLACE VIEW v AS SELECT 1 AS one;\n");
        var up = await CliRunner.RunAsync(new Dictionary<string, string>(), folder.Path, "migrate", "up", "--database", db.Url, "--dir", folder.Path, "--json");
        Assert.True(up.ExitCode == 1, up.ToString());

        var series = Series(Run("migrate up", RunOutcome.Problems, 1, up.Json()));

        Assert.Equal(0, series["ferry_run_success|kind=migrate up|environment=prod|outcome=problems"]);
        Assert.Equal(2, series["ferry_migrate_applied"]);
        Assert.Equal(["version=001|name=create", "version=002|name=fill"], series.Keys.Where(k => k.StartsWith("ferry_migrate_execution_seconds|", StringComparison.Ordinal)).Select(k => k["ferry_migrate_execution_seconds|".Length..]).Order());
        Assert.Equal(1, series["ferry_migrate_failed"]);
        var failedFile = up.Json().GetProperty("error").GetProperty("file").GetString()!;
        Assert.EndsWith("003_bad.up.sql", failedFile, StringComparison.Ordinal);
        Assert.Equal(1, series[$"ferry_migrate_failure_info|file={failedFile}|line=3"]);
    }

    [Fact]
    public void A_migrate_up_that_succeeded_is_not_failed_and_a_repeatable_has_an_empty_version()
    {
        using var document = JsonDocument.Parse("""
            {"ok":true,"history_table":"public.schema_migrations","dry_run":false,"steps":[
              {"version":"1","name":"create","kind":"versioned","file":"1_create.up.sql","transactional":true,"execution_ms":1500},
              {"version":null,"name":"view","kind":"repeatable","file":"R__view.sql","transactional":true,"execution_ms":20}],"sql":null}
            """);

        var series = Series(Run("migrate up", RunOutcome.Ok, 0, document.RootElement));

        Assert.Equal(1, series["ferry_run_success|kind=migrate up|environment=prod|outcome=ok"]);
        Assert.Equal((2, 0), (series["ferry_migrate_applied"], series["ferry_migrate_failed"]));
        Assert.Equal((1.5, 0.02), (series["ferry_migrate_execution_seconds|version=1|name=create"], series["ferry_migrate_execution_seconds|version=|name=view"]));
        Assert.DoesNotContain(series.Keys, k => k.StartsWith("ferry_migrate_failure_info", StringComparison.Ordinal));
    }

    [Fact]
    public void Label_values_are_escaped_and_a_run_without_a_document_has_its_run_figures_only()
    {
        const string Name = "a\"b\\c\nd";
        using var document = JsonDocument.Parse(JsonSerializer.Serialize(new
        {
            tables = new[] { new { source = Name, target = Name, rows_read = 5, rows_written = 5, rows_rejected = 0, seconds = 0.25, rows_repaired = 0, resumed = false } },
        }));

        var text = MetricsFile.Render(Run("copy", RunOutcome.Ok, 0, document.RootElement, environment: "e\"n\\v"));

        Assert.Contains("ferry_copy_table_rows_read{table=\"a\\\"b\\\\c\\nd\"} 5\n", text, StringComparison.Ordinal);
        Assert.Contains("ferry_run_id{kind=\"copy\",environment=\"e\\\"n\\\\v\",outcome=\"ok\"} 7\n", text, StringComparison.Ordinal);
        var series = ExpositionGrammar.Parse(text);
        Assert.Equal(Name, series.First(s => s.Name == "ferry_copy_table_seconds").Labels["table"]);
        Assert.Equal(0.25, series.First(s => s.Name == "ferry_copy_table_seconds").Value);

        var running = Run("copy", RunOutcome.Running, 0, null) with { EndedAt = null, ExitCode = null };
        var names = ExpositionGrammar.Parse(MetricsFile.Render(running)).Select(s => s.Name);
        Assert.Equal(["ferry_run_success", "ferry_run_start_timestamp_seconds", "ferry_run_id"], names);
    }

    [Fact]
    public async Task The_file_is_replaced_atomically_and_no_temporary_file_is_left()
    {
        var path = Path.Combine(Directory.CreateDirectory(_folder.Path).FullName, "ferry.prom");
        await File.WriteAllTextAsync(path, "# an older run's metrics\nferry_run_id 1\n");
        var run = Run("verify", RunOutcome.Ok, 0, null);

        await MetricsFile.WriteAsync(run, path);

        Assert.Equal(MetricsFile.Render(run), await File.ReadAllTextAsync(path));
        Assert.Equal(["ferry.prom"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));

        var missing = await Assert.ThrowsAsync<FerryException>(() => MetricsFile.WriteAsync(run, Path.Combine(_folder.Path, "no-such", "ferry.prom")));
        Assert.Contains($"the folder {Path.Combine(_folder.Path, "no-such")} does not exist", missing.Message, StringComparison.Ordinal);
        var folder = await Assert.ThrowsAsync<FerryException>(() => MetricsFile.WriteAsync(run, _folder.Path));
        Assert.Contains("it is a folder", folder.Message, StringComparison.Ordinal);
        Assert.Equal(["ferry.prom"], Directory.GetFiles(_folder.Path).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("m 1\n", "a sample without a TYPE")]
    [InlineData("# TYPE m gauge\nm{a=\"x\\t\"} 1\n", "escape \\t")]
    [InlineData("# TYPE m gauge\n# TYPE n gauge\nm 1\nn 1\nm{a=\"b\"} 2\n", "not together")]
    [InlineData("# TYPE m gauge\nm 1\nm 2\n", "a series twice")]
    [InlineData("# TYPE m gauge\nm{1a=\"x\"} 1\n", "bad label name")]
    [InlineData("# TYPE m gauge\nm one\n", "bad value")]
    public void The_grammar_check_refuses_what_the_format_does_not_allow(string text, string problem)
    {
        var refused = Assert.ThrowsAny<Exception>(() => ExpositionGrammar.Parse(text));
        Assert.Contains(problem, refused.Message, StringComparison.Ordinal);
    }
}
