using System.CommandLine;
using Ferry.Backup;
using Ferry.Check;
using Ferry.Check.Spec;
using Ferry.Migrations;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry migrate up</c>: the expectations around it and the snapshot before it.</summary>
internal static partial class MigrateCommand
{
    static Command Up(CliHost host)
    {
        var to = new Option<string?>("--to") { Description = "Stop after this version", HelpName = "VERSION" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the SQL that would run, in order, with transaction boundaries; change nothing" };
        var ignoreDrift = new Option<bool>("--ignore-drift") { Description = "Run even when applied files were edited or removed" };
        var outOfOrder = new Option<bool>("--allow-out-of-order") { Description = "Apply pending files older than the newest applied version" };
        var backup = new Option<string?>("--backup")
        {
            Description = "Snapshot the tables the pending migrations touch before applying them (--backup all: every table of their schemas); default on a protected environment",
            HelpName = "all",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var expect = new ExpectOption();
        var command = new Command("up", "Apply pending migrations, each in its own transaction with its history row") { to, dryRun, ignoreDrift, outOfOrder, backup, expect.Option };
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var parse = invocation.ParseResult;
            var dry = parse.GetValue(dryRun);
            invocation.Run!.Skipped = dry;
            var whole = parse.GetValue(backup) switch
            {
                null => false,
                "all" => true,
                var other => throw new FerryException($"--backup {other}: give --backup alone (the tables the migrations touch) or --backup all (every table of their schemas)."),
            };
            var snapshotWanted = parse.GetResult(backup) is not null || invocation.Project.Environment is { Protected: true };
            var expectations = dry ? ExpectationSpec.Empty : expect.Spec(invocation);
            var options = new MigratorOptions { IgnoreDrift = parse.GetValue(ignoreDrift), AllowOutOfOrder = parse.GetValue(outOfOrder) };
            var target = await invocation.ResolveTargetAsync(null, cancellationToken);
            var migrator = await MigratorAsync(invocation, options, cancellationToken, target);
            var before = await ExpectGate.RunAsync(invocation, expectations, CheckStage.Before, o => new CheckRunner(target, o), null, cancellationToken);
            if (before is { Result.Ok: false } refused)
                return ExpectGate.Refuse(invocation, refused, "no migration was applied.", d => invocation.Document(new RunDocument(false, migrator.HistoryTable, false, [], null, d)));
            var up = new UpOptions { To = parse.GetValue(to), DryRun = dry };
            var snapshot = await MigrationSnapshot.PlanAsync(migrator, up, whole, cancellationToken);
            SnapshotDocument? taken = null;
            if (snapshotWanted && snapshot.Pending)
            {
                taken = new SnapshotDocument(null, snapshot.Tables, snapshot.Schemas);
                if (dry)
                {
                    invocation.Note($"would back up before migrating: {Listed(snapshot)}");
                }
                else
                {
                    var manifest = await BackupRunner.CreateAsync(target, snapshot.Request with { RunId = invocation.Run.RunId, Jobs = 4 }, new Progress<string>(invocation.Note), cancellationToken);
                    taken = taken with { Name = manifest.Name };
                    invocation.HumanLine($"snapshot {manifest.Name}: {Listed(snapshot)} ({manifest.Tables.Sum(t => t.Rows)} rows); `ferry rollback` undoes this run from it");
                }
            }

            return await RunAsync(invocation, migrator.HistoryTable, "applied", () => migrator.UpAsync(up, cancellationToken),
                () => ExpectGate.RunAsync(invocation, expectations, CheckStage.After, o => new CheckRunner(target, o), null, cancellationToken),
                taken, dry ? null : snapshot.Touched);
        }, journal: "migrate up");
        return command;
    }

    static string Listed(MigrationSnapshot snapshot) =>
        snapshot.Schemas.Count > 0 ? $"every table of {string.Join(", ", snapshot.Schemas)}"
        : snapshot.Tables.Count > 0 ? string.Join(", ", snapshot.Tables)
        : "no existing table (the inventory only: what the migrations create is dropped by a rollback)";
}
