namespace Ferry.Journal;

/// <summary>
/// What a journaled run records as it starts: its kind (<c>copy</c>, <c>verify</c>, <c>migrate up</c>, …), its command
/// line with secrets removed, Ferry's version, the project environment, the target (redacted) and who ran it where.
/// </summary>
public sealed record RunStart(string Kind, string Command, string Version, string? Environment, string? Target, string? ClientHost, string? ClientUser)
{
    /// <summary>The run as it ended: <paramref name="id"/> 0 for a run the journal did not record.</summary>
    public RunRecord Ended(long id, DateTimeOffset started, DateTimeOffset ended, RunOutcome outcome, int exitCode, System.Text.Json.JsonElement? document, string? summary) =>
        new(id, Kind, Command, Version, Environment, Target, ClientHost, ClientUser, started, ended, outcome, exitCode, document, summary);

    /// <summary>This machine's name and the user the process runs as.</summary>
    public static (string Host, string User) Client() => (System.Environment.MachineName, System.Environment.UserName);
}
