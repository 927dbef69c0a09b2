using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using Ferry.Check;
using Ferry.Check.Spec;
using Spectre.Console;

namespace Ferry.Cli.Commands;

internal static class CheckCommand
{
    /// <summary>Failing keys shown per expectation in the human table (the JSON document has up to --max-samples).</summary>
    const int KeysShown = 3;

    public static Command Create(CliHost host)
    {
        var expect = new Option<string?>("--expect") { Description = "The expectations to check, from FILE (default: the expect section of ferry.yml)", HelpName = "FILE" };
        var tables = new Option<string?>("--tables") { Description = "Check only these tables' expectations (comma-separated)", HelpName = "a,b" };
        var maxSamples = new Option<int>("--max-samples") { Description = "Name at most N failing rows per expectation", DefaultValueFactory = _ => 10, HelpName = "N" };
        var stage = new Option<string?>("--stage") { Description = "Check only the expectations for before or after the work (default: both, before first)" };
        stage.AcceptOnlyFromAmong("before", "after");

        var command = new Command("check", "Check expectations of the data (row counts, unique, not null, values, ranges, formats, references, freshness, SQL): one scan per table, failing rows named by key")
        {
            expect, tables, maxSamples, stage,
        };
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var parse = invocation.ParseResult;
            var spec = parse.GetValue(expect) is { } path
                ? ExpectationFile.Load(host.ResolvePath(path))
                : invocation.Project.Environment?.Expect ?? invocation.Project.Project?.Expect ?? ExpectationSpec.Empty;
            var options = new CheckOptions
            {
                Tables = SharedOptions.TableList(parse.GetValue(tables)),
                MaxSamples = parse.GetValue(maxSamples),
                Stage = parse.GetValue(stage) switch { "before" => CheckStage.Before, "after" => CheckStage.After, _ => null },
                Logger = new StderrLogger(invocation),
            };
            var runner = new CheckRunner(await invocation.ResolveTargetAsync(null, cancellationToken), options);
            var clock = Stopwatch.StartNew();
            var result = await runner.RunAsync(spec, cancellationToken);
            invocation.Document(Document(result, clock.Elapsed.TotalSeconds));
            Render(invocation, result, clock.Elapsed.TotalSeconds);
            return result.Ok ? ExitCodes.Success : ExitCodes.Failed;
        }, journal: "check");
        return command;
    }

    /// <summary>DESIGN.md's <c>check --json</c> shape, with each result's stage, message and origin beside it.</summary>
    internal static CheckDocument Document(CheckResult result, double seconds) =>
        new(result.Ok, Math.Round(seconds, 3), [.. result.Results.Select(r => new ResultDocument(
            r.Table,
            r.Kind,
            r.Columns,
            Name(r.Status),
            r.Severity == CheckSeverity.Warn ? "warn" : "error",
            r.Failing,
            [.. r.Samples.Select(s => new SampleDocument(s.Key, s.Values))],
            r.Expectation.Description,
            r.Stage == CheckStage.Before ? "before" : "after",
            r.Message,
            r.Expectation.Origin))]);

    static string Name(CheckStatus status) => status.ToString().ToLowerInvariant();

    static void Render(Invocation invocation, CheckResult result, double seconds)
    {
        var console = invocation.Human;
        var table = new Table().AddColumns("table", "expectation", "status", "failing", "failing keys");
        table.Columns[3].RightAligned();
        foreach (var r in result.Results)
        {
            var colour = r.Status switch { CheckStatus.Passed => "green", CheckStatus.Warned => "yellow", _ => "red" };
            table.AddRow(
                new Text(r.Table),
                new Text(r.Expectation.Description),
                new Markup($"[{colour}]{Name(r.Status)}[/]"),
                new Text(r.Status == CheckStatus.Error ? "—" : r.Failing.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(Keys(r)));
        }

        console.Write(table);
        foreach (var r in result.Results.Where(r => r.Status != CheckStatus.Passed && r.Message is not null))
            console.MarkupLineInterpolated($"  {r.Table} {r.Expectation.Description} ({r.Expectation.Origin}): {r.Message}");
        var failed = result.Results.Count(r => r.Status == CheckStatus.Failed);
        var errors = result.Results.Count(r => r.Status == CheckStatus.Error);
        var warned = result.Results.Count(r => r.Status == CheckStatus.Warned);
        var time = seconds.ToString("0.0", CultureInfo.InvariantCulture);
        var counts = $"{result.Results.Count} expectation{(result.Results.Count == 1 ? "" : "s")}: {result.Results.Count - failed - errors - warned} passed, {warned} warned, {failed} failed, {errors} could not run";
        if (result.Ok)
            console.MarkupLineInterpolated($"[green]{counts}[/] ({time} s)");
        else
            console.MarkupLineInterpolated($"[red]{counts}[/] ({time} s)");
    }

    static string Keys(ExpectationResult r)
    {
        var shown = string.Join("; ", r.Samples.Take(KeysShown).Select(s => string.Join(", ", s.Key.Select(k => $"{k.Key}={Convert.ToString(k.Value, CultureInfo.InvariantCulture) ?? "NULL"}"))));
        return r.Failing > KeysShown && r.Samples.Count > 0 ? shown + "; …" : shown;
    }

    internal sealed record CheckDocument(bool Ok, double Seconds, IReadOnlyList<ResultDocument> Results);

    internal sealed record ResultDocument(
        string Table,
        string Expectation,
        IReadOnlyList<string> Columns,
        string Status,
        string Severity,
        long Failing,
        IReadOnlyList<SampleDocument> Samples,
        string Description,
        string Stage,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message,
        string Origin);

    internal sealed record SampleDocument(
        IReadOnlyDictionary<string, object?> Key,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, object?>? Values);
}
