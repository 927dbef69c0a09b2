using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Ferry.Journal;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry runs [--kind K] [--limit N]</c> and <c>ferry runs show ID|last</c>: the target's run journal.</summary>
internal static class RunsCommand
{
    public static Command Create(CliHost host)
    {
        var kind = new Option<string?>("--kind") { Description = "Only runs of this kind: copy, verify, migrate (every migrate run), migrate up, …", HelpName = "K" };
        var limit = new Option<int>("--limit") { Description = "How many of the most recent runs (default 20)", DefaultValueFactory = _ => 20, HelpName = "N" };
        var command = new Command("runs", "The runs recorded in the target's journal (ferry.runs): copy, verify and migrate runs, newest first") { kind, limit };
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var count = invocation.ParseResult.GetValue(limit);
            if (count < 1)
                throw new FerryException($"--limit must be at least 1, not {count}.", FailureKind.Configuration);
            var target = await invocation.ResolveTargetAsync(null, cancellationToken);
            var runs = await RunHistory.ListAsync(target, invocation.ParseResult.GetValue(kind), count, cancellationToken);
            if (invocation.Json)
            {
                invocation.WriteJson(new RunsDocument([.. runs.Select(Line)]));
                return ExitCodes.Success;
            }

            if (runs.Count == 0)
            {
                invocation.HumanLine($"no runs recorded in {target.DisplayUrl}");
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("id", "kind", "outcome", "exit", "started (UTC)", "seconds", "environment", "by", "command");
            foreach (var run in runs)
            {
                table.AddRow(
                    new Text(run.Id.ToString(CultureInfo.InvariantCulture)),
                    new Text(run.Kind),
                    new Markup(OutcomeMarkup(run.Outcome)),
                    new Text(run.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? ""),
                    new Text(Time(run.StartedAt)),
                    new Text(run.Seconds?.ToString("0.0", CultureInfo.InvariantCulture) ?? ""),
                    new Text(run.Environment ?? ""),
                    new Text(By(run)),
                    new Text(LineText.Escape(run.Command)));
            }

            invocation.Human.Write(table);
            return ExitCodes.Success;
        });
        command.Add(Show(host));
        return command;
    }

    static Command Show(CliHost host)
    {
        var id = new Argument<string>("ID") { Description = "A run's id, or last" };
        var command = new Command("show", "One run: what ran, where, by whom, how it ended, and the summary it printed") { id };
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var wanted = RunHistory.ParseId(invocation.ParseResult.GetValue(id)!);
            var target = await invocation.ResolveTargetAsync(null, cancellationToken);
            var run = await RunHistory.FindAsync(target, wanted, cancellationToken);
            if (invocation.Json)
            {
                invocation.WriteJson(new RunShowDocument(Line(run), run.Document, run.Summary));
                return ExitCodes.Success;
            }

            invocation.HumanLine($"run {run.Id}: {run.Kind}, {RunRecord.Name(run.Outcome)}{(run.ExitCode is { } code ? $" (exit {code})" : "")}");
            invocation.HumanLine($"command: {run.Command}");
            invocation.HumanLine($"target: {run.Target}{(run.Environment is null ? "" : $" (environment {run.Environment})")}");
            invocation.HumanLine($"by: {By(run)}, Ferry {run.Version}");
            invocation.HumanLine($"started: {Time(run.StartedAt)} UTC" + (run.EndedAt is { } ended ? $", ended {Time(ended)} UTC ({run.Seconds:0.0} s)" : ""));
            if (run.Summary is { } summary)
            {
                invocation.Host.Out.WriteLine();
                invocation.Host.Out.Write(summary);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    static RunLine Line(RunRecord run) => new(
        run.Id, run.Kind, RunRecord.Name(run.Outcome), run.ExitCode, run.StartedAt, run.EndedAt, run.Environment,
        run.Seconds is { } s ? Math.Round(s, 3) : null, run.Command, run.Target, run.Version, run.ClientHost, run.ClientUser);

    static string Time(DateTimeOffset time) => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    static string By(RunRecord run) => run.ClientUser is null && run.ClientHost is null ? "" : $"{run.ClientUser}@{run.ClientHost}";

    static string OutcomeMarkup(RunOutcome outcome) => outcome switch
    {
        RunOutcome.Ok => "[green]ok[/]",
        RunOutcome.Running => "[blue]running[/]",
        RunOutcome.Problems or RunOutcome.Cancelled => $"[yellow]{RunRecord.Name(outcome)}[/]",
        _ => $"[red]{RunRecord.Name(outcome)}[/]",
    };

    internal sealed record RunsDocument(IReadOnlyList<RunLine> Runs);

    internal sealed record RunLine(
        long Id, string Kind, string Outcome, int? ExitCode, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, string? Environment,
        double? Seconds, string Command, string? Target, string Version, string? ClientHost, string? ClientUser);

    internal sealed record RunShowDocument(RunLine Run, JsonElement? Document, string? Summary);
}
