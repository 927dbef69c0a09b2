namespace Ferry.Migrations;

/// <summary>What <see cref="Migrator.UpAsync"/> does.</summary>
public sealed record UpOptions
{
    /// <summary>Stop after this version (inclusive), one a file or the history has; null applies everything pending.</summary>
    public string? To { get; init; }

    /// <summary>Change nothing: only produce the SQL that would run (<see cref="MigrationRunReport.Sql"/>).</summary>
    public bool DryRun { get; init; }
}
