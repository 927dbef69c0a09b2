using System.Globalization;
using System.Text.RegularExpressions;

namespace Ferry.Backup.Internal.PgTools;

/// <summary>
/// The <c>pg_dump</c> and <c>pg_restore</c> a file backup runs: from one directory, of a major version at least the
/// server's (pg_dump refuses to dump a newer server), the server's own major when there is one, else the closest above it.
/// </summary>
internal sealed partial class PgClientTools
{
    /// <summary>Where Debian's postgresql-client-&lt;major&gt; packages install, one bin folder per major version.</summary>
    public const string SearchRoot = "/usr/lib/postgresql";

    PgClientTools(string directory, int major, string version)
    {
        Directory = directory;
        Major = major;
        Version = version;
    }

    public string Directory { get; }

    /// <summary>The tools' major version (15 for 15.4, 9 for 9.6.24).</summary>
    public int Major { get; }

    /// <summary>The version <c>pg_dump --version</c> reported, as written (e.g. <c>15.18</c>).</summary>
    public string Version { get; }

    public string PgDump => Path.Combine(Directory, "pg_dump");

    public string PgRestore => Path.Combine(Directory, "pg_restore");

    /// <summary>The folders looked in, in order: each <c>/usr/lib/postgresql/&lt;major&gt;/bin</c>, newest first, then <c>PATH</c>.</summary>
    public static IReadOnlyList<string> DefaultDirectories(EnvironmentReader environment)
    {
        var directories = new List<string>();
        if (System.IO.Directory.Exists(SearchRoot))
        {
            directories.AddRange(System.IO.Directory.GetDirectories(SearchRoot)
                .Select(d => (Bin: Path.Combine(d, "bin"), Major: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? m : -1))
                .Where(d => d.Major > 0)
                .OrderByDescending(d => d.Major)
                .Select(d => d.Bin));
        }

        if (environment.NonEmpty("PATH") is { } path)
            directories.AddRange(path.Split(':', StringSplitOptions.RemoveEmptyEntries));
        return directories;
    }

    /// <summary>
    /// The tools to use against a server of <paramref name="serverVersionNumber"/> (<c>server_version_num</c>), from
    /// <paramref name="directories"/>; refused, naming the package to install, when none is new enough. <paramref name="purpose"/>
    /// begins the refusal ("Cannot back up to a file").
    /// </summary>
    public static async Task<PgClientTools> LocateAsync(int serverVersionNumber, IReadOnlyList<string> directories, string purpose, CancellationToken cancellationToken)
    {
        var serverMajor = serverVersionNumber / 10000;
        var found = new List<PgClientTools>();
        foreach (var directory in directories.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            if (!IsProgram(Path.Combine(directory, "pg_dump")) || !IsProgram(Path.Combine(directory, "pg_restore")))
                continue;
            if (await VersionOfAsync(Path.Combine(directory, "pg_dump"), cancellationToken) is { } version)
                found.Add(new PgClientTools(directory, version.Major, version.Text));
        }

        var chosen = found.Where(t => t.Major >= serverMajor).OrderBy(t => t.Major).FirstOrDefault();
        if (chosen is not null)
            return chosen;
        var seen = found.Count == 0
            ? $"none was found in {SearchRoot}/<version>/bin or on PATH"
            : "found only " + string.Join(", ", found.Select(t => $"pg_dump {t.Version} in {t.Directory}"));
        throw new FerryException(
            $"{purpose}: the server runs PostgreSQL {serverMajor} (server_version_num {serverVersionNumber}), and pg_dump refuses to dump a newer server than itself; " +
            $"a pg_dump and pg_restore of version {serverMajor} or newer are needed ({seen}). Install Debian's postgresql-client-{serverMajor} " +
            $"(apt-get install postgresql-client-{serverMajor}; from apt.postgresql.org when the distribution does not have it). Nothing was written.",
            FailureKind.Configuration);
    }

    /// <summary>The major version and version text <c>pg_dump --version</c> reports; null when it does not run or says something else.</summary>
    static async Task<(int Major, string Text)?> VersionOfAsync(string pgDump, CancellationToken cancellationToken)
    {
        try
        {
            var result = await Ferry.Internal.ProcessRunner.RunAsync(pgDump, ["--version"], cancellationToken: cancellationToken);
            return result.ExitCode == 0 ? ParseVersion(result.StandardOutput) : null;
        }
        catch (FerryException)
        {
            return null; // Not runnable (a broken link, another architecture): the next folder may have one.
        }
    }

    /// <summary>Reads <c>pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)</c>; before 10 the major is the first number (9 for 9.6).</summary>
    internal static (int Major, string Text)? ParseVersion(string output) =>
        VersionLine().Match(output) is { Success: true } m
            ? (int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture), m.Groups[1].Value)
            : null;

    static bool IsProgram(string path) =>
        File.Exists(path) && (File.GetUnixFileMode(path) & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;

    [GeneratedRegex(@"\(PostgreSQL\)\s+((\d+)(?:\.\d+)*\S*)")]
    private static partial Regex VersionLine();
}
