using System.Diagnostics;
using Ferry.Local;

namespace Ferry.Tests.Infrastructure;

/// <summary>Whether the test cluster's PostgreSQL has PostGIS installed (scripts/setup.sh installs it where apt can).</summary>
public static class PostGis
{
    static readonly Lazy<string?> MissingReason = new(FindMissing);

    /// <summary>Why PostGIS tests cannot run here, or null when they can.</summary>
    public static string? Missing => MissingReason.Value;

    static string? FindMissing()
    {
        string bin;
        try
        {
            bin = PostgresBinaries.Locate(ProcessEnvironment.Reader);
        }
        catch (FerryException e)
        {
            return e.Message;
        }

        using var pgConfig = Process.Start(new ProcessStartInfo(Path.Combine(bin, "pg_config"), "--sharedir") { RedirectStandardOutput = true });
        var share = pgConfig?.StandardOutput.ReadToEnd().Trim();
        pgConfig?.WaitForExit();
        var control = Path.Combine(share ?? "", "extension", "postgis.control");
        return File.Exists(control)
            ? null
            : $"PostGIS is not installed for the PostgreSQL in {bin} (no {control}): scripts/setup.sh installs postgresql-<major>-postgis-3 where apt has it";
    }
}

/// <summary>A fact that needs PostGIS: skipped, saying why, where it is not installed (never passed silently).</summary>
public sealed class PostGisFactAttribute : FactAttribute
{
    public PostGisFactAttribute()
    {
        if (PostGis.Missing is { } reason)
            Skip = reason;
    }
}
