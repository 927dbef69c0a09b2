namespace Ferry.Journal;

/// <summary>How a journaled run ended (<c>ferry.runs.outcome</c>).</summary>
public enum RunOutcome
{
    /// <summary>Started and not ended, its session still alive.</summary>
    Running,

    /// <summary>Exit 0.</summary>
    Ok,

    /// <summary>The operation ran and found problems (rejected rows, differences, a failed migration): exit 1.</summary>
    Problems,

    /// <summary>The run could not do its work (a configuration error, an error of the target): exit 1 or 2.</summary>
    Failed,

    /// <summary>Stopped by Ctrl+C or SIGTERM (exit 130 or 143).</summary>
    Cancelled,

    /// <summary>Never ended, and no session of it is alive (killed, or its machine lost).</summary>
    Interrupted,
}
