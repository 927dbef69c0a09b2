namespace Ferry.Migrations;

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
