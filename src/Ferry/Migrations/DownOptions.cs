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

    /// <summary>Run down files that drop tables or columns holding rows even when no snapshot covers them.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// Whether a snapshot holds a table (schema, table) as it is now: a down file may then drop it, or a column of it,
    /// though it holds rows. Null: no snapshot covers any table.
    /// </summary>
    public Func<string, string, CancellationToken, Task<bool>>? SnapshotCovers { get; init; }
}
