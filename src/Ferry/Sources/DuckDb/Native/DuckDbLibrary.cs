using System.Reflection;
using System.Runtime.InteropServices;

namespace Ferry.Sources.DuckDb.Native;

/// <summary>
/// Finds and loads DuckDB's native library, <c>libduckdb.so</c> (from the npm package
/// <c>@duckdb/node-bindings-linux-x64</c>, fetched by scripts/setup.sh and copied next to the binary).
/// Looked for in: <c>FERRY_DUCKDB_LIBRARY</c>, the application directory, <c>runtimes/linux-x64/native</c>
/// (NuGet layout), then the system's library path.
/// </summary>
internal static class DuckDbLibrary
{
    public const string LibraryName = "duckdb";
    public const string FileName = "libduckdb.so";

    static readonly Lazy<(IntPtr Handle, string? Error)> Loaded = new(Load);

    /// <summary>Installed once per process so that <c>[LibraryImport("duckdb")]</c> finds our copy.</summary>
    public static void Register() => ResolverInstalled.Value.ToString();

    static readonly Lazy<bool> ResolverInstalled = new(() =>
    {
        NativeLibrary.SetDllImportResolver(typeof(DuckDbLibrary).Assembly, Resolve);
        return true;
    });

    static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath) =>
        name == LibraryName ? Loaded.Value.Handle : IntPtr.Zero;

    /// <summary>Loads the library, or throws a one-line error saying how to get it.</summary>
    public static void EnsureLoaded()
    {
        Register();
        if (Loaded.Value.Error is { } error)
            throw new FerryException(error);
    }

    /// <summary>Whether the library loads, and its version ("v1.5.x") or why not.</summary>
    public static bool TryLoad(out string description)
    {
        Register();
        if (Loaded.Value.Error is { } error)
        {
            description = error;
            return false;
        }

        description = Marshal.PtrToStringUTF8(duckdb_library_version()) ?? "unknown version";
        return true;
    }

    // Assembly.Location is empty in a single-file or ahead-of-time compiled app (the release): the app's own directory,
    // tried first, is where the release keeps the library; the assembly's directory matters to apps that load Ferry's
    // assembly from elsewhere.
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("SingleFile", "IL3000", Justification = "An empty Location is skipped; AppContext.BaseDirectory is tried first.")]
    static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable("FERRY_DUCKDB_LIBRARY") is { Length: > 0 } configured)
            yield return configured;
        yield return Path.Combine(AppContext.BaseDirectory, FileName);
        var assemblyDirectory = Path.GetDirectoryName(typeof(DuckDbLibrary).Assembly.Location);
        if (!string.IsNullOrEmpty(assemblyDirectory))
        {
            yield return Path.Combine(assemblyDirectory, FileName);
            yield return Path.Combine(assemblyDirectory, "runtimes", "linux-x64", "native", FileName);
        }
    }

    static (IntPtr, string?) Load()
    {
        var tried = new List<string>();
        foreach (var path in Candidates().Distinct())
        {
            if (!File.Exists(path))
            {
                tried.Add(path);
                continue;
            }

            if (NativeLibrary.TryLoad(path, out var handle))
                return (handle, null);
            return (IntPtr.Zero, $"DuckDB's native library {path} exists but does not load; fetch it again with scripts/setup.sh.");
        }

        if (NativeLibrary.TryLoad(FileName, out var systemHandle))
            return (systemHandle, null);
        return (IntPtr.Zero,
            $"DuckDB's native library {FileName} was not found (looked in {string.Join(", ", tried)} and the system library path). " +
            "Run scripts/setup.sh, or set FERRY_DUCKDB_LIBRARY to its path.");
    }

    [DllImport(LibraryName, CallingConvention = CallingConvention.Cdecl)]
    static extern IntPtr duckdb_library_version();
}
