namespace Ferry.Copy;

/// <summary>A step of the copy: when it started (seconds from the run's start) and how long it took.</summary>
public sealed record PhaseTiming(string Phase, double Seconds)
{
    /// <summary>Seconds from the run's start to the step's start.</summary>
    public double Started { get; init; }
}
