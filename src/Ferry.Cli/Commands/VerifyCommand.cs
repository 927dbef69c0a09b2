using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Serialization;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Transforms;
using Ferry.Verify;
using Spectre.Console;

namespace Ferry.Cli.Commands;

internal static class VerifyCommand
{
    /// <summary>Differences listed per table in the human summary (the JSON document has them all, up to --max-differences).</summary>
    const int ShownPerTable = 10;

    public static Command Create(CliHost host)
    {
        var sourceArgument = new Argument<string>("SOURCE")
        {
            Description = "The source that was copied: sqlite:PATH, duckdb:PATH, or parquet:GLOB / csv:GLOB (with --table NAME)",
        };
        var to = SharedOptions.To();
        var tables = new Option<string?>("--tables") { Description = "Verify only these source tables (comma-separated)", HelpName = "a,b" };
        var table = new Option<string?>("--table") { Description = "The table name a parquet: or csv: glob was copied as", HelpName = "NAME" };
        var countsOnly = new Option<bool>("--counts-only") { Description = "Compare row counts only, not content" };
        var maxDifferences = new Option<int>("--max-differences") { Description = "Name at most N differing rows per table", DefaultValueFactory = _ => 100, HelpName = "N" };
        var sample = new Option<int?>("--sample") { Description = "Check only the first N rows of a column made by a step that is not repeatable (bcrypt), against their source values (default: every row)", HelpName = "N" };
        var names = new Option<string?>("--names") { Description = "The naming rule the copy used: lower, preserve or snake (default: lower; preserve for a PostgreSQL source)" };
        names.AcceptOnlyFromAmong("lower", "preserve", "snake");
        var schema = new Option<string?>("--schema") { Description = "The schema the copy created the tables in", HelpName = "S" };

        var command = new Command("verify", "Prove a copy complete and identical: row counts, content fingerprints (hashed in PostgreSQL), differing rows named by key, foreign-key orphans and duplicate keys")
        {
            sourceArgument, to, tables, table, countsOnly, maxDifferences, sample, names, schema,
        };
        var reading = new SourceReadingOptions();
        reading.AddTo(command);
        var transform = new TransformOption();
        command.Add(transform.Option);
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var parse = invocation.ParseResult;
            var sourceText = parse.GetValue(sourceArgument)!;
            var rule = parse.GetValue(names) is { } given ? Naming.Parse(given) : SourceFactory.DefaultNames(sourceText);
            var max = parse.GetValue(maxDifferences);
            if (max < 1)
                throw new FerryException($"--max-differences must be at least 1, not {max}.");
            var options = new VerifyOptions
            {
                Tables = SharedOptions.TableList(parse.GetValue(tables)),
                Names = rule,
                Schema = parse.GetValue(schema),
                CountsOnly = parse.GetValue(countsOnly),
                MaxDifferences = max,
                Sample = parse.GetValue(sample) is { } n ? (n >= 1 ? n : throw new FerryException($"--sample must be at least 1, not {n}.")) : null,
                Progress = new Progress(invocation),
                Logger = new StderrLogger(invocation),
            };

            // Verify reads the source as the copy did: its renames, steps, filters and derived tables.
            var spec = TransformBinding.Selected(transform.Spec(invocation), options.Tables);
            options = TransformBinding.Apply(spec, options);
            var sourceOptions = TransformBinding.Apply(spec, new SourceOptions { Names = rule, ProfileData = false, InvalidUtf8 = reading.InvalidUtf8(parse), Filters = reading.Filters(parse), EngineOptions = reading.Engines(parse), Logger = new StderrLogger(invocation) });

            // The source first: a missing file is reported before any cluster is started.
            invocation.WarnOfSourcePassword(sourceText);
            await using var source = SourceFactory.Open(sourceText, sourceOptions, parse.GetValue(table), host.WorkingDirectory);
            var target = await invocation.ResolveTargetAsync(to, cancellationToken);
            var clock = Stopwatch.StartNew();
            var result = await new Verifier(target, options).VerifyAsync(source, cancellationToken);
            Render(invocation, result, source.Description, target.DisplayUrl, clock.Elapsed.TotalSeconds);
            return result.Ok ? ExitCodes.Success : ExitCodes.Failed;
        }, journal: "verify");
        return command;
    }

    internal sealed class Progress(Invocation invocation) : IProgress<string>
    {
        public void Report(string value) => invocation.Note(value);
    }

    /// <summary>The summary table and details, or the JSON document: also for <c>ferry copy … --verify</c>.</summary>
    internal static void Render(Invocation invocation, VerifyResult result, string source, string target, double seconds)
    {
        invocation.Document(Document(result, source, target, seconds));
        RenderSummary(invocation, result, seconds);
    }

    /// <summary>The JSON document of a verification (DESIGN.md's shape, plus details).</summary>
    internal static VerifyDocument Document(VerifyResult result, string source, string target, double seconds) =>
        new VerifyDocument(
            result.Ok,
            source,
            target,
            Math.Round(seconds, 3),
            [.. result.Tables.Select(t => new VerifiedTable(
                t.Source,
                t.Target,
                t.SourceRows,
                t.TargetRows,
                t.Ok,
                t.Status,
                t.Compared,
                t.Key,
                [.. t.Differences.Select(d => new DifferenceDocument(d.Key, d.Kind, d.Row, d.Key is null ? d.Count : null))],
                t.DifferencesTotal,
                t.Truncated,
                t.SourceRejected,
                t.Problems,
                [.. t.Integrity.Select(p => new IntegrityDocument(p.Kind, p.Constraint, p.Columns, p.References, p.Count, p.Sample))]))]);

    /// <summary>The summary table and the details of what differs (stderr under --json).</summary>
    internal static void RenderSummary(Invocation invocation, VerifyResult result, double seconds)
    {
        var console = invocation.Human;
        var summary = new Table().AddColumns("table", "source rows", "target rows", "status", "differences");
        foreach (var column in summary.Columns.Skip(1))
            column.RightAligned();
        foreach (var t in result.Tables)
        {
            var status = t.Ok ? "[green]ok[/]" : $"[red]{t.Status}[/]";
            summary.AddRow(
                new Markup(Markup.Escape($"{t.Source} → {t.Target}")),
                new Text(Count(t.SourceRows)),
                new Text(t.TargetRows is { } rows ? Count(rows) : "—"),
                new Markup(status),
                new Text(Differences(t)));
        }

        console.Write(summary);
        foreach (var t in result.Tables.Where(t => !t.Ok))
        {
            console.MarkupLineInterpolated($"[bold]{t.Target}[/]");
            foreach (var problem in t.Problems)
                console.MarkupLineInterpolated($"  [red]{problem}[/]");
            foreach (var d in t.Differences.Take(ShownPerTable))
                console.MarkupLineInterpolated($"  {d.Kind,-8} {DescribeRow(d)}");
            if (t.Differences.Count > ShownPerTable || t.Truncated)
                console.MarkupLineInterpolated($"  … {(t.Truncated ? "at least " : "")}{t.DifferencesTotal} differing rows in all (--json lists up to --max-differences)");
            foreach (var p in t.Integrity)
            {
                var what = p.Kind == IntegrityProblem.Orphans
                    ? $"{p.Count} rows whose {string.Join(", ", p.Columns)} has no match in {p.References} ({p.Constraint})"
                    : $"{p.Count} duplicated values of {string.Join(", ", p.Columns)} ({p.Constraint})";
                console.MarkupLineInterpolated($"  [yellow]{p.Kind}[/]: {what}; e.g. {string.Join("; ", p.Sample.Take(3).Select(Describe))}");
            }
        }

        var failed = result.Tables.Count(t => !t.Ok);
        if (failed == 0)
            console.MarkupLineInterpolated($"[green]verified {result.Tables.Count} table{(result.Tables.Count == 1 ? "" : "s")}: identical, no integrity problems[/] ({seconds.ToString("0.0", CultureInfo.InvariantCulture)} s)");
        else
            console.MarkupLineInterpolated($"[red]{failed} of {result.Tables.Count} table{(result.Tables.Count == 1 ? "" : "s")} differ{(failed == 1 ? "s" : "")} or {(failed == 1 ? "has" : "have")} integrity problems[/] ({seconds.ToString("0.0", CultureInfo.InvariantCulture)} s)");
    }

    static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    static string Differences(TableVerification t) =>
        t.Compared == "counts" ? (t.SourceRows == t.TargetRows ? "counts only" : $"{Count(Math.Abs(t.SourceRows - (t.TargetRows ?? 0)))} rows (counts)")
        : t.DifferencesTotal == 0 ? "0"
        : (t.Truncated ? "≥ " : "") + Count(t.DifferencesTotal);

    static string DescribeRow(RowDifference d) =>
        d.Key is { } key ? Describe(key) : $"{d.Row}{(d.Count > 1 ? $" (×{d.Count})" : "")}";

    static string Describe(IReadOnlyDictionary<string, object?> key) =>
        string.Join(", ", key.Select(k => $"{k.Key}={Convert.ToString(k.Value, CultureInfo.InvariantCulture) ?? "NULL"}"));

    internal sealed record VerifyDocument(bool Ok, string Source, string Target, double Seconds, IReadOnlyList<VerifiedTable> Tables);

    internal sealed record VerifiedTable(
        string Source,
        string Target,
        long SourceRows,
        long? TargetRows,
        bool Ok,
        string Status,
        string Compared,
        IReadOnlyList<string> Key,
        IReadOnlyList<DifferenceDocument> Differences,
        long DifferencesTotal,
        bool Truncated,
        long SourceRejected,
        IReadOnlyList<string> Problems,
        IReadOnlyList<IntegrityDocument> Integrity);

    internal sealed record DifferenceDocument(
        IReadOnlyDictionary<string, object?>? Key,
        string Kind,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Row,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] long? Count);

    internal sealed record IntegrityDocument(string Kind, string Constraint, IReadOnlyList<string> Columns, string? References, long Count, IReadOnlyList<IReadOnlyDictionary<string, object?>> Sample);
}
