namespace Ferry.Rollback;

/// <summary>How a run is undone.</summary>
public enum RollbackStrategy
{
    /// <summary>A <c>migrate up</c> run reverted by its migrations' down files, newest first.</summary>
    DownFiles,

    /// <summary>
    /// The run's pre-run snapshot restored: what the run created since is dropped, the snapshot's tables are put back
    /// and proven by their fingerprints, and a <c>migrate up</c> run's history rows are removed.
    /// </summary>
    Snapshot,

    /// <summary>A <c>copy</c> run that replaced nothing: what it created is dropped, with its resume state.</summary>
    DropCreated,
}
