using System.Diagnostics;
using Ferry.Check;
using Ferry.Check.Spec;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary>
/// The expectations around a command's work (<c>--expect</c>): <c>before:</c> ones that refuse the run when they fail,
/// <c>after:</c> (and ungrouped) ones whose failure fails it. Results print and serialize as <c>ferry check</c>'s.
/// </summary>
internal static class ExpectGate
{
    /// <summary>A stage's check, with its time; null when the expectations have none of that stage.</summary>
    public static async Task<(CheckResult Result, double Seconds)?> RunAsync(
        Invocation invocation, ExpectationSpec spec, CheckStage stage, Func<CheckOptions, CheckRunner> runner, ISourceRowCounts? sourceRows, CancellationToken cancellationToken)
    {
        var staged = spec.Of(stage);
        if (staged.IsEmpty)
            return null;
        var clock = Stopwatch.StartNew();
        var result = await runner(new CheckOptions { Stage = stage, SourceRows = sourceRows, Logger = new StderrLogger(invocation) }).RunAsync(staged, cancellationToken);
        return (result, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The before: check failed: its results as <c>ferry check</c> shows them, and that nothing was done; exit 1.
    /// <paramref name="document"/> writes the command's JSON document around the check's.
    /// </summary>
    public static int Refuse(Invocation invocation, (CheckResult Result, double Seconds) check, string what, Action<CheckCommand.CheckDocument> document)
    {
        document(CheckCommand.Document(check.Result, check.Seconds));
        CheckCommand.Render(invocation, check.Result, check.Seconds);
        invocation.Human.MarkupLineInterpolated($"[red]refused:[/] the before: expectations failed; {what}");
        return ExitCodes.Failed;
    }

    /// <summary>The after: check's results below the command's own summary.</summary>
    public static void Render(Invocation invocation, (CheckResult Result, double Seconds)? check)
    {
        if (check is not { } done)
            return;
        invocation.Human.MarkupLine(done.Result.Ok ? "[green]after: expectations[/]" : "[red]after: expectations failed[/]");
        CheckCommand.Render(invocation, done.Result, done.Seconds);
    }

    /// <summary>The after: check in the command's JSON document (<c>check</c>), as <c>ferry check --json</c> writes it.</summary>
    public static CheckCommand.CheckDocument? Document((CheckResult Result, double Seconds)? check) =>
        check is { } done ? CheckCommand.Document(done.Result, done.Seconds) : null;
}
