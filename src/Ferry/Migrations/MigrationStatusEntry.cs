namespace Ferry.Migrations;

/// <summary>One line of <c>ferry migrate status</c>.</summary>
public sealed record MigrationStatusEntry(
    string? Version,
    string Name,
    MigrationKind Kind,
    MigrationState State,
    string? File,
    string? Checksum,
    DateTimeOffset? AppliedAt,
    long? ExecutionMs,
    string? Error)
{
    /// <summary>Failed while being reverted: its down file, run outside a transaction, stopped part-way.</summary>
    public bool PartlyReverted => State == MigrationState.Failed && Internal.HistoryTable.IsRevertFailure(success: false, Error);

    /// <summary>
    /// Run outside a transaction, it stopped part-way without an error (its runner was killed or interrupted, or is
    /// still running): 'up' continues it after the statements its row records as done.
    /// </summary>
    public bool Unfinished => State == MigrationState.Failed && Internal.HistoryTable.IsUnfinished(success: false, Error);

    /// <summary>What to do about this entry, when something must be done.</summary>
    public string? NextStep => State switch
    {
        MigrationState.Failed when File is null => "its file is gone: restore it, or clear the failed entry with 'ferry migrate repair'",
        MigrationState.Failed when Unfinished =>
            $"it ran outside a transaction and stopped part-way (its runner was killed or interrupted, or is still running): run 'ferry migrate up' again with {File} unchanged to continue after the statements that ran",
        MigrationState.Failed when PartlyReverted =>
            $"its down file failed part-way: fix the down file of {File} (making what already ran safe to run again, e.g. DROP … IF EXISTS), then re-run 'ferry migrate down' to finish reverting it; or undo the rest by hand and forget the entry with 'ferry migrate repair'",
        MigrationState.Failed => $"fix {File}, then re-run 'ferry migrate up' (or 'ferry migrate repair' to clear the failed entry)",
        MigrationState.Changed => $"restore {File} as it was applied, or accept the edit with 'ferry migrate repair'",
        MigrationState.Missing => "restore the file, or forget it with 'ferry migrate repair'",
        _ => null,
    };
}
