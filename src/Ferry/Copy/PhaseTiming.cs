namespace Ferry.Copy;

public sealed record PhaseTiming(string Phase, double Seconds);
