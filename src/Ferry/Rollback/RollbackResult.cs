using Ferry.Backup;
using Ferry.Migrations;

namespace Ferry.Rollback;

/// <summary>
/// A rollback as it ran: its plan, the snapshot's restore (with each table's fingerprint proof) or the down files'
/// run. <see cref="Ok"/> is false when a restored table's fingerprint differs from the snapshot's.
/// </summary>
public sealed record RollbackResult(RollbackPlan Plan, RestoreResult? Restore, MigrationRunReport? Reverted)
{
    public bool Ok => Restore?.Ok ?? true;
}
