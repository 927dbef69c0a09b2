using System.Diagnostics;

namespace Ferry.Tests.Infrastructure;

/// <summary>
/// A small tmpfs mounted on a directory of its own (the tests run as root in their sandbox): a disk that fills up
/// (ENOSPC) or that is read-only (EROFS), for real, whoever writes to it. Unmounted (and the directory removed) when disposed.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    Tmpfs(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (mount's syntax: <c>16k</c>, <c>1m</c>), read-only with <paramref name="readOnly"/>.</summary>
    public static Tmpfs Mount(string size, bool readOnly = false)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("ferry-tmpfs-").FullName;
        Run("mount", "-t", "tmpfs", "-o", (readOnly ? "ro," : "") + "size=" + size, "tmpfs", directory);
        return new Tmpfs(directory);
    }

    /// <summary>Unmounts it: the directory is then an ordinary empty one on the machine's disk (space freed).</summary>
    public void Unmount() => Run("umount", Directory);

    public void Dispose()
    {
        if (File.ReadAllText("/proc/mounts").Contains(" " + Directory + " ", StringComparison.Ordinal))
            Unmount();
        System.IO.Directory.Delete(Directory, recursive: true);
    }

    static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true, UseShellExecute = false })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed (these tests need root, as in their sandbox): {error}");
    }
}
