namespace Ferry.Migrations;

/// <summary>
/// A migration failed. For a transactional migration nothing of it remains; for one run outside a transaction the
/// statements before <see cref="Line"/> stay applied and the history records it as failed. When the migration's own
/// statements ran but its history row could not be written, <see cref="Line"/> and <see cref="Column"/> are null.
/// </summary>
public sealed class MigrationFailedException : FerryException
{
    internal MigrationFailedException(string message, string file, int? line, int? column, string serverMessage, string? detail, string? hint, IReadOnlyList<MigrationStep> completed, Exception inner)
        : base(message, FailureKind.Failed, inner)
    {
        File = file;
        Line = line;
        Column = column;
        ServerMessage = serverMessage;
        Detail = detail;
        Hint = hint;
        Completed = completed;
    }

    /// <summary>The migration file that failed.</summary>
    public string File { get; }

    /// <summary>1-based line in the file where PostgreSQL reported the error; null when no statement of the file failed (its history row did).</summary>
    public int? Line { get; }

    /// <summary>1-based column in that line; null with <see cref="Line"/>.</summary>
    public int? Column { get; }

    /// <summary>PostgreSQL's message (with its SQLSTATE).</summary>
    public string ServerMessage { get; }

    public string? Detail { get; }

    public string? Hint { get; }

    /// <summary>Migrations the run finished before this one failed (they stay applied).</summary>
    public IReadOnlyList<MigrationStep> Completed { get; }
}
