using Ferry.Migrations;

namespace Ferry.Rollback;

/// <summary>What <see cref="RollbackRunner"/> undoes and how.</summary>
public sealed record RollbackOptions
{
    /// <summary>The run to undo (its id in <c>ferry.runs</c>); null for the newest run that can be undone.</summary>
    public long? RunId { get; init; }

    /// <summary>Undo a <c>migrate up</c> run from its snapshot even when every migration has a down file.</summary>
    public bool FromBackup { get; init; }

    /// <summary>Passed to the down files' run: revert even when a down file drops a table or column holding rows.</summary>
    public bool Force { get; init; }

    /// <summary>The migrations' runner (their folder and history table): needed to undo a <c>migrate up</c> run by its down files.</summary>
    public Migrator? Migrator { get; init; }

    /// <summary>Connections a snapshot's restore uses at once.</summary>
    public int Jobs { get; init; } = 4;
}
