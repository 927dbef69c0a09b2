using System.Text;
using Ferry.Journal;
using Ferry.Reports.Metrics;

namespace Ferry.Reports;

/// <summary>
/// A run's figures in Prometheus' text exposition format, for node_exporter's textfile collector: the run itself
/// (labels <c>kind</c>, <c>environment</c>, <c>outcome</c>), and what its document holds (a copy's tables, a
/// verification's statuses, migrations' timings). Written atomically: the collector never reads half a file.
/// The metrics are listed in docs/metrics.md.
/// </summary>
public static class MetricsFile
{
    /// <summary>The text of the run's metrics, one family after another, each with its HELP and TYPE.</summary>
    public static string Render(RunRecord run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var text = new Exposition();
        Label[] labels = [new("kind", run.Kind), new("environment", run.Environment ?? ""), new("outcome", RunRecord.Name(run.Outcome))];
        text.Gauge("ferry_run_success", "1 if the run ended ok (exit 0), else 0.", [new Sample(run.Outcome == RunOutcome.Ok ? 1 : 0, labels)]);
        if (run.ExitCode is { } exitCode)
            text.Gauge("ferry_run_exit_code", "The run's exit code: 0 ok, 1 problems found or failed, 2 a usage or configuration error, 130/143 cancelled.", [new Sample(exitCode, labels)]);
        if (run.Seconds is { } seconds)
            text.Gauge("ferry_run_duration_seconds", "Seconds from the run's start to its end.", [new Sample(seconds, labels)]);
        text.Gauge("ferry_run_start_timestamp_seconds", "When the run started, in seconds since the Unix epoch.", [new Sample(UnixSeconds(run.StartedAt), labels)]);
        if (run.EndedAt is { } ended)
            text.Gauge("ferry_run_end_timestamp_seconds", "When the run ended, in seconds since the Unix epoch.", [new Sample(UnixSeconds(ended), labels)]);
        text.Gauge("ferry_run_id", "The run's id in the journal (ferry.runs; ferry runs show ID).", [new Sample(run.Id, labels)]);

        if (run.Document is { } document)
        {
            switch (run.Kind)
            {
                case "copy":
                    CopyMetrics.Write(text, document);
                    if (document.Object("verify") is { } verification)
                        VerifyMetrics.Write(text, verification);
                    if (document.Object("check") is { } copyCheck)
                        CheckMetrics.Write(text, copyCheck);
                    break;
                case "verify":
                    VerifyMetrics.Write(text, document);
                    break;
                case "check":
                    CheckMetrics.Write(text, document);
                    break;
                case "migrate up" or "migrate down":
                    MigrateMetrics.Write(text, document);
                    if (document.Object("check") is { } migrateCheck)
                        CheckMetrics.Write(text, migrateCheck);
                    break;
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// Writes the run's metrics to <paramref name="path"/>: into a hidden temporary file beside it (not <c>*.prom</c>,
    /// so the collector skips it), flushed to disk, then renamed over the target in one step.
    /// </summary>
    /// <exception cref="FerryException">The folder does not exist, the path is a folder, or the file cannot be written.</exception>
    public static Task WriteAsync(RunRecord run, string path, CancellationToken cancellationToken = default)
    {
        var bytes = Encoding.UTF8.GetBytes(Render(run));
        cancellationToken.ThrowIfCancellationRequested();
        Ferry.Internal.AtomicFile.Write(path, "metrics file", "ferry.prom", FailureKind.Failed, stream => stream.Write(bytes));
        return Task.CompletedTask;
    }

    static double UnixSeconds(DateTimeOffset time) => time.ToUnixTimeMilliseconds() / 1000.0;
}
