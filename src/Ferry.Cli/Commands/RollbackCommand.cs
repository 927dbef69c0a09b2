using System.CommandLine;
using Ferry.Journal;
using Ferry.Rollback;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry rollback [RUN_ID|last] [--dry-run] [--from-backup]</c>: undoes one journaled copy or migrate up run.</summary>
internal static class RollbackCommand
{
    public static Command Create(CliHost host)
    {
        var run = new Argument<string>("RUN") { Description = "The run to undo: its id (as ferry runs lists them), or last (the newest copy or migrate up not rolled back)", DefaultValueFactory = _ => "last" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what the rollback would do, in order; change nothing" };
        var fromBackup = new Option<bool>("--from-backup") { Description = "Undo a migrate up run from its snapshot even when its migrations have down files" };
        var force = new Option<bool>("--force") { Description = "Let a down file drop a table or column that holds rows" };
        var jobs = new Option<int?>("--jobs") { Description = "Tables a snapshot's restore puts back at once (default 4)", HelpName = "N" };
        var command = new Command("rollback", "Undo one run from the journal: a migrate up by its down files or its snapshot, a copy by dropping what it created and restoring what it replaced")
        {
            run, dryRun, fromBackup, force, jobs, MigrateCommand.Dir, MigrateCommand.HistoryTable, MigrateCommand.LockTimeout,
        };
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var parse = invocation.ParseResult;
            var dry = parse.GetValue(dryRun);
            invocation.Run!.Skipped = dry;
            var id = RunHistory.ParseId(parse.GetValue(run)!);
            var target = await invocation.ResolveTargetAsync(null, cancellationToken);
            var options = new RollbackOptions
            {
                RunId = id,
                FromBackup = parse.GetValue(fromBackup),
                Force = parse.GetValue(force),
                Jobs = parse.GetValue(jobs) ?? 4,
                Migrator = await MigrateCommand.MigratorAsync(invocation, null, cancellationToken, target),
            };
            var runner = new RollbackRunner(target, options);
            var plan = await runner.PlanAsync(cancellationToken);
            if (dry)
            {
                invocation.Document(RollbackDocument.Of(plan, null, dryRun: true));
                invocation.HumanLine($"rollback of run {plan.RunId} ({plan.RunKind}) would, by {Strategy(plan.Strategy)}:");
                foreach (var action in plan.Actions)
                    invocation.HumanLine("  " + action);
                return ExitCodes.Success;
            }

            invocation.ConfirmOnProtected($"ferry rollback of run {plan.RunId}");
            var result = await runner.RunAsync(plan, new Progress<string>(invocation.Note), cancellationToken);
            invocation.Document(RollbackDocument.Of(plan, result, dryRun: false));
            foreach (var action in plan.Actions)
                invocation.HumanLine("done: " + action);
            if (result.Restore is { } restore)
            {
                foreach (var table in restore.Tables)
                    invocation.HumanLine($"{table.Table}: {table.Rows} rows, {(table.Proven ? "proven identical to the snapshot" : "DIFFERS from the snapshot's fingerprint")}");
            }

            invocation.HumanLine(result.Ok
                ? $"rolled back run {plan.RunId} ({plan.RunKind})"
                : $"rolled back run {plan.RunId} ({plan.RunKind}), but {string.Join(", ", result.Restore!.Tables.Where(t => !t.Proven).Select(t => t.Table))} did not prove identical to snapshot {plan.Backup}");
            return result.Ok ? ExitCodes.Success : ExitCodes.Failed;
        }, journal: "rollback");
        return command;
    }

    static string Strategy(RollbackStrategy strategy) => strategy switch
    {
        RollbackStrategy.DownFiles => "its down files",
        RollbackStrategy.Snapshot => "its snapshot",
        _ => "dropping what it created",
    };

    /// <summary>The rollback's document; <c>rolled_back</c> and <c>touched</c> let a later rollback see what this one did.</summary>
    internal sealed record RollbackDocument(
        bool Ok,
        bool DryRun,
        long RolledBack,
        string Kind,
        string Strategy,
        string? Backup,
        IReadOnlyList<string> Actions,
        IReadOnlyList<string> Touched,
        IReadOnlyList<RestoredTableDocument> Restored,
        IReadOnlyList<string> Reverted)
    {
        public static RollbackDocument Of(RollbackPlan plan, RollbackResult? result, bool dryRun) => new(
            result?.Ok ?? true,
            dryRun,
            plan.RunId,
            plan.RunKind,
            plan.Strategy switch { RollbackStrategy.DownFiles => "down_files", RollbackStrategy.Snapshot => "snapshot", _ => "drop_created" },
            plan.Backup,
            plan.Actions,
            plan.Tables,
            [.. result?.Restore?.Tables.Select(t => new RestoredTableDocument(t.Table, t.Rows, t.Proven)) ?? []],
            [.. result?.Reverted?.Steps.Select(s => s.File) ?? []]);
    }

    internal sealed record RestoredTableDocument(string Table, long Rows, bool Proven);
}
