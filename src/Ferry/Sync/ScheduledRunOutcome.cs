namespace Ferry.Sync;

/// <summary>How one run of a scheduled sync ended.</summary>
public enum ScheduledRunOutcome
{
    /// <summary>Every table synced.</summary>
    Ok,

    /// <summary>A table stopped, rows were rejected, or the run failed; the next slot runs again.</summary>
    Failed,

    /// <summary>Another process held the sync's lock: nothing ran, the next slot tries again.</summary>
    Locked,

    /// <summary>Cancelled (SIGTERM, Ctrl+C) while it ran: rolled back, and the schedule stops.</summary>
    Cancelled,

    /// <summary>Refused for its configuration (a missing file, an option that does not fit): no later slot would do better, so the schedule stops.</summary>
    Refused,
}
