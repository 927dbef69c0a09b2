using System.Text.Json;
using System.Text.RegularExpressions;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Sync;

/// <summary><c>ferry sync status</c>: lag, rows behind, exit 1 over <c>--max-lag</c> and after a failed run, its JSON and its metrics file.</summary>
public sealed partial class SyncStatusTests : IDisposable
{
    readonly TempDirectory _folder = new("ferry-sync-status-");

    public void Dispose() => _folder.Dispose();

    string Source() => SyncSqlite.Items(_folder.Path, """
        CREATE TABLE versions (id INTEGER PRIMARY KEY, version INTEGER NOT NULL);
        INSERT INTO versions VALUES (1, 10), (2, 11);
        """);

    static string Compact(CliResult result) => JsonSerializer.Serialize(result.Json());

    /// <summary>Times and durations masked: they differ run to run.</summary>
    static string Masked(string text) =>
        Timestamps().Replace(Seconds().Replace(text, m => m.Groups[1].Value + "X"), "TIME");

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z")]
    private static partial Regex Timestamps();

    [GeneratedRegex(@"((?<!max_)(?:lag_seconds|since_success_seconds|last_success_timestamp)(?:\{[^}]*\} |"":))[0-9.e+E-]+")]
    private static partial Regex Seconds();

    [Fact]
    public async Task Status_reports_lag_and_rows_behind_and_exits_1_over_max_lag()
    {
        var path = Source();
        await using var db = await TestCluster.CreateDatabaseAsync("syncstatus");
        var sync = await CliRunner.RunAsync("sync", "sqlite:" + path, "--to", db.Url, "--watermark", "updated_at", "--watermark", "versions=version");
        Assert.True(sync.ExitCode == 0, sync.ToString());

        // Without the source: the lag of a timestamp watermark is now less its newest change (2026-12-01 11:00, days ago).
        var status = await CliRunner.RunAsync("sync", "status", "--to", db.Url, "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var items = status.Json().GetProperty("tables")[0];
        Assert.Equal("public.items", items.GetProperty("table").GetString());
        Assert.True(items.GetProperty("lag_seconds").GetDouble() >= (DateTimeOffset.UtcNow - new DateTimeOffset(2026, 12, 1, 11, 0, 0, TimeSpan.Zero)).TotalSeconds - 1);
        Assert.Equal(JsonValueKind.Null, items.GetProperty("rows_behind").ValueKind);

        var overMax = await CliRunner.RunAsync("sync", "status", "--to", db.Url, "--max-lag", "2h");
        Assert.True(overMax.ExitCode == 1, overMax.ToString());
        Assert.Contains("over --max-lag", overMax.Stdout, StringComparison.Ordinal);

        // With the source: nothing above the watermarks, so the target is current, its lag the time since the last success.
        var current = await CliRunner.RunAsync("sync", "status", "sqlite:" + path, "--to", db.Url, "--max-lag", "2h", "--json");
        Assert.True(current.ExitCode == 0, current.ToString());
        Assert.Equal(
            """{"ok":true,"max_lag_seconds":7200,"tables":[{"table":"public.items","mode":"copy","watermark":"2026-12-01 11:00:00","last_success":"TIME","lag_seconds":X,"rows_behind":0,"last_error":null,"source":"SOURCE","source_table":"items","watermark_column":"updated_at","last_run":"TIME","newest_change":"TIME","since_success_seconds":X,"deletes_pending":null,"over_max_lag":false},{"table":"public.versions","mode":"copy","watermark":"11","last_success":"TIME","lag_seconds":X,"rows_behind":0,"last_error":null,"source":"SOURCE","source_table":"versions","watermark_column":"version","last_run":"TIME","newest_change":null,"since_success_seconds":X,"deletes_pending":null,"over_max_lag":false}]}""",
            Masked(Compact(current)).Replace(JsonEncodedText.Encode("sqlite:" + path).ToString(), "SOURCE", StringComparison.Ordinal));
        Assert.True(current.Json().GetProperty("tables")[0].GetProperty("lag_seconds").GetDouble() < 7200);

        // Rows above the watermarks, counted in the source: behind, and an old change not yet synced is over --max-lag.
        SyncSqlite.Run(path, "INSERT INTO items VALUES (3, 'c', '2026-12-02 09:00:00'), (4, 'd', '2026-12-02 10:00:00'); INSERT INTO versions VALUES (3, 12);");
        var behind = await CliRunner.RunAsync("sync", "status", "sqlite:" + path, "--to", db.Url, "--max-lag", "2h", "--json");
        Assert.Equal(1, behind.ExitCode);
        var tables = behind.Json().GetProperty("tables");
        Assert.Equal(2, tables[0].GetProperty("rows_behind").GetInt64());
        Assert.True(tables[0].GetProperty("over_max_lag").GetBoolean());
        Assert.Equal(1, tables[1].GetProperty("rows_behind").GetInt64());
        Assert.False(behind.Json().GetProperty("ok").GetBoolean());
    }

    [Fact]
    public async Task A_failed_last_run_exits_1_and_the_metrics_file_says_so()
    {
        var path = Source();
        await using var db = await TestCluster.CreateDatabaseAsync("syncstatus");
        Assert.Equal(0, (await CliRunner.RunAsync("sync", "sqlite:" + path, "--to", db.Url, "--tables", "items", "--watermark", "updated_at")).ExitCode);
        var metrics = Path.Combine(_folder.Path, "sync.prom");

        var ok = await CliRunner.RunAsync("sync", "status", "sqlite:" + path, "--to", db.Url, "--metrics", metrics);
        Assert.True(ok.ExitCode == 0, ok.ToString());
        var source = "sqlite:" + path;
        Assert.Equal($$"""
            # HELP ferry_sync_lag_seconds How far behind the table is: now less the newest change synced (the seconds since the last success when that is unknown or the source has nothing newer).
            # TYPE ferry_sync_lag_seconds gauge
            ferry_sync_lag_seconds{table="public.items",source="{{source}}"} X
            # HELP ferry_sync_since_success_seconds Seconds since the table's last successful sync.
            # TYPE ferry_sync_since_success_seconds gauge
            ferry_sync_since_success_seconds{table="public.items",source="{{source}}"} X
            # HELP ferry_sync_rows_behind Source rows above the table's watermark (counted when ferry sync status is given the source).
            # TYPE ferry_sync_rows_behind gauge
            ferry_sync_rows_behind{table="public.items",source="{{source}}"} 0
            # HELP ferry_sync_last_success_timestamp When the table last synced successfully, in seconds since the Unix epoch.
            # TYPE ferry_sync_last_success_timestamp gauge
            ferry_sync_last_success_timestamp{table="public.items",source="{{source}}"} X
            # HELP ferry_sync_failed 1 if the table's last sync run failed (its error in ferry sync status), else 0.
            # TYPE ferry_sync_failed gauge
            ferry_sync_failed{table="public.items",source="{{source}}"} 0
            # HELP ferry_sync_status_ok 1 if no table's last run failed and none is behind by more than --max-lag (ferry sync status exits 0), else 0.
            # TYPE ferry_sync_status_ok gauge
            ferry_sync_status_ok 1

            """.ReplaceLineEndings("\n"), Masked(await File.ReadAllTextAsync(metrics)));

        // A run stopped by a schema change: status exits 1 naming it, the metrics say failed, the watermark stays.
        SyncSqlite.Run(path, "ALTER TABLE items ADD COLUMN extra TEXT;");
        Assert.Equal(1, (await CliRunner.RunAsync("sync", "sqlite:" + path, "--to", db.Url, "--tables", "items", "--watermark", "updated_at", "--on-schema-change", "fail")).ExitCode);
        var failed = await CliRunner.RunAsync("sync", "status", "--to", db.Url, "--metrics", metrics, "--json");
        Assert.Equal(1, failed.ExitCode);
        var table = failed.Json().GetProperty("tables")[0];
        Assert.Contains("column extra (text) is new in items", table.GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Equal("2026-12-01 11:00:00", table.GetProperty("watermark").GetString());
        var text = await File.ReadAllTextAsync(metrics);
        Assert.Contains($"ferry_sync_failed{{table=\"public.items\",source=\"{source}\"}} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("ferry_sync_status_ok 0\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("ferry_sync_rows_behind", text, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder.Path, ".*"));
    }

    [Fact]
    public async Task Status_of_a_database_never_synced_is_ok_and_empty()
    {
        await using var db = await TestCluster.CreateDatabaseAsync("syncstatus");
        var status = await CliRunner.RunAsync("sync", "status", "--to", db.Url, "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Equal("""{"ok":true,"max_lag_seconds":null,"tables":[]}""", Compact(status));
        var bad = await CliRunner.RunAsync("sync", "status", "--to", db.Url, "--max-lag", "soon");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("--max-lag 'soon': write an interval", bad.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_behind_are_counted_on_a_PostgreSQL_source_by_its_schema_qualified_table()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("syncstatussrc");
        await using var db = await TestCluster.CreateDatabaseAsync("syncstatus");
        await source.ExecuteAsync("""
            CREATE TABLE events (id int PRIMARY KEY, kind text NOT NULL, updated_at timestamptz NOT NULL);
            INSERT INTO events VALUES (1, 'a', '2026-12-01 10:00+00'), (2, 'b', '2026-12-01 11:00+00');
            """);
        var sync = await CliRunner.RunAsync("sync", source.Url, "--to", db.Url, "--watermark", "updated_at");
        Assert.True(sync.ExitCode == 0, sync.ToString());
        // The watermark's own instant is not behind; the two after it are.
        await source.ExecuteAsync("INSERT INTO events VALUES (3, 'c', '2026-12-01 11:00+00'), (4, 'd', '2026-12-02 09:00+00'), (5, 'e', '2026-12-02 10:00+00');");

        var status = await CliRunner.RunAsync("sync", "status", source.Url, "--to", db.Url, "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        var events = Assert.Single(status.Json().GetProperty("tables").EnumerateArray());
        Assert.Equal("public.events", events.GetProperty("table").GetString());
        Assert.Equal("public.events", events.GetProperty("source_table").GetString());
        Assert.Equal(2, events.GetProperty("rows_behind").GetInt64());
        Assert.Equal("2026-12-01T11:00:00.000Z", events.GetProperty("newest_change").GetString());
    }
}
