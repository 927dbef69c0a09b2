namespace Ferry.Backup.Internal;

/// <summary>A backup about to be taken: its name and time, the tables (resolved, schema-qualified) and the schemas it covers.</summary>
internal sealed record BackupPlan(string Name, DateTimeOffset CreatedAt, IReadOnlyList<(string Schema, string Name)> Tables, IReadOnlyList<string> Schemas, BackupRequest Request);
