using System.CommandLine;
using Ferry.Connections;
using Ferry.Local;
using Ferry.Project;
using Spectre.Console;

namespace Ferry.Cli;

/// <summary>
/// One run of a command: its parsed options, where human output goes (stdout, or stderr under --json),
/// and the target it works on.
/// </summary>
internal sealed class Invocation
{
    public Invocation(CliHost host, ParseResult parseResult, RunRecording? run = null)
    {
        Host = host;
        ParseResult = parseResult;
        Json = parseResult.GetValue(SharedOptions.Json);
        Run = run;
        _project = new(() => ProjectSelection.Resolve(parseResult.GetValue(SharedOptions.Config), parseResult.GetValue(SharedOptions.Env), host.Environment, host.WorkingDirectory));
        _stdout = new(() => CreateConsole(Recorded(host.Out), host.OutIsTerminal));
        _stderr = new(() => CreateConsole(new AnsiConsoleOutput(host.Error), host.ErrorIsTerminal));
        _humanError = new(() => CreateConsole(Recorded(host.Error), host.ErrorIsTerminal));
    }

    /// <summary>The journaled run this command is (<c>ferry.runs</c>); null for a command that is not journaled.</summary>
    public RunRecording? Run { get; }

    /// <summary>An output whose text the run's summary keeps (when the run is journaled).</summary>
    IAnsiConsoleOutput Recorded(TextWriter writer) => Run is null ? new AnsiConsoleOutput(writer) : new SummaryOutput(writer, Run.Summary);

    public CliHost Host { get; }

    public ParseResult ParseResult { get; }

    public bool Json { get; }

    readonly Lazy<ProjectSelection> _project;

    /// <summary>The project file and environment this run takes its settings from (none without a ferry.yml).</summary>
    public ProjectSelection Project => _project.Value;

    // Made on first use: a run that writes only plain lines (no terminal) never sets up Spectre.
    readonly Lazy<IAnsiConsole> _stdout;
    readonly Lazy<IAnsiConsole> _stderr;
    readonly Lazy<IAnsiConsole> _humanError;
    readonly Lock _plainLock = new();

    public IAnsiConsole Stdout => _stdout.Value;

    public IAnsiConsole Stderr => _stderr.Value;

    /// <summary>Where summaries and tables go: stdout, unless stdout carries the JSON document.</summary>
    public IAnsiConsole Human => Json ? _humanError.Value : Stdout;

    public void WriteJson<T>(T document)
    {
        DocumentWritten = true;
        Host.Out.WriteLine(JsonOutput.Serialize(document));
    }

    /// <summary>This command printed its JSON document (a failure after it prints no second one).</summary>
    public bool DocumentWritten { get; private set; }

    /// <summary>The run's document: printed under --json, and kept for the run's journal either way.</summary>
    public void Document<T>(T document)
    {
        if (!Json && Run is null)
            return;
        var text = JsonOutput.Serialize(document);
        Run?.Document = text;
        if (Json)
        {
            DocumentWritten = true;
            Host.Out.WriteLine(text);
        }
    }

    /// <summary>A line of progress or a note, on stderr.</summary>
    public void Note(string message)
    {
        message = LineText.Escape(message);
        if (Styled(Host.ErrorIsTerminal, _stderr))
            Stderr.MarkupLineInterpolated($"[grey]{message}[/]");
        else
            PlainLine(message);
    }

    public void Warn(string message)
    {
        message = LineText.Escape(message);
        Run?.Summary.AppendLine("warning: " + message);
        if (Styled(Host.ErrorIsTerminal, _stderr))
            Stderr.MarkupLineInterpolated($"[yellow]warning:[/] {message}");
        else
            PlainLine("warning: " + message);
    }

    /// <summary>A line of plain text (no markup) for the reader: stdout, or stderr under --json.</summary>
    public void HumanLine(string text)
    {
        text = LineText.Escape(text);
        if (Json ? Styled(Host.ErrorIsTerminal, _stderr) : Styled(Host.OutIsTerminal, _stdout))
        {
            Human.WriteLine(text);
            return;
        }

        Run?.Summary.AppendLine(text);
        PlainLine(Json ? Host.Error : Host.Out, text);
    }

    /// <summary>
    /// Without colours (a log file, a pipe, CI) a line is its text and a newline: Spectre's rendering is a
    /// measurable share of a migration run's CPU (two lines per migration), and it would also wrap long lines.
    /// </summary>
    void PlainLine(string message) => PlainLine(Host.Error, message);

    /// <summary>Spectre's styled output: only on a terminal (so a log or a pipe never makes a console) that takes ANSI.</summary>
    static bool Styled(bool terminal, Lazy<IAnsiConsole> console) => terminal && console.Value.Profile.Capabilities.Ansi;

    void PlainLine(TextWriter writer, string text)
    {
        lock (_plainLock)
            writer.WriteLine(text);
    }

    /// <summary>
    /// Before <paramref name="what"/> (a command that destroys or rewrites data) on a protected environment: given
    /// --yes, it goes on; on a terminal, the user types the environment's name to go on; otherwise it is refused (exit 2).
    /// </summary>
    public void ConfirmOnProtected(string what)
    {
        if (Project.Environment is not { Protected: true } environment || ParseResult.GetValue(SharedOptions.Yes))
            return;
        if (!Host.ErrorIsTerminal || Console.IsInputRedirected)
        {
            throw new FerryException(
                $"{what} on the protected environment '{environment.Name}' needs confirmation: give --yes (there is no terminal to ask on). Nothing was changed.",
                FailureKind.Configuration);
        }

        Host.Error.Write($"{what} on the protected environment '{environment.Name}'. Type its name to go on: ");
        if (Console.ReadLine()?.Trim() != environment.Name)
            throw new FerryException($"{what}: not confirmed (the name typed is not '{environment.Name}'). Nothing was changed.", FailureKind.Configuration);
    }

    /// <summary>Warns once when a PostgreSQL source given on the command line holds its password.</summary>
    public void WarnOfSourcePassword(string source)
    {
        if (Ferry.Sources.SourceFactory.HoldsPassword(source))
            Warn(TargetResolver.SourcePasswordWarning());
    }

    public LocalCluster LocalCluster() =>
        new(Ferry.Local.LocalCluster.DefaultDirectory(Host.Environment, Project.Project?.Root ?? Host.WorkingDirectory), environment: Host.Environment);

    /// <summary>
    /// The target: <c>--to</c> or <c>--database</c>, the environment, else the managed local cluster, started
    /// on demand. A password written in <c>--to</c> or <c>--database</c> is warned about, once. A journaled command's
    /// run starts there, unless <paramref name="startRun"/> is false (the command starts it later itself).
    /// </summary>
    public async Task<PostgresTarget> ResolveTargetAsync(Option<string?>? to, CancellationToken cancellationToken, bool startRun = true)
    {
        var (option, explicitTarget) = to is not null && ParseResult.GetValue(to) is { } given
            ? (to.Name, given)
            : (SharedOptions.Database.Name, ParseResult.GetValue(SharedOptions.Database));
        if (TargetResolver.Resolve(explicitTarget, Host.Environment, option, Project.Environment) is { } configured)
        {
            if (configured is { Origin: TargetOrigin.Argument, PasswordInText: true } && !_passwordWarned)
            {
                _passwordWarned = true;
                Warn(TargetResolver.CommandLinePasswordWarning(option));
            }

            return startRun ? await JournaledAsync(configured, cancellationToken) : configured;
        }

        var cluster = LocalCluster();
        var status = await cluster.GetStatusAsync(cancellationToken);
        if (!status.Running)
            Note($"No target configured (--database, DATABASE_URL, POSTGRES_*, PG*): starting the managed local cluster in {cluster.Directory}");
        var local = await cluster.StartAsync(cancellationToken);
        return startRun ? await JournaledAsync(local, cancellationToken) : local;
    }

    /// <summary>A journaled command's run starts in its target's <c>ferry.runs</c> once the target is known.</summary>
    async Task<PostgresTarget> JournaledAsync(PostgresTarget target, CancellationToken cancellationToken)
    {
        if (Run is not null)
            await Run.StartAsync(this, target, cancellationToken);
        return target;
    }

    bool _passwordWarned;

    static IAnsiConsole CreateConsole(IAnsiConsoleOutput output, bool terminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = output,
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
        });
        if (!terminal)
            console.Profile.Width = 200; // Logs and CI: do not wrap tables at 80 columns.
        return console;
    }
}
