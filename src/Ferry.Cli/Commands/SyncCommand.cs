using System.CommandLine;
using System.Globalization;
using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Sync;
using Ferry.Transforms;
using Spectre.Console;

namespace Ferry.Cli.Commands;

internal static class SyncCommand
{
    public static Command Create(CliHost host)
    {
        var sourceArgument = new Argument<string>("SOURCE")
        {
            Description = "sqlite:PATH, duckdb:PATH, parquet:GLOB / csv:GLOB (with --table NAME), or postgres://USER@HOST/DB",
        };
        var to = SharedOptions.To();
        var tables = new Option<string?>("--tables") { Description = "Sync only these source tables (comma-separated)", HelpName = "a,b" };
        var table = new Option<string?>("--table") { Description = "The target table's name for a parquet: or csv: glob (a glob is one table)", HelpName = "NAME" };
        var watermark = new Option<string[]>("--watermark") { Description = "The column that grows with each change: COLUMN for every table, or table=COLUMN (repeatable)", HelpName = "COLUMN|table=COLUMN", AllowMultipleArgumentsPerToken = false };
        var backup = new Option<bool>("--backup") { Description = "Snapshot the tables this run changes before changing them (default on a protected environment under --deletes apply)" };
        var byDiff = new Option<bool>("--by-diff") { Description = "Sync every table by diff: bucket fingerprints of both sides compared, the differing keys' rows applied (a table without a watermark column is synced so anyway)" };
        var overlap = new Option<string>("--overlap") { Description = "How far below the last date/timestamp watermark to read again (5m, 30s, 1h, 0)", DefaultValueFactory = _ => "5m", HelpName = "DURATION" };
        var deletes = new Option<string>("--deletes") { Description = "Target rows whose key the source no longer has: ignore (count them) or apply (delete them)", DefaultValueFactory = _ => "ignore" };
        deletes.AcceptOnlyFromAmong("ignore", "apply");
        var onSchemaChange = new Option<string>("--on-schema-change") { Description = "add: a new source column is added to the target (a dropped or retyped one stops the table); fail: any change stops it", DefaultValueFactory = _ => "add" };
        onSchemaChange.AcceptOnlyFromAmong("add", "fail");
        var jobs = new Option<int?>("--jobs") { Description = $"The first run's copy: tables loaded at once (default {CopyOptions.DefaultJobs})", HelpName = "N" };
        var names = new Option<string?>("--names") { Description = "How source names become PostgreSQL names: lower, preserve or snake (default: lower; preserve for a PostgreSQL source)" };
        names.AcceptOnlyFromAmong("lower", "preserve", "snake");
        var rejects = new Option<string>("--rejects") { Description = "Directory for <table>.jsonl reject files", DefaultValueFactory = _ => "ferry-rejects", HelpName = "DIR" };
        var schema = new Option<string?>("--schema") { Description = "The schema the tables are in (and created in by the first run)", HelpName = "S" };
        var cast = new Option<string[]>("--cast") { Description = "Override a column's type: table.column=type (repeatable)", HelpName = "t.c=type", AllowMultipleArgumentsPerToken = false };
        var transform = new TransformOption();
        var every = new Option<string?>("--every") { Description = "Keep running, syncing every interval (6h, 30m, 1h30m), the first run at once", HelpName = "INTERVAL" };
        var cron = new Option<string?>("--cron") { Description = "Keep running, syncing at a cron expression's times ('0 */6 * * *')", HelpName = "EXPR" };
        var timeZone = new Option<string?>("--timezone") { Description = "The time zone --cron's times are in (an IANA name; default UTC)", HelpName = "ZONE" };

        var command = new Command("sync", "Keep target tables current with their source: the first run copies, later runs apply the rows above a watermark by key, with deletes counted or applied")
        {
            sourceArgument, to, tables, table, watermark, byDiff, backup, overlap, deletes, onSchemaChange, jobs, names, rejects, schema, cast, transform.Option,
            every, cron, timeZone, SyncStatusCommand.Create(host),
        };
        var reading = new SourceReadingOptions();
        reading.AddTo(command);
        command.SetHandler(host, (invocation, cancellationToken) =>
            SyncSchedule.Parse(invocation.ParseResult.GetValue(every), invocation.ParseResult.GetValue(cron), invocation.ParseResult.GetValue(timeZone)) is { } schedule
                ? SyncScheduleLog.RunAsync(invocation, schedule, OnceAsync, cancellationToken)
                : OnceAsync(invocation, cancellationToken, null), journal: "sync");
        return command;

        // One run: a single sync, or a scheduled one's slot (telling ran what it did).
        async Task<int> OnceAsync(Invocation invocation, CancellationToken cancellationToken, Action<SyncResult>? ran)
        {
            var parse = invocation.ParseResult;
            var sourceText = parse.GetValue(sourceArgument)!;
            var (all, perTable) = SyncOptions.ParseWatermarks(parse.GetValue(watermark) ?? []);
            var copy = new CopyOptions
            {
                Source = sourceText,
                Tables = SharedOptions.TableList(parse.GetValue(tables)),
                TableName = parse.GetValue(table),
                TargetSchema = parse.GetValue(schema),
                Jobs = parse.GetValue(jobs) ?? CopyOptions.DefaultJobs,
                Names = parse.GetValue(names) is { } rule ? Naming.Parse(rule) : SourceFactory.DefaultNames(sourceText),
                RejectsDirectory = host.ResolvePath(parse.GetValue(rejects)!),
                Casts = CopyOptions.ParseCasts(parse.GetValue(cast) ?? []),
                Logger = new StderrLogger(invocation),
                InvalidUtf8 = reading.InvalidUtf8(parse),
                Filters = reading.Filters(parse),
                EngineOptions = reading.Engines(parse),
            };
            copy = TransformBinding.Apply(transform.Spec(invocation), copy);
            var options = new SyncOptions
            {
                Copy = copy,
                Watermark = all,
                TableWatermarks = perTable,
                ByDiff = parse.GetValue(byDiff),
                Overlap = SyncOptions.ParseOverlap(parse.GetValue(overlap)!),
                Deletes = parse.GetValue(deletes) == "apply" ? SyncDeletes.Apply : SyncDeletes.Ignore,
                OnSchemaChange = parse.GetValue(onSchemaChange) == "fail" ? SchemaChangeRule.Fail : SchemaChangeRule.Add,
            };

            // The source first: a missing file is reported before any cluster is started.
            invocation.WarnOfSourcePassword(sourceText);
            await using var source = SourceFactory.Open(copy.Source, copy.SourceOptions, copy.TableName, host.WorkingDirectory);
            var target = await invocation.ResolveTargetAsync(to, cancellationToken, startRun: false);
            options = options with { Copy = copy with { Target = target, BeforeFirstWrite = ct => invocation.Run!.StartAsync(invocation, target, ct) } };
            if (parse.GetValue(backup) || (options.Deletes == SyncDeletes.Apply && invocation.Project.Environment is { Protected: true }))
                options = options with { BeforeChanges = (tables, ct) => SnapshotAsync(invocation, target, tables, ct) };
            var result = await new SyncRunner(options).RunAsync(source, cancellationToken);
            ran?.Invoke(result);
            Render(invocation, result);
            return result.Ok && result.Tables.All(t => t.RowsRejected == 0) ? ExitCodes.Success : ExitCodes.Failed;
        }
    }

    /// <summary>The snapshot before a run changes its tables (<c>--backup</c>): `ferry restore` puts them back as they were.</summary>
    static async Task SnapshotAsync(Invocation invocation, Connections.PostgresTarget target, IReadOnlyList<string> tables, CancellationToken cancellationToken)
    {
        var manifest = await Ferry.Backup.BackupRunner.CreateAsync(
            target, new Ferry.Backup.BackupRequest { Tables = tables, RunId = invocation.Run!.RunId, Reason = "sync --backup", Jobs = 4 }, new Progress<string>(invocation.Note), cancellationToken);
        invocation.HumanLine($"snapshot {manifest.Name}: {string.Join(", ", tables)} ({manifest.Tables.Sum(t => t.Rows)} rows) before the sync changes them; `ferry restore {manifest.Name}` puts them back");
    }

    static void Render(Invocation invocation, SyncResult result)
    {
        invocation.Document(new SyncDocument(
            result.Ok && result.Tables.All(t => t.RowsRejected == 0),
            result.Source,
            result.Target,
            Math.Round(result.Seconds, 3),
            [.. result.Tables.Select(t => new SyncedTable(
                t.Source, t.Target, t.Mode, t.Ok, t.WatermarkColumn, t.WatermarkBefore, t.WatermarkAfter,
                t.RowsRead, t.RowsInserted, t.RowsUpdated, t.RowsDeleted, t.DeletesPending, t.RowsRejected, Math.Round(t.Seconds, 3), t.Notes, t.Error))]));

        var console = invocation.Human;
        var summary = new Table().AddColumns("table", "mode", "read", "inserted", "updated", "deleted", "deletes pending", "watermark");
        foreach (var column in summary.Columns.Skip(2).Take(5))
            column.RightAligned();
        foreach (var t in result.Tables)
        {
            summary.AddRow(
                new Text($"{t.Source} → {t.Target}"),
                new Markup(t.Ok ? Markup.Escape(t.Mode) : "[red]stopped[/]"),
                new Text(Count(t.RowsRead)),
                new Text(Count(t.RowsInserted)),
                new Text(Count(t.RowsUpdated)),
                new Text(Count(t.RowsDeleted)),
                new Text(t.DeletesPending is { } pending ? Count(pending) : "—"),
                new Text(t.WatermarkAfter ?? t.WatermarkBefore ?? "—"));
        }

        console.Write(summary);
        foreach (var t in result.Tables)
        {
            foreach (var note in t.Notes)
                console.MarkupLineInterpolated($"  [grey]{t.Target}: {note}[/]");
            if (t.Error is { } error)
                console.MarkupLineInterpolated($"  [red]{t.Target}: {error}[/]");
            if (t.RowsRejected > 0)
                console.MarkupLineInterpolated($"  [yellow]{t.Target}: {t.RowsRejected} rows rejected (see the rejects directory)[/]");
        }

        var stopped = result.Tables.Count(t => !t.Ok);
        var seconds = result.Seconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (stopped == 0)
            console.MarkupLineInterpolated($"[green]synced {result.Tables.Count} table{(result.Tables.Count == 1 ? "" : "s")}[/] ({seconds} s)");
        else
            console.MarkupLineInterpolated($"[red]{stopped} of {result.Tables.Count} table{(result.Tables.Count == 1 ? "" : "s")} stopped[/] ({seconds} s)");
    }

    static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    internal sealed record SyncDocument(bool Ok, string Source, string Target, double Seconds, IReadOnlyList<SyncedTable> Tables);

    internal sealed record SyncedTable(
        string Source,
        string Target,
        string Mode,
        bool Ok,
        string? WatermarkColumn,
        string? WatermarkBefore,
        string? WatermarkAfter,
        long RowsRead,
        long RowsInserted,
        long RowsUpdated,
        long RowsDeleted,
        long? DeletesPending,
        long RowsRejected,
        double Seconds,
        IReadOnlyList<string> Notes,
        string? Error);
}
