namespace Ferry.Backup;

/// <summary>A backup a retention plan keeps, and why: each rule that keeps it, with its period (<c>daily 2026-12-07</c>, <c>weekly 2026-W49</c>).</summary>
public sealed record RetainedBackup(string Name, DateTimeOffset CreatedAt, IReadOnlyList<string> KeptBy);
