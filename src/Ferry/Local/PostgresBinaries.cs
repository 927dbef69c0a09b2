using System.Globalization;

namespace Ferry.Local;

/// <summary>The machine's PostgreSQL server programs (initdb, pg_ctl, postgres).</summary>
internal static class PostgresBinaries
{
    public const string SearchRoot = "/usr/lib/postgresql";

    /// <summary><c>FERRY_PG_BIN</c>, else the newest <c>/usr/lib/postgresql/&lt;major&gt;/bin</c> that has initdb.</summary>
    public static string Locate(EnvironmentReader environment, string? configured = null)
    {
        var explicitDirectory = configured ?? environment.NonEmpty("FERRY_PG_BIN");
        if (explicitDirectory is not null)
        {
            if (File.Exists(Path.Combine(explicitDirectory, "initdb")))
                return explicitDirectory;
            throw new FerryException($"FERRY_PG_BIN={explicitDirectory} has no initdb; point it at a PostgreSQL bin directory.");
        }

        if (Directory.Exists(SearchRoot))
        {
            var newest = Directory.GetDirectories(SearchRoot)
                .Select(d => (Dir: d, Major: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : -1))
                .Where(d => d.Major > 0 && File.Exists(Path.Combine(d.Dir, "bin", "initdb")))
                .OrderByDescending(d => d.Major)
                .FirstOrDefault();
            if (newest.Dir is not null)
                return Path.Combine(newest.Dir, "bin");
        }

        throw new FerryException(
            $"PostgreSQL server programs (initdb, pg_ctl) were not found under {SearchRoot}/<version>/bin. " +
            "Run scripts/setup.sh (or apt-get install postgresql), or set FERRY_PG_BIN.");
    }
}
