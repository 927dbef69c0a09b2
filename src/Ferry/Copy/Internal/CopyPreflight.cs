using System.Globalization;
using Ferry.Schema;

namespace Ferry.Copy.Internal;

/// <summary>
/// What can be checked before a copy writes anything is checked before it: the options and how they combine, and the
/// rejects directory. A refused run leaves the target as it was (not even <c>ferry.copy_state</c> is made) and exits 2.
/// (Room on the target's disk is not checked: before the rows are read their number is only an estimate, SQLite's the
/// span of its rowids, so no need can be stated that would not refuse copies that fit.)
/// </summary>
internal static class CopyPreflight
{
    const string Unwritten = "Nothing was written.";

    public static void CheckOptions(CopyOptions options)
    {
        if (options.Resume && options.Replace)
            throw new FerryException("--resume keeps what an earlier run loaded and --replace drops it: use one of them.");
        if (options.Jobs < 1)
            throw new FerryException($"--jobs {options.Jobs}: use 1 or more.");
    }

    /// <summary>
    /// The rejects directory is a directory, or can be made one, and takes files; no table's rejects file is a
    /// directory. Checked by making (and removing at once) a file in it, or a directory where it would be made.
    /// </summary>
    public static void CheckRejects(string directory, SchemaPlan plan)
    {
        if (File.Exists(directory))
            throw new FerryException($"--rejects {directory} is a file, not a directory: give a directory (it is made if missing). {Unwritten}");
        var existing = directory;
        while (!Directory.Exists(existing))
        {
            var parent = Path.GetDirectoryName(existing);
            if (parent is null)
                break;
            if (File.Exists(parent))
                throw new FerryException($"--rejects {directory} cannot be made: {parent} is a file, not a directory. {Unwritten}");
            existing = parent;
        }

        foreach (var table in plan.Tables)
        {
            var log = new RejectLog(directory, table.Source.SourceName, RejectLog.FileStem(table));
            if (Directory.Exists(log.RejectFile) || Directory.Exists(log.RepairFile))
                throw new FerryException($"--rejects {directory}: {log.RejectFile} (or its .repairs.jsonl) is a directory, where the rejects of {table.DisplayName} go. Move it away. {Unwritten}");
        }

        var probe = Path.Combine(existing, $".ferry-probe-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{Guid.NewGuid():N}");
        try
        {
            if (existing == directory)
            {
                using (File.Create(probe, 1, FileOptions.DeleteOnClose))
                {
                    // Made and removed: the directory takes files.
                }
            }
            else
            {
                Directory.CreateDirectory(probe);
                Directory.Delete(probe);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var what = existing == directory ? "cannot be written" : $"cannot be made in {existing}";
            throw new FerryException($"--rejects {directory} {what}: {RejectLog.ReasonOf(e)}. {Unwritten} Give a directory Ferry can write to.");
        }
    }
}
