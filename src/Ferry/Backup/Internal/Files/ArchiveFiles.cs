namespace Ferry.Backup.Internal.Files;

/// <summary>
/// The files of a file backup: the archive (<c>PATH</c>), its manifest beside it (<c>PATH.manifest.json</c>) and the
/// archive while pg_dump writes it (<c>PATH.partial</c>, renamed to PATH once whole).
/// </summary>
internal sealed record ArchiveFiles(string Archive)
{
    public const string ManifestSuffix = ".manifest.json";

    public string Manifest => Archive + ManifestSuffix;

    public string Partial => Archive + ".partial";

    /// <summary>The files for <paramref name="path"/> (made absolute), refused when any of them is there or its folder is not.</summary>
    public static ArchiveFiles ForNew(string path)
    {
        var files = new ArchiveFiles(Path.GetFullPath(path));
        var folder = Path.GetDirectoryName(files.Archive)!;
        if (!Directory.Exists(folder))
            throw new FerryException($"--file {files.Archive}: the folder {folder} does not exist. Nothing was written.");
        foreach (var (file, what) in new[] { (files.Archive, "a backup file is never overwritten; give a new path, or drop that backup first (ferry backups drop NAME)"),
                     (files.Manifest, "it is the manifest of another backup file"),
                     (files.Partial, "another backup to this path is being written, or one was interrupted; remove it if none is running") })
        {
            if (File.Exists(file) || Directory.Exists(file))
                throw new FerryException($"--file {files.Archive}: {file} exists already ({what}). Nothing was written.");
        }

        return files;
    }

    /// <summary>Removes whichever of the files are there.</summary>
    public void Delete(bool archive = true)
    {
        foreach (var file in archive ? new[] { Partial, Archive, Manifest } : [Partial])
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FerryException($"Cannot remove {file}: {e.Message}", FailureKind.Failed, e);
            }
        }
    }
}
