namespace Ferry.Migrations;

/// <summary>The outcome of <c>up</c> or <c>down</c>.</summary>
public sealed record MigrationRunReport(string HistoryTable, bool DryRun, IReadOnlyList<MigrationStep> Steps, string? Sql);
