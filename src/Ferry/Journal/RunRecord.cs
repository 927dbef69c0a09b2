using System.Text.Json;

namespace Ferry.Journal;

/// <summary>
/// One row of <c>ferry.runs</c>: a journaled command (<c>copy</c>, <c>verify</c>, <c>migrate up</c>, …) as it started
/// and, once ended, how it ended. <see cref="Document"/> is the run's whole <c>--json</c> document (null until it
/// ends, or when it ended before making one); <see cref="Summary"/> the summary it printed for a person, as plain text.
/// </summary>
public sealed record RunRecord(
    long Id,
    string Kind,
    string Command,
    string Version,
    string? Environment,
    string? Target,
    string? ClientHost,
    string? ClientUser,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    RunOutcome Outcome,
    int? ExitCode,
    JsonElement? Document,
    string? Summary)
{
    /// <summary>Seconds from start to end; null while running or interrupted.</summary>
    public double? Seconds => EndedAt is { } ended ? (ended - StartedAt).TotalSeconds : null;

    /// <summary>The outcome's name as stored and printed: <c>ok</c>, <c>problems</c>, <c>failed</c>, …</summary>
    public static string Name(RunOutcome outcome) => outcome.ToString().ToLowerInvariant();
}
