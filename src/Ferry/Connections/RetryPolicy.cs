namespace Ferry.Connections;

/// <summary>
/// How often, and after how long, work that lost its connection to the target (see <see cref="ConnectionLoss"/>) is
/// tried again: <see cref="Retries"/> times, waiting <see cref="FirstDelay"/>, then twice as long each time up to
/// <see cref="MaxDelay"/>. The default waits out a server restart (0.5 + 1 + 2 + 4 + 8 + 8 s).
/// </summary>
public sealed record RetryPolicy
{
    public static RetryPolicy Default { get; } = new();

    /// <summary>Give up at the first loss.</summary>
    public static RetryPolicy None { get; } = new() { Retries = 0 };

    public int Retries { get; init; } = 6;

    public TimeSpan FirstDelay { get; init; } = TimeSpan.FromSeconds(0.5);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>The wait before retry <paramref name="retry"/> (1 for the first).</summary>
    public TimeSpan DelayBefore(int retry) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Min(retry - 1, 20)));
}

/// <summary>
/// The target was lost and did not come back within the <see cref="RetryPolicy"/>: what was being done, what happened,
/// and (added by the caller that knows them) where the work stopped and the command that continues it.
/// </summary>
public sealed class TargetLostException : FerryException
{
    internal TargetLostException(string doing, string reason, int retries, TimeSpan waited, string? detail = null, Exception? inner = null)
        : base(Compose(doing, reason, retries, waited, detail), FailureKind.Failed, inner)
    {
        Doing = doing;
        Reason = reason;
        Retries = retries;
        Waited = waited;
    }

    /// <summary>What was being done: <c>loading public.events (all rows)</c>.</summary>
    public string Doing { get; }

    /// <summary>What happened to the connection (the last failure).</summary>
    public string Reason { get; }

    public int Retries { get; }

    public TimeSpan Waited { get; }

    /// <summary>Where the work stopped and what to run next, when known (else null).</summary>
    public string? Detail { get; private init; }

    /// <summary>The same failure with where the work stopped and what to run next (and, when given, what it was doing, more precisely).</summary>
    internal TargetLostException With(string detail, string? doing = null) =>
        new(doing ?? Doing, Reason, Retries, Waited, detail, InnerException) { Detail = detail };

    static string Compose(string doing, string reason, int retries, TimeSpan waited, string? detail)
    {
        var tried = retries == 0 ? "" : $"; gave up after {retries} retries over {waited.TotalSeconds:0.#} s";
        return $"Lost the connection to PostgreSQL while {doing}: {reason}{tried}." + (detail is null ? "" : " " + detail);
    }
}
