namespace Ferry.Internal;

/// <summary>
/// A file written whole or not at all, for a reader that may open it at any moment (a browser, node_exporter's textfile
/// collector): into a hidden temporary file beside it (<c>.NAME.PID.RANDOM.tmp</c>), flushed to disk, then renamed over
/// it in one step. No temporary file is left behind, whatever fails.
/// </summary>
internal static class AtomicFile
{
    /// <summary>
    /// Writes <paramref name="path"/> with <paramref name="write"/>. A missing folder, a path that is a folder, or a write
    /// that fails is a <see cref="FerryException"/> naming <paramref name="what"/> (<c>report</c>, <c>metrics file</c>) and
    /// the path; a failed write is of <paramref name="writeFailure"/>'s kind.
    /// </summary>
    public static void Write(string path, string what, string exampleName, FailureKind writeFailure, Action<Stream> write)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var target = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(target)!;
        if (!Directory.Exists(folder))
            throw new FerryException($"Cannot write the {what} {target}: the folder {folder} does not exist.");
        if (Directory.Exists(target))
            throw new FerryException($"Cannot write the {what} {target}: it is a folder; give a file name (e.g. {Path.Combine(target, exampleName)}).");
        var temporary = Path.Combine(folder, $".{Path.GetFileName(target)}.{Environment.ProcessId}.{Guid.NewGuid().ToString("N")[..8]}.tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(file);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch (Exception e)
        {
            Remove(temporary);
            if (e is IOException or UnauthorizedAccessException)
                throw new FerryException($"Cannot write the {what} {target}: {Copy.Internal.RejectLog.ReasonOf(e)}", writeFailure, e);
            throw;
        }
    }

    static void Remove(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Only a leftover hidden .tmp file; the write's own error is reported.
        }
    }
}
