using Ferry.Connections;
using Ferry.Journal;

namespace Ferry.Cli;

/// <summary>
/// A journaled command's run (<c>ferry.runs</c>): started once its target is known, ended with its outcome, its
/// <c>--json</c> document (made whether or not <c>--json</c> was given) and the summary it printed.
/// </summary>
internal sealed class RunRecording(string kind, RunFiles files)
{
    readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    RunJournal? _journal;
    bool _warned;

    public string Kind { get; } = kind;

    /// <summary>The files it writes when it ends (a scheduled sync's runs each write them).</summary>
    public RunFiles Files { get; } = files;

    /// <summary>A run that writes nothing (<c>--dry-run</c>) is not journaled.</summary>
    public bool Skipped { get; set; }

    /// <summary>The run's document, as printed under <c>--json</c>.</summary>
    public string? Document { get; set; }

    /// <summary>The command's exit 1 means it could not do its work (a migration failed), not that it found problems.</summary>
    public bool FailedRun { get; set; }

    public SummaryRecord Summary { get; } = new();

    /// <summary>The run's id in <c>ferry.runs</c> once started; null before, or when it could not be recorded.</summary>
    public long? RunId => _journal?.RunId;

    /// <summary>The snapshot this run took before changing tables (its backup's name), once taken.</summary>
    public string? Snapshot { get; set; }

    /// <summary>The run as recorded once ended; null before, or when it never started (refused before its target was known).</summary>
    public RunRecord? Record => _journal?.Record;

    public async Task StartAsync(Invocation invocation, PostgresTarget target, CancellationToken cancellationToken)
    {
        if (Skipped || _journal is not null)
            return;
        _journal = await RunJournal.StartAsync(target, StartOf(invocation, target.DisplayUrl), cancellationToken);
        WarnOfProblem(invocation);
    }

    /// <summary>
    /// Ends the run: its journal row completed (when it started one), then the files asked for (<c>--report</c>, <c>--metrics</c>),
    /// written also for a run that never reached its target (its record then has no id). A dry run writes nothing.
    /// </summary>
    public async Task EndAsync(Invocation invocation, RunOutcome outcome, int exitCode, ErrorDocument? error)
    {
        if (Skipped)
            return;
        if (error is not null)
        {
            Summary.AppendLine(error.Error.Code == ErrorDocument.Cancelled ? "cancelled" : "error: " + error.Error.Message);
            Document ??= JsonOutput.Serialize(error);
        }

        RunRecord record;
        if (_journal is not null)
        {
            await _journal.CompleteAsync(outcome, exitCode, Document, Summary.Text());
            WarnOfProblem(invocation);
            await _journal.DisposeAsync();
            record = _journal.Record!;
        }
        else
        {
            if (!Files.Any)
                return;
            record = StartOf(invocation, null).Ended(
                0, _started, DateTimeOffset.UtcNow, outcome, exitCode, Document is null ? null : System.Text.Json.JsonDocument.Parse(Document).RootElement.Clone(), Summary.Text());
        }

        await Files.WriteAsync(invocation, record);
    }

    /// <summary>What the run records of itself: its kind, command line, version, environment, target and client.</summary>
    RunStart StartOf(Invocation invocation, string? target)
    {
        var (host, user) = RunStart.Client();
        return new RunStart(Kind, CommandLine(invocation.ParseResult), FerryCommandLine.Version, invocation.Project.Environment?.Name, target, host, user);
    }

    void WarnOfProblem(Invocation invocation)
    {
        if (_journal?.Problem is { } problem && !_warned)
        {
            _warned = true;
            invocation.Warn(problem);
        }
    }

    /// <summary>The command line as typed (after <c>ferry</c>), each word's secrets masked, quoted where a shell would need it.</summary>
    static string CommandLine(System.CommandLine.ParseResult parseResult) =>
        string.Join(' ', parseResult.Tokens.Select(t => Redaction.RedactText(t.Value)).Select(Quoted).Prepend("ferry"));

    static string Quoted(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,@%+*".Contains(c)) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
