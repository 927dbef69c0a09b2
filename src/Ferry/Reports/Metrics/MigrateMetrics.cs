using System.Globalization;
using System.Text.Json;

namespace Ferry.Reports.Metrics;

/// <summary><c>migrate up</c> or <c>down</c> (its document): the migrations run, each one's time, and a failure.</summary>
internal static class MigrateMetrics
{
    public static void Write(Exposition text, JsonElement document)
    {
        if (document.Length("steps") is not { } steps)
            return;
        text.Gauge("ferry_migrate_applied", "Migrations the run applied (migrate up) or reverted (migrate down) and recorded.", steps);
        text.Gauge(
            "ferry_migrate_execution_seconds",
            "Seconds each migration took, by version (empty for a repeatable migration) and name.",
            document.Array("steps").Samples(
                s => s.Number("execution_ms") / 1000,
                s => [new("version", s.Text("version") ?? ""), new("name", s.Text("name") ?? "")]));
        var error = document.Object("error");
        text.Gauge("ferry_migrate_failed", "1 if a migration failed (its changes rolled back, when it ran in a transaction), else 0.", error is null && document.Flag("ok") != false ? 0 : 1);
        if (error is { } failed)
        {
            text.Gauge(
                "ferry_migrate_failure_info",
                "The migration that failed: its file and the line of the statement PostgreSQL refused (empty when unknown).",
                [new Sample(1, new Label("file", failed.Text("file") ?? ""), new Label("line", failed.Number("line") is { } line ? line.ToString(CultureInfo.InvariantCulture) : ""))]);
        }
    }
}
