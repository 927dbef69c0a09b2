namespace Ferry.Migrations;

/// <summary>What a migration (or history row) is.</summary>
public enum MigrationKind
{
    /// <summary>Applied once, in version order: <c>001_name.up.sql</c>, <c>V1__name.sql</c>.</summary>
    Versioned,

    /// <summary><c>R__name.sql</c>: re-applied, after the versioned ones, whenever its checksum changes.</summary>
    Repeatable,

    /// <summary>A <c>ferry migrate baseline</c> marker: every version up to it counts as applied.</summary>
    Baseline,
}

/// <summary>Where a migration stands, as <c>ferry migrate status</c> shows it.</summary>
public enum MigrationState
{
    /// <summary>Applied, and the file still has the checksum it had then.</summary>
    Applied,

    /// <summary>Not applied yet (or a repeatable migration whose file changed).</summary>
    Pending,

    /// <summary>
    /// Ran outside a transaction and stopped at a statement: fix the file, then re-run or <c>repair</c>. Also an applied
    /// migration whose down file, run outside a transaction, stopped part-way (<see cref="MigrationStatusEntry.PartlyReverted"/>).
    /// </summary>
    Failed,

    /// <summary>Applied, but the file was edited afterwards.</summary>
    Changed,

    /// <summary>Applied, but the file is gone.</summary>
    Missing,
}

/// <summary>How a runner finds its migrations and history, and what it may do.</summary>
public sealed record MigratorOptions
{
    /// <summary>The default history table.</summary>
    public const string DefaultHistoryTable = "public.schema_migrations";

    /// <summary>The migrations folder (default <c>migrations</c>, relative to the current directory).</summary>
    public string Directory { get; init; } = "migrations";

    /// <summary><c>schema.table</c> or <c>table</c> (in <c>public</c>).</summary>
    public string HistoryTable { get; init; } = DefaultHistoryTable;

    /// <summary>How long to wait for another runner's lock before giving up (default 60 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Run <c>up</c> even when applied files were edited or removed.</summary>
    public bool IgnoreDrift { get; init; }

    /// <summary>Apply a pending file whose version is older than the newest applied one.</summary>
    public bool AllowOutOfOrder { get; init; }
}

/// <summary>What <see cref="Migrator.UpAsync"/> does.</summary>
public sealed record UpOptions
{
    /// <summary>Stop after this version (inclusive), one a file or the history has; null applies everything pending.</summary>
    public string? To { get; init; }

    /// <summary>Change nothing: only produce the SQL that would run (<see cref="MigrationRunReport.Sql"/>).</summary>
    public bool DryRun { get; init; }
}

/// <summary>What <see cref="Migrator.DownAsync"/> reverts: the last <see cref="Steps"/> migrations, or those above <see cref="To"/>.</summary>
public sealed record DownOptions
{
    /// <summary>How many applied migrations to revert, newest first (default 1 when <see cref="To"/> is not given).</summary>
    public int? Steps { get; init; }

    /// <summary>Revert every applied migration with a version above this one (one a file or the history has, or 0 for all).</summary>
    public string? To { get; init; }

    /// <summary>Change nothing: only produce the SQL that would run.</summary>
    public bool DryRun { get; init; }
}

/// <summary>
/// One migration a run applied or reverted (or, in a dry run, would). <paramref name="StatementsBefore"/>: of one run
/// outside a transaction that an earlier run left part-way, how many statements that run had completed (this one ran the rest).
/// </summary>
public sealed record MigrationStep(string? Version, string Name, MigrationKind Kind, string File, bool Transactional, long? ExecutionMs, int? StatementsBefore = null);

/// <summary>The outcome of <c>up</c> or <c>down</c>.</summary>
public sealed record MigrationRunReport(string HistoryTable, bool DryRun, IReadOnlyList<MigrationStep> Steps, string? Sql);

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

/// <summary>Every migration, from the folder and the history table together.</summary>
public sealed record MigrationStatusReport(string HistoryTable, IReadOnlyList<MigrationStatusEntry> Migrations)
{
    /// <summary>Entries that make <c>validate</c> fail: changed, missing or failed.</summary>
    public IReadOnlyList<MigrationStatusEntry> Problems =>
        Migrations.Where(m => m.State is MigrationState.Changed or MigrationState.Missing or MigrationState.Failed).ToList();
}

/// <summary>One change <c>repair</c> made to the history table.</summary>
public sealed record RepairAction(string? Version, string Name, string Action);

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
