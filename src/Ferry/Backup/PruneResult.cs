namespace Ferry.Backup;

/// <summary>What <c>ferry backups prune</c> kept (each with the rules that kept it) and dropped, newest first; under a dry run, would drop.</summary>
public sealed record PruneResult(bool DryRun, IReadOnlyList<(BackupManifest Backup, IReadOnlyList<string> KeptBy)> Kept, IReadOnlyList<BackupManifest> Dropped)
{
    public long DroppedBytes => Dropped.Sum(b => b.SizeBytes);
}
