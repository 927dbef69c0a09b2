namespace Ferry.Migrations;

/// <summary>
/// One migration a run applied or reverted (or, in a dry run, would). <paramref name="StatementsBefore"/>: of one run
/// outside a transaction that an earlier run left part-way, how many statements that run had completed (this one ran the rest).
/// <paramref name="DownFile"/>: the full path of the migration's down file, null when it has none (what a rollback reverts it with).
/// </summary>
public sealed record MigrationStep(string? Version, string Name, MigrationKind Kind, string File, bool Transactional, long? ExecutionMs, int? StatementsBefore = null, string? DownFile = null);
