namespace Ferry.Sync;

/// <summary>One run of a scheduled sync: when it ran, how it ended, what it did (null when it did not get to sync) and why it failed.</summary>
public sealed record ScheduledRun(DateTimeOffset Started, ScheduledRunOutcome Outcome, SyncResult? Result, string? Message);
