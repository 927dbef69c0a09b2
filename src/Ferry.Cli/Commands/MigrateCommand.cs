using System.CommandLine;
using System.Globalization;
using Ferry.Check;
using Ferry.Check.Spec;
using Ferry.Connections;
using Ferry.Migrations;
using Spectre.Console;

namespace Ferry.Cli.Commands;

/// <summary><c>ferry migrate init|new|status|up|down|validate|repair|baseline</c>.</summary>
internal static partial class MigrateCommand
{
    internal static readonly Option<string?> Dir = new("--dir")
    {
        Description = "The migrations folder (default: the project file's migrations.dir, else FERRY_MIGRATIONS, else ./migrations)",
        HelpName = "PATH",
        Recursive = true,
    };

    internal static readonly Option<string?> HistoryTable = new("--history-table")
    {
        Description = "The history table, schema.table (default: the project file's migrations.history_table, else public.schema_migrations)",
        HelpName = "TABLE",
        Recursive = true,
    };

    internal static readonly Option<double?> LockTimeout = new("--lock-timeout")
    {
        Description = "Seconds to wait for another runner's migration lock before giving up, exit 1 (default: the project file's migrations.lock_timeout, else 60)",
        HelpName = "SECONDS",
        Recursive = true,
    };

    public static Command Create(CliHost host)
    {
        var migrate = new Command("migrate", "Versioned schema migrations: a history table with checksums, one runner at a time (advisory lock), a transaction per migration")
        {
            Dir,
            HistoryTable,
            LockTimeout,
        };
        migrate.Add(Init(host));
        migrate.Add(New(host));
        migrate.Add(Status(host));
        migrate.Add(Up(host));
        migrate.Add(Down(host));
        migrate.Add(Validate(host));
        migrate.Add(Repair(host));
        migrate.Add(Baseline(host));
        return migrate;
    }

    internal static async Task<Migrator> MigratorAsync(Invocation invocation, MigratorOptions? options, CancellationToken cancellationToken, PostgresTarget? target = null)
    {
        target ??= await invocation.ResolveTargetAsync(null, cancellationToken);
        var timeout = invocation.ParseResult.GetValue(LockTimeout) ?? FileSettings(invocation)?.LockTimeoutSeconds ?? 60;
        if (timeout < 0 || double.IsNaN(timeout))
            throw new FerryException($"--lock-timeout {timeout}: give a number of seconds, 0 or more.");
        options = (options ?? new MigratorOptions()) with
        {
            Directory = DirectoryOf(invocation),
            HistoryTable = invocation.ParseResult.GetValue(HistoryTable) ?? FileSettings(invocation)?.HistoryTable?.Resolve(invocation.Host.Environment) ?? MigratorOptions.DefaultHistoryTable,
            LockTimeout = TimeSpan.FromSeconds(timeout),
        };
        return new Migrator(target, options, new StderrLogger(invocation));
    }

    /// <summary>The project file's migrations section as the selected environment sees it; null without a project file.</summary>
    static Project.MigrationsSettings? FileSettings(Invocation invocation) =>
        invocation.Project.Environment?.Migrations ?? invocation.Project.Project?.Migrations;

    /// <summary>--dir, else the project file's migrations.dir (relative to the project root), else FERRY_MIGRATIONS, else ./migrations.</summary>
    static string DirectoryOf(Invocation invocation)
    {
        if (invocation.ParseResult.GetValue(Dir) is { } given)
            return invocation.Host.ResolvePath(given);
        if (FileSettings(invocation)?.Dir is { } fromFile)
            return invocation.Project.Project!.ResolvePath(fromFile.Resolve(invocation.Host.Environment));
        return invocation.Host.ResolvePath(invocation.Host.Environment("FERRY_MIGRATIONS") is { Length: > 0 } fromEnvironment ? fromEnvironment : "migrations");
    }

    static Command Init(CliHost host)
    {
        var command = new Command("init", "Create the migrations folder and the history table");
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var migrator = await MigratorAsync(invocation, null, cancellationToken);
            var report = await migrator.InitAsync(cancellationToken);
            var projectFile = invocation.Project.Project is null ? WriteProjectFile(invocation, report) : null;
            if (invocation.Json)
                invocation.WriteJson(new InitDocument(report.Directory, report.DirectoryCreated, report.HistoryTable, report.TableCreated, projectFile));
            invocation.Human.MarkupLineInterpolated($"migrations folder {report.Directory} ({(report.DirectoryCreated ? "created" : "exists")}); history table {report.HistoryTable} ({(report.TableCreated ? "created" : "exists")})");
            if (projectFile is not null)
                invocation.Human.MarkupLineInterpolated($"wrote {projectFile}: the next commands here take the folder and the history table from it");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Without a project file, <c>migrate init</c> writes one in the current folder holding the folder and history table
    /// it used; the migrations are set up either way, so a folder that cannot be written to only warns.
    /// </summary>
    static string? WriteProjectFile(Invocation invocation, InitReport report)
    {
        try
        {
            return Project.ProjectTemplate.Write(invocation.Host.WorkingDirectory, report.Directory, report.HistoryTable).Path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            invocation.Warn($"ferry.yml not written in {invocation.Host.WorkingDirectory} ({e.Message}); `ferry init` writes it later.");
            return null;
        }
    }

    internal sealed record InitDocument(string Directory, bool DirectoryCreated, string HistoryTable, bool TableCreated, string? ProjectFile);

    static Command New(CliHost host)
    {
        var name = new Argument<string>("NAME") { Description = "What the migration does, e.g. create_users" };
        var command = new Command("new", "Create the up and down files of the next migration, numbered after the newest one") { name };
        command.SetHandler(host, (invocation, _) =>
        {
            var files = Migrator.NewMigration(DirectoryOf(invocation), invocation.ParseResult.GetValue(name)!);
            if (invocation.Json)
                invocation.WriteJson(new FilesDocument(files));
            foreach (var file in files)
                invocation.Human.MarkupLineInterpolated($"created {file}");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    static Command Status(CliHost host)
    {
        var command = new Command("status", "Every migration with its state: applied, pending, failed, changed (edited after it was applied) or missing (applied, file gone)");
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var migrator = await MigratorAsync(invocation, null, cancellationToken);
            var report = await migrator.StatusAsync(cancellationToken);
            if (invocation.Json)
            {
                invocation.WriteJson(new StatusDocument(
                    report.HistoryTable,
                    [.. report.Migrations.Select(m => new StatusLine(m.Version, m.Name, m.State, m.Checksum, m.AppliedAt, m.ExecutionMs))]));
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("version", "name", "state", "applied at", "ms", "checksum");
            foreach (var m in report.Migrations)
            {
                table.AddRow(
                    new Text(m.Version ?? (m.Kind == MigrationKind.Repeatable ? "R" : "")),
                    new Text(m.Name),
                    new Markup(StateMarkup(m.State)),
                    new Text(m.AppliedAt?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? ""),
                    new Text(m.ExecutionMs?.ToString(CultureInfo.InvariantCulture) ?? ""),
                    new Text(m.Checksum?[..12] ?? ""));
            }

            invocation.Human.Write(table);
            if (report.Migrations.Count == 0)
                invocation.Human.MarkupLineInterpolated($"no migrations in {migrator.Directory} and none recorded in {report.HistoryTable}");
            WriteNextSteps(invocation, report.Problems);
            return ExitCodes.Success;
        });
        return command;
    }

    static Command Down(CliHost host)
    {
        var steps = new Option<int?>("--steps") { Description = "How many applied migrations to revert, newest first (default 1)", HelpName = "N" };
        var to = new Option<string?>("--to") { Description = "Revert every migration above this version", HelpName = "VERSION" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the SQL that would run; change nothing" };
        var force = new Option<bool>("--force") { Description = "Run down files that drop tables or columns holding rows though no snapshot covers them" };
        var command = new Command("down", "Revert applied migrations with their down files, newest first; refused when one drops a table or column holding rows that no snapshot covers") { steps, to, dryRun, force };
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            invocation.Run!.Skipped = invocation.ParseResult.GetValue(dryRun);
            if (!invocation.ParseResult.GetValue(dryRun))
                invocation.ConfirmOnProtected("ferry migrate down");
            var target = await invocation.ResolveTargetAsync(null, cancellationToken);
            var migrator = await MigratorAsync(invocation, null, cancellationToken, target);
            var down = new DownOptions
            {
                Steps = invocation.ParseResult.GetValue(steps),
                To = invocation.ParseResult.GetValue(to),
                DryRun = invocation.ParseResult.GetValue(dryRun),
                Force = invocation.ParseResult.GetValue(force),
                SnapshotCovers = async (schema, table, ct) => await Ferry.Backup.BackupCatalog.LatestCoveringAsync(target, schema, table, ct) is not null,
            };
            return await RunAsync(invocation, migrator.HistoryTable, "reverted", () => migrator.DownAsync(down, cancellationToken));
        }, journal: "migrate down");
        return command;
    }

    static Command Validate(CliHost host)
    {
        var command = new Command("validate", "Check that applied files are unchanged and present, and that nothing failed (exit 1 when not)");
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            var migrator = await MigratorAsync(invocation, null, cancellationToken);
            var problems = await migrator.ValidateAsync(cancellationToken);
            if (invocation.Json)
            {
                invocation.WriteJson(new ValidateDocument(
                    problems.Count == 0,
                    migrator.HistoryTable,
                    [.. problems.Select(p => new ProblemLine(p.Version, p.Name, p.State, p.File, p.NextStep))]));
            }

            if (problems.Count == 0)
            {
                invocation.Human.MarkupLineInterpolated($"ok: every applied migration in {migrator.HistoryTable} matches its file in {migrator.Directory}");
                return ExitCodes.Success;
            }

            foreach (var p in problems)
                invocation.Stderr.MarkupLineInterpolated($"[red]{p.State.ToString().ToLowerInvariant()}[/]: {p.Version} {p.Name}: {p.NextStep}");
            return ExitCodes.Failed;
        });
        return command;
    }

    static Command Repair(CliHost host)
    {
        var command = new Command("repair", "Make the history agree with the folder: drop failed entries, record edited files' checksums, forget migrations whose files are gone");
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            invocation.ConfirmOnProtected("ferry migrate repair");
            var migrator = await MigratorAsync(invocation, null, cancellationToken);
            var actions = await migrator.RepairAsync(cancellationToken);
            invocation.Document(new RepairDocument(migrator.HistoryTable, actions));
            foreach (var a in actions)
                invocation.Human.MarkupLineInterpolated($"{a.Version ?? "R"} {a.Name}: {a.Action}");
            if (actions.Count == 0)
                invocation.Human.MarkupLine("nothing to repair");
            return ExitCodes.Success;
        }, journal: "migrate repair");
        return command;
    }

    static Command Baseline(CliHost host)
    {
        var version = new Option<string>("--version") { Description = "The version the existing schema is at; files up to it count as applied", Required = true, HelpName = "VERSION" };
        var command = new Command("baseline", "Mark an existing database as being at a version, without running those migrations") { version };
        command.SetHandler(host, async (invocation, cancellationToken) =>
        {
            invocation.ConfirmOnProtected("ferry migrate baseline");
            var migrator = await MigratorAsync(invocation, null, cancellationToken);
            var v = invocation.ParseResult.GetValue(version)!;
            await migrator.BaselineAsync(v, cancellationToken);
            invocation.Document(new BaselineDocument(migrator.HistoryTable, v));
            invocation.Human.MarkupLineInterpolated($"{migrator.HistoryTable}: baselined at version {v}");
            return ExitCodes.Success;
        }, journal: "migrate baseline");
        return command;
    }

    /// <summary>Runs up or down and renders the outcome, including a failure, as text or one JSON document.</summary>
    /// <summary>Runs migrations and shows them; <paramref name="after"/> checks the after: expectations once they are applied.</summary>
    static async Task<int> RunAsync(Invocation invocation, string historyTable, string verb, Func<Task<MigrationRunReport>> run, Func<Task<(CheckResult Result, double Seconds)?>>? after = null, SnapshotDocument? backup = null, IReadOnlyList<string>? touched = null)
    {
        MigrationRunReport report;
        try
        {
            report = await run();
        }
        catch (MigrationFailedException e)
        {
            // The run could not do its work (its journal says failed, not problems); the document names where.
            invocation.Run?.FailedRun = true;
            invocation.Document(new FailedRunDocument(
                false,
                historyTable,
                false,
                [.. e.Completed.Select(StepJson)],
                null,
                new RunError(e.File, e.Line, e.Column, e.ServerMessage, e.Detail, e.Hint)));
            throw;
        }

        var check = after is null ? null : await after();
        var expected = check?.Result.Ok ?? true;
        invocation.Document(new RunDocument(expected, report.HistoryTable, report.DryRun, [.. report.Steps.Select(StepJson)], report.Sql, ExpectGate.Document(check), backup, touched));
        if (!invocation.Json && report.DryRun)
            await invocation.Host.Out.WriteAsync(report.Sql);

        if (!report.DryRun)
        {
            foreach (var step in report.Steps)
            {
                var earlier = step.StatementsBefore switch
                {
                    null => "",
                    1 => "; statement 1 had run in an earlier run that stopped part-way",
                    var n => $"; statements 1-{n} had run in an earlier run that stopped part-way",
                };
                invocation.HumanLine($"{verb} {step.File} ({step.ExecutionMs} ms{(step.Transactional ? "" : ", outside a transaction")}{earlier})");
            }

            invocation.HumanLine($"{(report.Steps.Count == 0 ? "nothing to do" : $"{verb} {report.Steps.Count} migration{(report.Steps.Count == 1 ? "" : "s")}")} ({report.HistoryTable})");
        }

        ExpectGate.Render(invocation, check);
        return expected ? ExitCodes.Success : ExitCodes.Failed;
    }

    static StepLine StepJson(MigrationStep s) => new(s.Version, s.Name, s.Kind, s.File, s.Transactional, s.ExecutionMs, s.DownFile);

    static string StateMarkup(MigrationState state) => state switch
    {
        MigrationState.Applied => "[green]applied[/]",
        MigrationState.Pending => "[yellow]pending[/]",
        MigrationState.Failed => "[red]failed[/]",
        MigrationState.Changed => "[red]changed[/]",
        _ => "[red]missing[/]",
    };

    static void WriteNextSteps(Invocation invocation, IReadOnlyList<MigrationStatusEntry> problems)
    {
        foreach (var p in problems)
            invocation.Human.MarkupLineInterpolated($"{p.Version ?? p.Name} {p.State.ToString().ToLowerInvariant()}: {p.NextStep}{(p.Error is null ? "" : $" ({p.Error})")}");
    }

    // The --json documents (JsonOutput; names in snake_case).
    internal sealed record FilesDocument(IReadOnlyList<string> Files);

    internal sealed record StatusDocument(string HistoryTable, IReadOnlyList<StatusLine> Migrations);

    internal sealed record StatusLine(string? Version, string Name, MigrationState State, string? Checksum, DateTimeOffset? AppliedAt, long? ExecutionMs);

    internal sealed record ValidateDocument(bool Ok, string HistoryTable, IReadOnlyList<ProblemLine> Problems);

    internal sealed record ProblemLine(string? Version, string Name, MigrationState State, string? File, string? NextStep);

    internal sealed record RepairDocument(string HistoryTable, IReadOnlyList<RepairAction> Actions);

    internal sealed record BaselineDocument(string HistoryTable, string Baseline);

    internal sealed record RunDocument(
        bool Ok,
        string HistoryTable,
        bool DryRun,
        IReadOnlyList<StepLine> Steps,
        string? Sql,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] CheckCommand.CheckDocument? Check = null,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] SnapshotDocument? Backup = null,
        [property: System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<string>? Touched = null);

    /// <summary>The snapshot before the migrations (<c>--backup</c>): its name (null in a dry run), the tables it keeps, the schemas it keeps whole.</summary>
    internal sealed record SnapshotDocument(string? Name, IReadOnlyList<string> Tables, IReadOnlyList<string> Schemas);

    internal sealed record FailedRunDocument(bool Ok, string HistoryTable, bool DryRun, IReadOnlyList<StepLine> Steps, string? Sql, RunError Error);

    /// <summary>A migration applied or reverted; <paramref name="Down"/> the full path of its down file (null: none), for a rollback to read from the journal.</summary>
    internal sealed record StepLine(string? Version, string Name, MigrationKind Kind, string File, bool Transactional, long? ExecutionMs, string? Down);

    internal sealed record RunError(string File, int? Line, int? Column, string Message, string? Detail, string? Hint);
}
