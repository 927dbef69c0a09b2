using System.CommandLine;
using Ferry.Journal;
using Ferry.Reports;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry report ID|last --html FILE</c>: a journaled run as one self-contained HTML file.</summary>
internal static class ReportCommand
{
    public static Command Create(CliHost host)
    {
        var id = new Argument<string>("ID") { Description = "A run's id (as ferry runs lists them), or last" };
        var html = new Option<string>("--html") { Description = "The HTML file to write (replaced atomically when it exists)", Required = true, HelpName = "FILE" };
        var command = new Command("report", "Write a recorded run as one self-contained HTML file: charts, tables, rejects, differences; opens offline and prints") { id, html };
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var wanted = RunHistory.ParseId(invocation.ParseResult.GetValue(id)!);
            var path = invocation.Host.ResolvePath(invocation.ParseResult.GetValue(html)!);
            var target = await invocation.ResolveTargetAsync(null, cancellationToken);
            var run = await RunHistory.FindAsync(target, wanted, cancellationToken);
            HtmlReport.WriteFile(run, path);
            if (invocation.Json)
                invocation.WriteJson(new ReportDocument(run.Id, run.Kind, RunRecord.Name(run.Outcome), path));
            invocation.HumanLine($"wrote {path}: run {run.Id} ({run.Kind}, {RunRecord.Name(run.Outcome)})");
            return ExitCodes.Success;
        });
        return command;
    }

    internal sealed record ReportDocument(long Run, string Kind, string Outcome, string File);
}
