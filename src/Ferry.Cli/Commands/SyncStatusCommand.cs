using System.CommandLine;
using System.Globalization;
using Ferry.Sync;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry sync status</c>: the synced tables' lag, rows behind and last errors; exit 1 for an alert.</summary>
internal static class SyncStatusCommand
{
    public static Command Create(CliHost host)
    {
        var sourceArgument = new Argument<string?>("SOURCE")
        {
            Description = "The source, as ferry sync takes it: only its tables, with the rows above each watermark counted there",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var to = SharedOptions.To();
        var table = new Option<string?>("--table") { Description = "The table a parquet: or csv: glob is (as ferry sync names it)", HelpName = "NAME" };
        var maxLag = new Option<string?>("--max-lag") { Description = "Exit 1 when a table is further behind than this (2h, 30m)", HelpName = "DURATION" };
        var metrics = new Option<string?>("--metrics") { Description = "Write the status to FILE in Prometheus' text format, atomically (for node_exporter's textfile collector; name it *.prom)", HelpName = "FILE" };
        var command = new Command("status", "Each synced table's last run, last success, watermark, lag, rows behind and last error; exit 1 when one failed or is further behind than --max-lag")
        {
            sourceArgument, to, table, maxLag, metrics,
        };
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var parse = invocation.ParseResult;
            var lag = parse.GetValue(maxLag) is { } text ? SyncSchedule.ParseInterval(text, "--max-lag") : (TimeSpan?)null;
            var source = parse.GetValue(sourceArgument);
            if (source is not null)
                invocation.WarnOfSourcePassword(source);
            var target = await invocation.ResolveTargetAsync(to, cancellationToken);
            var report = await SyncStatusReport.ReadAsync(target, source, parse.GetValue(table), host.WorkingDirectory, lag, DateTimeOffset.UtcNow, cancellationToken);
            if (parse.GetValue(metrics) is { } path)
                report.WriteMetrics(host.ResolvePath(path));
            Render(invocation, report);
            return report.Ok ? ExitCodes.Success : ExitCodes.Failed;
        });
        return command;
    }

    static void Render(Invocation invocation, SyncStatusReport report)
    {
        if (invocation.Json)
        {
            invocation.WriteJson(new SyncStatusDocument(report.Ok, report.MaxLag?.TotalSeconds, [.. report.Tables.Select(t => new SyncStatusTable(
                t.Table, t.Mode, t.Watermark, Time(t.LastSuccess), Seconds(t.LagSeconds), t.RowsBehind, t.LastError,
                t.Source, t.SourceTable, t.WatermarkColumn, Time(t.LastRun)!, Time(t.NewestChange), Seconds(t.SinceSuccessSeconds), t.DeletesPending, t.OverMaxLag))]));
            return;
        }

        var console = invocation.Human;
        if (report.Tables.Count == 0)
        {
            console.WriteLine("No table has been synced into this database yet (ferry.sync_state is empty).");
            return;
        }

        var summary = new Table().AddColumns("table", "mode", "watermark", "last success", "lag", "rows behind", "deletes pending", "status");
        foreach (var column in summary.Columns.Skip(4).Take(3))
            column.RightAligned();
        foreach (var t in report.Tables)
        {
            var status = t.Failed ? $"[red]failed:[/] {Markup.Escape(t.LastError!)}" : t.OverMaxLag ? "[yellow]over --max-lag[/]" : "[green]ok[/]";
            summary.AddRow(
                new Text(t.Table), new Text(t.Mode), new Text(t.Watermark ?? "—"), new Text(Time(t.LastSuccess) ?? "never"),
                new Text(t.LagSeconds is { } lag ? Duration(lag) : "—"), new Text(t.RowsBehind?.ToString("N0", CultureInfo.InvariantCulture) ?? "—"),
                new Text(t.DeletesPending?.ToString("N0", CultureInfo.InvariantCulture) ?? "—"), new Markup(status));
        }

        console.Write(summary);
        var failed = report.Tables.Count(t => t.Failed);
        var behind = report.Tables.Count(t => !t.Failed && t.OverMaxLag);
        if (report.Ok)
            console.MarkupLineInterpolated($"[green]{report.Tables.Count} table{(report.Tables.Count == 1 ? "" : "s")} ok[/]");
        else
            console.MarkupLineInterpolated($"[red]{failed} failed, {behind} behind by more than {(report.MaxLag is { } max ? Duration(max.TotalSeconds) : "")}[/]");
    }

    static string? Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    static double? Seconds(double? seconds) => seconds is { } s ? Math.Round(s, 3) : null;

    static string Duration(double seconds) =>
        seconds < 120 ? $"{seconds.ToString("0", CultureInfo.InvariantCulture)} s"
        : seconds < 7200 ? $"{(seconds / 60).ToString("0", CultureInfo.InvariantCulture)} min"
        : $"{(seconds / 3600).ToString("0.0", CultureInfo.InvariantCulture)} h";

    internal sealed record SyncStatusDocument(bool Ok, double? MaxLagSeconds, IReadOnlyList<SyncStatusTable> Tables);

    /// <summary>DESIGN's members first (table … last_error), then the rest.</summary>
    internal sealed record SyncStatusTable(
        string Table,
        string Mode,
        string? Watermark,
        string? LastSuccess,
        double? LagSeconds,
        long? RowsBehind,
        string? LastError,
        string Source,
        string SourceTable,
        string? WatermarkColumn,
        string LastRun,
        string? NewestChange,
        double? SinceSuccessSeconds,
        long? DeletesPending,
        bool OverMaxLag);
}
