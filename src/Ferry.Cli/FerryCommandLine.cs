using System.CommandLine;
using System.Reflection;
using Ferry.Cli.Commands;
using Ferry.Connections;
using Ferry.Journal;

namespace Ferry.Cli;

/// <summary>Builds the <c>ferry</c> command tree and runs it: parse, call the library, render.</summary>
internal static class FerryCommandLine
{
    public static string Version =>
        typeof(FerryCommandLine).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    public static RootCommand BuildRoot(CliHost host)
    {
        var root = new RootCommand("Ferry carries an application's data into production PostgreSQL, proves nothing was lost, and evolves the schema with versioned migrations.")
        {
            SharedOptions.Database,
            SharedOptions.Env,
            SharedOptions.Config,
            SharedOptions.Yes,
            SharedOptions.Json,
        };
        root.Add(InitCommand.Create(host));
        root.Add(EnvCommand.Create(host));
        root.Add(DoctorCommand.Create(host));
        root.Add(LocalCommand.Create(host));
        root.Add(MigrateCommand.Create(host));
        root.Add(CopyCommand.Create(host));
        root.Add(VerifyCommand.Create(host));
        root.Add(SyncCommand.Create(host));
        root.Add(CheckCommand.Create(host));
        root.Add(BackupCommand.Create(host));
        root.Add(BackupsCommand.Create(host));
        root.Add(RestoreCommand.Create(host));
        root.Add(RollbackCommand.Create(host));
        root.Add(RunsCommand.Create(host));
        root.Add(ReportCommand.Create(host));
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliHost host, CancellationToken cancellationToken = default)
    {
        var root = BuildRoot(host);
        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            foreach (var error in parseResult.Errors)
                await host.Error.WriteLineAsync($"error: {Readable(error.Message)}");
            var path = string.Join(' ', CommandPath(parseResult).Prepend("ferry"));
            await host.Error.WriteLineAsync($"See '{path} --help'.");
            if (args.Contains("--json", StringComparer.Ordinal))
                await host.Out.WriteLineAsync(JsonOutput.Serialize(ErrorDocument.Of(ErrorDocument.Usage, string.Join(" ", parseResult.Errors.Select(e => Readable(e.Message))))));
            return ExitCodes.UsageOrConfiguration;
        }

        var configuration = new InvocationConfiguration
        {
            Output = host.Out,
            Error = host.Error,
            EnableDefaultExceptionHandler = false,
            // Signals are the caller's: Program registers them before anything runs (see Interruption).
            ProcessTerminationTimeout = null,
        };
        return await parseResult.InvokeAsync(configuration, cancellationToken);
    }

    /// <summary>A parse error in the user's terms: "as expected type 'System.Nullable`1[System.Int32]'" becomes "as a whole number".</summary>
    internal static string Readable(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"as expected type '(?:System\.Nullable`1\[)?System\.(\w+)\]?'", m => m.Groups[1].Value switch
        {
            "Int32" or "Int64" => "as a whole number",
            "Double" or "Decimal" => "as a number",
            "Boolean" => "as true or false",
            "TimeSpan" => "as a duration",
            _ => m.Value,
        });

    static IEnumerable<string> CommandPath(ParseResult parseResult)
    {
        var names = new Stack<string>();
        for (var result = parseResult.CommandResult; result.Parent is System.CommandLine.Parsing.CommandResult parent; result = parent)
            names.Push(result.Command.Name);
        return names;
    }

    /// <summary>
    /// Gives a command its action: expected failures (<see cref="FerryException"/>) become one line on stderr
    /// and exit 1 or 2, the target going away (<see cref="ConnectionLoss"/>) one line and exit 1, Ctrl+C becomes
    /// cancellation, anything else is reported without hiding it. A command with a <paramref name="journal"/> kind
    /// is recorded in its target's <c>ferry.runs</c> (<see cref="RunRecording"/>), however it ends, and takes
    /// <c>--report FILE</c> and <c>--metrics FILE</c>.
    /// </summary>
    public static void SetHandler(this Command command, CliHost host, Func<Invocation, CancellationToken, Task<int>> handler, string? journal = null)
    {
        var (report, metrics) = journal is null ? (null, null) : (SharedOptions.Report(), SharedOptions.Metrics());
        if (report is not null && metrics is not null)
        {
            command.Add(report);
            command.Add(metrics);
        }

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            string? Path(Option<string?>? option) => option is not null && parseResult.GetValue(option) is { } path ? host.ResolvePath(path) : null;
            var files = new RunFiles(Path(report), Path(metrics));
            var invocation = new Invocation(host, parseResult, journal is null ? null : new RunRecording(journal, files));
            return (await RunRecordedAsync(invocation, handler, cancellationToken)).Exit;
        });
    }

    /// <summary>
    /// Runs the handler as <see cref="SetHandler"/> does, and ends its journaled run (a scheduled sync runs one per slot):
    /// its exit code, how it ended, and the error it ended with.
    /// </summary>
    internal static async Task<(int Exit, RunOutcome Outcome, ErrorDocument? Error)> RunRecordedAsync(Invocation invocation, Func<Invocation, CancellationToken, Task<int>> handler, CancellationToken cancellationToken)
    {
        var (exit, outcome, error) = await RunAsync(invocation, handler, cancellationToken);
        // Under --json a failed command still prints one document: its own, else the error's.
        if (error is not null && invocation.Json && !invocation.DocumentWritten)
            invocation.WriteJson(error);
        if (invocation.Run is { } run)
            await run.EndAsync(invocation, outcome, exit, error);
        return (exit, outcome, error);
    }

    /// <summary>Runs the handler; its exit code, how the run ended, and the error line it ended with (null when none).</summary>
    static async Task<(int Exit, RunOutcome Outcome, ErrorDocument? Error)> RunAsync(Invocation invocation, Func<Invocation, CancellationToken, Task<int>> handler, CancellationToken cancellationToken)
    {
        var host = invocation.Host;
        try
        {
            var exit = await handler(invocation, cancellationToken);
            return (exit, exit switch
            {
                ExitCodes.Success => RunOutcome.Ok,
                ExitCodes.Failed when invocation.Run is { FailedRun: false } => RunOutcome.Problems,
                ExitCodes.Cancelled or ExitCodes.Terminated => RunOutcome.Cancelled,
                _ => RunOutcome.Failed,
            }, null);
        }
        catch (FerryException e)
        {
            var message = Redaction.RedactText(e.Message);
            await host.Error.WriteLineAsync($"error: {message}");
            var exit = ExitCodes.For(e.Kind);
            return (exit, RunOutcome.Failed, ErrorDocument.Of(exit == ExitCodes.Failed ? ErrorDocument.Failed : ErrorDocument.Usage, message));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await host.Error.WriteLineAsync("cancelled");
            return (ExitCodes.Cancelled, RunOutcome.Cancelled, ErrorDocument.Of(ErrorDocument.Cancelled, "cancelled"));
        }
        catch (Exception e) when (ConnectionLoss.Describe(e) is { } what)
        {
            // The environment's doing, not a bug: say what happened and what to do.
            var message = $"lost the connection to PostgreSQL: {Redaction.RedactText(what)}. Run the command again when the server is back.";
            await host.Error.WriteLineAsync($"error: {message}");
            return (ExitCodes.Failed, RunOutcome.Failed, ErrorDocument.Of(ErrorDocument.ConnectionLost, message));
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var message = $"unexpected {e.GetType().Name}: {Redaction.RedactText(e.Message)}";
            await host.Error.WriteLineAsync($"error: {message}");
            if (host.Environment("FERRY_DEBUG") is { Length: > 0 })
                await host.Error.WriteLineAsync(Redaction.RedactText(e.ToString()));
            else
                await host.Error.WriteLineAsync("(this is a bug in Ferry; set FERRY_DEBUG=1 to see where it happened)");
            return (ExitCodes.Failed, RunOutcome.Failed, ErrorDocument.Of(ErrorDocument.Internal, message));
        }
    }
}
