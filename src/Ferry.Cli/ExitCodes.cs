namespace Ferry.Cli;

internal static class ExitCodes
{
    internal const int Success = 0;

    /// <summary>The operation ran and found a failure: a migration failed, verify found differences, rows were rejected.</summary>
    internal const int Failed = 1;

    /// <summary>Usage or configuration error.</summary>
    internal const int UsageOrConfiguration = 2;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    internal const int Cancelled = 130;

    /// <summary>Stopped by SIGTERM without finishing its clean stop in time, as shells report SIGTERM.</summary>
    internal const int Terminated = 143;

    internal static int For(FailureKind kind) => kind == FailureKind.Failed ? Failed : UsageOrConfiguration;
}
