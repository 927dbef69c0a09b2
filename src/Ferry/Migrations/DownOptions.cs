namespace Ferry.Migrations;

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
