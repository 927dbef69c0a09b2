namespace Ferry.Journal;

/// <summary>
/// What a journaled run records as it starts: its kind (<c>copy</c>, <c>verify</c>, <c>migrate up</c>, …), its command
/// line with secrets removed, Ferry's version, the project environment, the target (redacted) and who ran it where.
/// </summary>
public sealed record RunStart(string Kind, string Command, string Version, string? Environment, string? Target, string? ClientHost, string? ClientUser)
{
    /// <summary>This machine's name and the user the process runs as.</summary>
    public static (string Host, string User) Client() => (System.Environment.MachineName, System.Environment.UserName);
}
