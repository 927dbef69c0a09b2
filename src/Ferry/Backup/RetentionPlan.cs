namespace Ferry.Backup;

/// <summary>What <see cref="BackupRetention.Plan"/> keeps and drops, each newest first.</summary>
public sealed record RetentionPlan(IReadOnlyList<RetainedBackup> Keep, IReadOnlyList<(string Name, DateTimeOffset CreatedAt)> Drop);
