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
        var expect = new ExpectOption("The expectations to check, from FILE (default: the expect section of ferry.yml)");
        var tables = new Option<string?>("--tables") { Description = "Check only these tables' expectations (comma-separated)", HelpName = "a,b" };
        var maxSamples = new Option<int>("--max-samples") { Description = "Name at most N failing rows per expectation", DefaultValueFactory = _ => 10, HelpName = "N" };
        var stage = new Option<string?>("--stage") { Description = "Check only the expectations for before or after the work (default: both, before first)" };
        stage.AcceptOnlyFromAmong("before", "after");
        var on = new Option<string?>("--on") { Description = "Check the source instead of the target (its tables named as in the source): sqlite:PATH, duckdb:PATH, parquet:GLOB, csv:GLOB or postgres://…", HelpName = "SOURCE" };
        var compare = new Option<string?>("--compare") { Description = "Check the source and the target, marking a failure only the target has as introduced", HelpName = "SOURCE" };
        var transform = new TransformOption();
        var table = new Option<string?>("--table") { Description = "The table a parquet: or csv: source's files are (with --on or --compare)", HelpName = "NAME" };

        var command = new Command("check", "Check expectations of the data (row counts, unique, not null, values, ranges, formats, references, freshness, SQL): one scan per table, failing rows named by key")
        {
            expect.Option, tables, maxSamples, stage, on, compare, transform.Option, table,
        };
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var parse = invocation.ParseResult;
            var spec = expect.Spec(invocation);
            var options = new CheckOptions
            {
                Tables = SharedOptions.TableList(parse.GetValue(tables)),
                MaxSamples = parse.GetValue(maxSamples),
                Stage = parse.GetValue(stage) switch { "before" => CheckStage.Before, "after" => CheckStage.After, _ => null },
                Logger = new StderrLogger(invocation),
            };
            var (onSource, compared) = (parse.GetValue(on), parse.GetValue(compare));
            if (onSource is not null && compared is not null)
                throw new FerryException("--on and --compare cannot be given together: --on checks the source alone, --compare checks both.", FailureKind.Configuration);
            if (compared is null && parse.GetValue(transform.Option) is not null)
                throw new FerryException("--transform maps the target's names to the source's, which only --compare needs.", FailureKind.Configuration);
            var clock = Stopwatch.StartNew();
            CheckResult result;
            string? source = null;
            if (onSource is not null)
            {
                invocation.WarnOfSourcePassword(onSource);
                var runner = CheckRunner.OnSource(onSource, options, host.WorkingDirectory, parse.GetValue(table));
                source = runner.Source;
                result = await runner.RunAsync(spec, cancellationToken);
            }
            else if (compared is not null)
            {
                invocation.WarnOfSourcePassword(compared);
                var comparison = new CheckComparison(compared, options, transform.Spec(invocation), host.WorkingDirectory, parse.GetValue(table));
                source = comparison.Source;
                result = await comparison.RunAsync(await invocation.ResolveTargetAsync(null, cancellationToken), spec, cancellationToken);
            }
            else
            {
                result = await new CheckRunner(await invocation.ResolveTargetAsync(null, cancellationToken), options).RunAsync(spec, cancellationToken);
            }

            invocation.Document(Document(result, clock.Elapsed.TotalSeconds, source));
            Render(invocation, result, clock.Elapsed.TotalSeconds, source, compared is not null);
            return result.Ok ? ExitCodes.Success : ExitCodes.Failed;
        }, journal: "check");
        return command;
    }

    /// <summary>
    /// DESIGN.md's <c>check --json</c> shape, with each result's stage, message and origin beside it; under <c>--compare</c>,
    /// whether its failure is introduced and the source's figures.
    /// </summary>
    internal static CheckDocument Document(CheckResult result, double seconds, string? source = null) =>
        new(result.Ok, Math.Round(seconds, 3), source, [.. result.Results.Select(r => new ResultDocument(
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
            r.Expectation.Origin,
            r.Source is null ? null : r.Introduced,
            r.Source is null ? null : Comparison(r.Comparison),
            r.Source is not { } s ? null : new SourceDocument(s.Table, Name(s.Status), s.Failing, [.. s.Samples.Select(x => new SampleDocument(x.Key, x.Values))], s.Message)))]);

    static string Name(CheckStatus status) => status.ToString().ToLowerInvariant();

    static string Comparison(FailureOrigin origin) => origin switch
    {
        FailureOrigin.Introduced => "introduced",
        FailureOrigin.PreExisting => "pre-existing",
        FailureOrigin.Resolved => "resolved",
        FailureOrigin.Unknown => "unknown",
        _ => "none",
    };

    /// <summary>A check's results as the table <c>ferry check</c> prints (a copy's or a migration's gate prints the same).</summary>
    internal static void Render(Invocation invocation, CheckResult result, double seconds) => Render(invocation, result, seconds, null, false);

    static void Render(Invocation invocation, CheckResult result, double seconds, string? source, bool compared)
    {
        var console = invocation.Human;
        if (source is not null)
            console.MarkupLineInterpolated($"{(compared ? "Compared with" : "Checked on")} {source}");
        var table = new Table().AddColumns("table", "expectation", "status", "failing", "failing keys");
        table.Columns[3].RightAligned();
        if (compared)
            table.AddColumn("in the source");
        foreach (var r in result.Results)
        {
            var colour = r.Status switch { CheckStatus.Passed => "green", CheckStatus.Warned => "yellow", _ => "red" };
            var cells = new List<Spectre.Console.Rendering.IRenderable>
            {
                new Text(r.Table),
                new Text(r.Expectation.Description),
                new Markup($"[{colour}]{Name(r.Status)}[/]"),
                new Text(r.Status == CheckStatus.Error ? "—" : r.Failing.ToString("N0", CultureInfo.InvariantCulture)),
                new Text(Keys(r)),
            };
            if (compared)
                cells.Add(InSource(r));
            table.AddRow(cells);
        }

        console.Write(table);
        foreach (var r in result.Results.Where(r => r.Status != CheckStatus.Passed && r.Message is not null))
            console.MarkupLineInterpolated($"  {r.Table} {r.Expectation.Description} ({r.Expectation.Origin}): {r.Message}");
        foreach (var r in result.Results.Where(r => r.Source is { Status: not CheckStatus.Passed, Message: not null }))
            console.MarkupLineInterpolated($"  in the source, {r.Source!.Table} {r.Expectation.Description}: {r.Source.Message}");
        var failed = result.Results.Count(r => r.Status == CheckStatus.Failed);
        var errors = result.Results.Count(r => r.Status == CheckStatus.Error);
        var warned = result.Results.Count(r => r.Status == CheckStatus.Warned);
        var time = seconds.ToString("0.0", CultureInfo.InvariantCulture);
        var counts = $"{result.Results.Count} expectation{(result.Results.Count == 1 ? "" : "s")}: {result.Results.Count - failed - errors - warned} passed, {warned} warned, {failed} failed, {errors} could not run"
            + (compared ? $"; {result.Results.Count(r => r.Introduced)} introduced, {result.Results.Count(r => r.Comparison == FailureOrigin.PreExisting)} pre-existing" : "");
        if (result.Ok)
            console.MarkupLineInterpolated($"[green]{counts}[/] ({time} s)");
        else
            console.MarkupLineInterpolated($"[red]{counts}[/] ({time} s)");
    }

    /// <summary>The source's side of a compared result: introduced, pre-existing (its failing count there), resolved, or why it could not be compared.</summary>
    static Markup InSource(ExpectationResult r) => r.Source is not { } s ? new Markup("—") : r.Comparison switch
    {
        FailureOrigin.Introduced => new Markup("[red bold]introduced[/]"),
        FailureOrigin.PreExisting => new Markup(Markup.Escape($"pre-existing ({s.Failing.ToString("N0", CultureInfo.InvariantCulture)} failing)"), new Style(Color.Yellow)),
        FailureOrigin.Resolved => new Markup(Markup.Escape($"resolved ({s.Failing.ToString("N0", CultureInfo.InvariantCulture)} failing there)"), new Style(Color.Green)),
        _ => new Markup(Markup.Escape(Name(s.Status))),
    };

    static string Keys(ExpectationResult r)
    {
        var shown = string.Join("; ", r.Samples.Take(KeysShown).Select(s => string.Join(", ", s.Key.Select(k => $"{k.Key}={Convert.ToString(k.Value, CultureInfo.InvariantCulture) ?? "NULL"}"))));
        return r.Failing > KeysShown && r.Samples.Count > 0 ? shown + "; …" : shown;
    }

    internal sealed record CheckDocument(
        bool Ok,
        double Seconds,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Source,
        IReadOnlyList<ResultDocument> Results);

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
        string Origin,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Introduced,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Comparison,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull), JsonPropertyName("source")] SourceDocument? SourceFigures);

    internal sealed record SourceDocument(
        string Table,
        string Status,
        long Failing,
        IReadOnlyList<SampleDocument> Samples,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message);

    internal sealed record SampleDocument(
        IReadOnlyDictionary<string, object?> Key,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, object?>? Values);
}
