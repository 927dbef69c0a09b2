using System.CommandLine;
using System.Globalization;
using Ferry.Check;
using Ferry.Check.Spec;
using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Transforms;
using Ferry.Verify;
using Spectre.Console;

namespace Ferry.Cli.Commands;

internal static class CopyCommand
{
    public static Command Create(CliHost host)
    {
        var sourceArgument = new Argument<string?>("SOURCE")
        {
            Description = "sqlite:PATH, duckdb:PATH, parquet:GLOB / csv:GLOB (with --table NAME), or postgres://USER@HOST/DB (default: copy.source in ferry.yml)",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var to = SharedOptions.To();
        var tables = new Option<string?>("--tables") { Description = "Copy only these source tables (comma-separated)", HelpName = "a,b" };
        var table = new Option<string?>("--table") { Description = "The target table's name for a parquet: or csv: glob (a glob is one table)", HelpName = "NAME" };
        var jobs = new Option<int?>("--jobs") { Description = $"Tables (or ranges of large tables) loaded at once, each on its own connection (default: copy.jobs in ferry.yml, else {CopyOptions.DefaultJobs})", HelpName = "N" };
        var names = new Option<string?>("--names") { Description = "How source names become PostgreSQL names: lower, preserve or snake (default: lower; preserve for a PostgreSQL source)" };
        names.AcceptOnlyFromAmong("lower", "preserve", "snake");
        var rejects = new Option<string>("--rejects") { Description = "Directory for <table>.jsonl reject files", DefaultValueFactory = _ => "ferry-rejects", HelpName = "DIR" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the type mapping and the complete DDL; write nothing" };
        var resume = new Option<bool>("--resume") { Description = "Continue an interrupted copy: keep finished tables, reload unfinished ones" };
        var replace = new Option<bool>("--replace") { Description = "Drop target tables and views that already exist under the planned names, then copy (refused, dropping nothing, when other objects depend on them)" };
        var backup = new Option<bool>("--backup") { Description = "With --replace: snapshot the tables it replaces first, for `ferry rollback` (default on a protected environment)" };
        var schema = new Option<string?>("--schema") { Description = "Create the tables in this schema", HelpName = "S" };
        var cast = new Option<string[]>("--cast") { Description = "Override a column's type: table.column=type (repeatable)", HelpName = "t.c=type", AllowMultipleArgumentsPerToken = false };
        var compatViews = new Option<bool>("--compat-views") { Description = "postgres: after the copy, a view under each renamed table's source schema, name and column names, over the copied table" };
        var verify = new Option<bool>("--verify") { Description = "Verify right after the copy (as ferry verify): content fingerprints, differing rows, orphans, duplicate keys" };
        var withFunctions = new Option<bool>("--with-functions") { Description = "postgres: also copy every function and procedure of the source schemas and the tables' triggers (made after the load)" };
        var reading = new SourceReadingOptions();
        var transform = new TransformOption();
        var expect = new ExpectOption();

        var command = new Command("copy", "Copy a source (SQLite, DuckDB, Parquet, CSV, PostgreSQL) into PostgreSQL: schema, typed binary COPY, keys, foreign keys, views; rejects logged, counts checked")
        {
            sourceArgument, to, tables, table, jobs, names, rejects, dryRun, resume, replace, backup, schema, cast, transform.Option, expect.Option,
        };
        reading.AddTo(command, compatViews, withFunctions, verify);
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var parse = invocation.ParseResult;
            // What the command line leaves out comes from the project file's copy section, as the environment sees it.
            var file = invocation.Project.Environment?.Copy ?? invocation.Project.Project?.Copy;
            var environment = invocation.Host.Environment;
            // A source the file gives is relative to the project's folder, as every path in it.
            var sourceFolder = parse.GetValue(sourceArgument) is null && file?.Source is not null ? invocation.Project.Project!.Root : host.WorkingDirectory;
            var sourceText = parse.GetValue(sourceArgument) ?? file?.Source?.Resolve(environment)
                ?? throw new FerryException("ferry copy needs a SOURCE: sqlite:PATH, duckdb:PATH, parquet:GLOB, csv:GLOB or postgres://… (or copy.source in ferry.yml).", FailureKind.Configuration);
            var options = new CopyOptions
            {
                Source = sourceText,
                Tables = SharedOptions.TableList(parse.GetValue(tables)),
                TableName = parse.GetValue(table),
                TargetSchema = parse.GetValue(schema) ?? file?.Schema?.Resolve(environment),
                Jobs = parse.GetValue(jobs) ?? file?.JobCount ?? CopyOptions.DefaultJobs,
                Names = (parse.GetValue(names) ?? file?.Names?.Text) is { } rule ? Naming.Parse(rule) : SourceFactory.DefaultNames(sourceText),
                RejectsDirectory = host.ResolvePath(parse.GetValue(rejects)!),
                DryRun = parse.GetValue(dryRun),
                Resume = parse.GetValue(resume),
                Replace = parse.GetValue(replace),
                CompatViews = parse.GetValue(compatViews),
                Casts = CopyOptions.ParseCasts(parse.GetValue(cast) ?? []),
                Logger = new StderrLogger(invocation),
                InvalidUtf8 = reading.InvalidUtf8(parse),
                Filters = reading.Filters(parse),
                EngineOptions = reading.Engines(parse, parse.GetValue(withFunctions)),
            };

            options = TransformBinding.Apply(transform.Spec(invocation), options);
            var expectations = expect.Spec(invocation).Selected(options.Tables);

            // The source first: a missing file is reported before any cluster is started.
            invocation.WarnOfSourcePassword(sourceText);
            await using var source = SourceFactory.Open(options.Source, options.SourceOptions, options.TableName, sourceFolder);
            if (options.DryRun)
            {
                var planned = await new CopyRunner(options).RunAsync(source, cancellationToken);
                RenderPlan(invocation, planned);
                return ExitCodes.Success;
            }

            // Readiness on the source before the target is even resolved: a refused copy writes nothing.
            var before = await ExpectGate.RunAsync(invocation, expectations, CheckStage.Before, o => CheckRunner.OnSource(options.Source, o, sourceFolder, options.TableName), null, cancellationToken);
            if (before is { Result.Ok: false } refused)
                return ExpectGate.Refuse(invocation, refused, "nothing was written.", invocation.Document);
            if (options.Replace)
                invocation.ConfirmOnProtected("ferry copy --replace");
            // The run's journal starts once the copy's checks pass: a refused copy writes nothing, not even its journal row.
            var target = await invocation.ResolveTargetAsync(to, cancellationToken, startRun: false);
            options = options with { Target = target, BeforeFirstWrite = ct => invocation.Run!.StartAsync(invocation, target, ct) };
            if (options.Replace && (parse.GetValue(backup) || invocation.Project.Environment is { Protected: true }))
                options = options with { BeforeReplace = (replaced, ct) => SnapshotAsync(invocation, target, replaced, ct) };
            else if (parse.GetValue(backup))
                invocation.Note("--backup snapshots what --replace replaces; without --replace this copy replaces nothing (a rollback drops what it creates).");
            var result = await RunWithProgressAsync(invocation, options, source, cancellationToken);
            var after = await ExpectGate.RunAsync(invocation, expectations, CheckStage.After, o => new CheckRunner(target, o), new CopiedSourceRows(result), cancellationToken);
            var expected = after?.Result.Ok ?? true;
            if (!parse.GetValue(verify))
            {
                Render(invocation, result, null, after);
                return result.Ok && expected ? ExitCodes.Success : ExitCodes.Failed;
            }

            var clock = System.Diagnostics.Stopwatch.StartNew();
            var verifier = new Verifier(options.Target, new VerifyOptions
            {
                Names = options.Names,
                Schema = options.TargetSchema,
                Progress = new VerifyCommand.Progress(invocation),
                Logger = options.Logger,
            });
            var verified = await verifier.VerifyAsync(source, result.Plan, cancellationToken);
            var seconds = clock.Elapsed.TotalSeconds;
            Render(invocation, result, (verified, VerifyCommand.Document(verified, source.Description, options.Target.DisplayUrl, seconds)), after);
            VerifyCommand.RenderSummary(invocation, verified, seconds);
            return result.Ok && verified.Ok && expected ? ExitCodes.Success : ExitCodes.Failed;
        }, journal: "copy");
        return command;
    }

    static async Task<CopyResult> RunWithProgressAsync(Invocation invocation, CopyOptions options, ISource source, CancellationToken cancellationToken)
    {
        if (!invocation.Host.ErrorIsTerminal)
        {
            var plain = new DirectProgress(p =>
            {
                if (p.Finished)
                    invocation.Note($"loaded {p.Table}: {p.RowsRead} rows read, {p.RowsWritten} written, {p.RowsRejected} rejected");
            });
            return await new CopyRunner(options, plain).RunAsync(source, cancellationToken);
        }

        CopyResult? result = null;
        await invocation.Stderr.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RowsColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var tasks = new Dictionary<string, ProgressTask>(StringComparer.Ordinal);
                var guard = new Lock();
                var progress = new DirectProgress(p =>
                {
                    lock (guard)
                    {
                        if (!tasks.TryGetValue(p.Table, out var task))
                            tasks[p.Table] = task = context.AddTask(Markup.Escape(p.Table), maxValue: Math.Max(1, p.EstimatedRows ?? 1));
                        task.MaxValue = Math.Max(task.MaxValue, p.RowsRead);
                        task.Value = p.RowsRead;
                        if (p.Finished)
                        {
                            task.MaxValue = Math.Max(1, p.RowsRead);
                            task.Value = task.MaxValue;
                            task.StopTask();
                        }
                    }
                });
                result = await new CopyRunner(options, progress).RunAsync(source, cancellationToken);
            });
        return result!;
    }

    /// <summary>Rows done and rows per second (over the task's time so far: also on the last frame, once it stopped).</summary>
    sealed class RowsColumn : ProgressColumn
    {
        public override Spectre.Console.Rendering.IRenderable Render(Spectre.Console.Rendering.RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        {
            var rate = task.Value > 0 && task.ElapsedTime is { TotalSeconds: > 0 } elapsed ? $"{task.Value / elapsed.TotalSeconds:N0} rows/s" : "";
            return new Text($"{task.Value:N0} rows {rate}".TrimEnd());
        }
    }

    sealed class DirectProgress(Action<CopyProgress> report) : IProgress<CopyProgress>
    {
        public void Report(CopyProgress value) => report(value);
    }

    static string Seconds(double seconds) => seconds.ToString("0.000", CultureInfo.InvariantCulture);

    /// <summary>The copy's summary, or its JSON document; with --verify the document carries the verification too, with --expect the after: check.</summary>
    static void Render(Invocation invocation, CopyResult result, (VerifyResult Result, VerifyCommand.VerifyDocument Document)? verification, (CheckResult Result, double Seconds)? check)
    {
        invocation.Document(new CopyDocument(
            result.Ok && (verification?.Result.Ok ?? true) && (check?.Result.Ok ?? true),
            result.Source,
            result.Target,
            Math.Round(result.Seconds, 3),
            result.RejectsDirectory,
            result.Tables.Select(t => new CopiedTable(t.Source, t.Target, t.RowsRead, t.RowsWritten, t.RowsRejected, Math.Round(t.Seconds, 3), t.RowsRepaired, t.Resumed, [.. t.Rejects.Select(RejectsDocument.Of)], t.RowsFiltered)).ToList(),
            new CreatedDocument(result.Created.Schemas, result.Created.Tables, result.Created.Views, result.Created.Types),
            result.Replaced,
            result.Warnings,
            result.Notes.Count == 0 ? null : result.Notes,
            result.Failures,
            result.Orphans.Select(o => new OrphanDocument(o.Table, o.Constraint, o.Columns, o.ReferencedTable, o.Rows, o.Keys)).ToList(),
            result.Plan.CompatViews.Count == 0 ? null : result.Plan.CompatViews.Select(v => new CompatViewDocument(v.DisplayName, v.Table.DisplayName)).ToList(),
            verification?.Document,
            [.. result.Phases.Select(p => new PhaseDocument(p.Phase, Math.Round(p.Started, 3), Math.Round(p.Seconds, 3)))],
            [.. result.Plan.Mapping],
            TableTransformSummary.Of(result.Plan) is { Count: > 0 } transforms ? transforms : null,
            ExpectGate.Document(check)));

        var console = invocation.Human;
        // The filtered column only when a --where left rows out of some table.
        var filtered = result.Tables.Any(t => t.RowsFiltered > 0);
        var summary = new Table().AddColumns(["source", "table", "rows read", "written", "rejected", .. filtered ? ["filtered"] : Array.Empty<string>(), "time"]);
        foreach (var column in summary.Columns.Skip(2))
            column.RightAligned();
        foreach (var t in result.Tables)
        {
            summary.AddRow([
                Cell(t.Source),
                Cell(t.Target) + (t.Resumed ? " [grey](earlier run)[/]" : ""),
                t.RowsRead.ToString("N0", CultureInfo.InvariantCulture),
                t.RowsWritten.ToString("N0", CultureInfo.InvariantCulture),
                t.RowsRejected > 0 ? $"[red]{t.RowsRejected.ToString("N0", CultureInfo.InvariantCulture)}[/]" : "0",
                .. filtered ? [t.RowsFiltered.ToString("N0", CultureInfo.InvariantCulture)] : Array.Empty<string>(),
                Seconds(t.Seconds) + " s"]);
        }

        summary.AddRow([
            "[bold]total[/]",
            "",
            result.RowsRead.ToString("N0", CultureInfo.InvariantCulture),
            result.RowsWritten.ToString("N0", CultureInfo.InvariantCulture),
            result.RowsRejected.ToString("N0", CultureInfo.InvariantCulture),
            .. filtered ? [result.RowsFiltered.ToString("N0", CultureInfo.InvariantCulture)] : Array.Empty<string>(),
            Seconds(result.Seconds) + " s"]);
        console.Write(summary);
        invocation.Note("steps: " + string.Join(", ", result.Phases.Select(p => $"{p.Phase} {Seconds(p.Seconds)} s")));
        foreach (var transformed in TableTransformSummary.Of(result.Plan))
            invocation.Note($"transform of {transformed.Table}: {string.Join("; ", transformed.Changes)}");
        if (result.Plan.CompatViews.Count > 0)
            invocation.Note("compatibility views: " + string.Join(", ", result.Plan.CompatViews.Select(v => $"{v.DisplayName} → {v.Table.DisplayName}")));
        foreach (var note in result.Notes)
            invocation.Note("note: " + note);
        foreach (var warning in result.Warnings)
            invocation.Warn(warning);
        foreach (var orphans in result.Orphans)
        {
            console.MarkupLineInterpolated(
                $"[red]orphans:[/] {LineText.Escape($"{orphans.Table} ({string.Join(", ", orphans.Columns)}) → {orphans.ReferencedTable}: {Rows(orphans.Rows)} without a parent; {orphans.Constraint} stays NOT VALID. Keys: {string.Join("; ", orphans.Keys)}")}");
        }

        foreach (var failure in result.Failures)
            console.MarkupLineInterpolated($"[red]failed:[/] {LineText.Escape(failure)}");
        foreach (var t in result.Tables.Where(t => t.RejectFile is not null))
            console.MarkupLineInterpolated($"[red]rejected:[/] {LineText.Escape($"{Rows(t.RowsRejected)} of {t.Source} in {t.RejectFile}")}");
        console.MarkupLineInterpolated(result.Ok
            ? (FormattableString)$"[green]copied[/] {result.Source} → {result.Target}: {Rows(result.RowsWritten)}, every table's count checked"
            : $"[red]copied with problems[/] {result.Source} → {result.Target}: {Rows(result.RowsRejected)} rejected (see {result.RejectsDirectory}), {result.Orphans.Count} foreign keys with orphans, {result.Failures.Count} other failures");
        ExpectGate.Render(invocation, check);
    }

    static string Rows(long count) => count == 1 ? "1 row" : $"{count} rows";

    static string Cell(string text) => Markup.Escape(LineText.Escape(text));

    static void RenderPlan(Invocation invocation, CopyResult result)
    {
        var plan = result.Plan;
        var script = plan.Script();
        if (invocation.Json)
        {
            invocation.WriteJson(new PlanDocument(true, true, result.Source, plan.Mapping.ToList(), script, result.Warnings, result.Notes.Count == 0 ? null : result.Notes));
            return;
        }

        var mapping = new Table().AddColumns("table", "column", "source type", "target type", "rule", "notes");
        foreach (var row in plan.Mapping)
        {
            mapping.AddRow(Cell(row.Table), Cell(row.Column), Cell(row.SourceType.Length == 0 ? "(none)" : row.SourceType),
                Cell(row.TargetType), Cell(row.Rule), Cell(row.Notes));
        }

        invocation.Human.Write(mapping);
        foreach (var note in result.Notes)
            invocation.Note("note: " + note);
        foreach (var warning in result.Warnings)
            invocation.Warn(warning);
        invocation.Host.Out.WriteLine();
        invocation.Host.Out.Write(script);
    }

    /// <summary>The snapshot before <c>--replace</c> drops tables: once per run (a retried create step does not take another).</summary>
    static async Task SnapshotAsync(Invocation invocation, Connections.PostgresTarget target, IReadOnlyList<string> replaced, CancellationToken cancellationToken)
    {
        if (invocation.Run!.Snapshot is not null)
            return;
        var manifest = await Ferry.Backup.BackupRunner.CreateAsync(
            target, new Ferry.Backup.BackupRequest { Tables = replaced, RunId = invocation.Run.RunId, Reason = "copy --replace --backup", Jobs = 4 }, new Progress<string>(invocation.Note), cancellationToken);
        invocation.Run.Snapshot = manifest.Name;
        invocation.HumanLine($"snapshot {manifest.Name}: {string.Join(", ", replaced)} ({manifest.Tables.Sum(t => t.Rows)} rows) before --replace drops them; `ferry rollback` puts them back");
    }

    internal sealed record CopyDocument(
        bool Ok,
        string Source,
        string? Target,
        double Seconds,
        string RejectsDir,
        IReadOnlyList<CopiedTable> Tables,
        CreatedDocument Created,
        IReadOnlyList<string> Replaced,
        IReadOnlyList<string> Warnings,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Notes,
        IReadOnlyList<string> Failures,
        IReadOnlyList<OrphanDocument> Orphans,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<CompatViewDocument>? CompatViews,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] VerifyCommand.VerifyDocument? Verify,
        IReadOnlyList<PhaseDocument> Phases,
        IReadOnlyList<TypeMappingRow> Mapping,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<TableTransformSummary>? Transforms,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] CheckCommand.CheckDocument? Check);

    /// <summary>What the run created in the target (<see cref="CreatedByCopy"/>), as <c>schema.name</c>: what a rollback of it drops.</summary>
    internal sealed record CreatedDocument(IReadOnlyList<string> Schemas, IReadOnlyList<string> Tables, IReadOnlyList<string> Views, IReadOnlyList<string> Types);

    /// <summary>A step of the copy: when it started (seconds from the run's start) and how long it took.</summary>
    internal sealed record PhaseDocument(string Phase, double Started, double Seconds);

    /// <summary>A table's rejects of one column and reason pattern (<see cref="RejectGroup"/>).</summary>
    internal sealed record RejectsDocument(string? Column, string Reason, long Rows, IReadOnlyList<RejectSampleDocument> Samples)
    {
        public static RejectsDocument Of(RejectGroup group) =>
            new(group.Column, group.Reason, group.Rows, [.. group.Samples.Select(s => new RejectSampleDocument(KeyObject(s.Key), s.Value))]);

        /// <summary>The key as an object, as the rejects file writes it (a name met twice keeps its first value).</summary>
        static Dictionary<string, string?> KeyObject(IReadOnlyList<KeyValuePair<string, string?>> key)
        {
            var map = new Dictionary<string, string?>(key.Count, StringComparer.Ordinal);
            foreach (var (name, value) in key)
                map.TryAdd(name, value);
            return map;
        }
    }

    internal sealed record RejectSampleDocument(IReadOnlyDictionary<string, string?> Key, string? Value);

    /// <summary>A compatibility view (<c>--compat-views</c>) and the copied table it shows under the old names.</summary>
    internal sealed record CompatViewDocument(string View, string Table);

    internal sealed record CopiedTable(string Source, string Target, long RowsRead, long RowsWritten, long RowsRejected, double Seconds, long RowsRepaired, bool Resumed, IReadOnlyList<RejectsDocument> Rejects, long RowsFiltered);

    internal sealed record OrphanDocument(string Table, string Constraint, IReadOnlyList<string> Columns, string ReferencedTable, long Rows, IReadOnlyList<string> Keys);

    internal sealed record PlanDocument(
        bool Ok,
        bool DryRun,
        string Source,
        IReadOnlyList<TypeMappingRow> Mapping,
        string Ddl,
        IReadOnlyList<string> Warnings,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Notes);
}
