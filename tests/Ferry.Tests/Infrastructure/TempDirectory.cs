namespace Ferry.Tests.Infrastructure;

/// <summary>A directory path under the temp folder, not created here, deleted with what is in it when disposed.</summary>
public sealed class TempDirectory(string prefix) : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..10]);

    /// <summary>A new YAML file in the directory (made when needed) holding <paramref name="yaml"/>; its path.</summary>
    public string Write(string yaml)
    {
        var path = System.IO.Path.Combine(Directory.CreateDirectory(Path).FullName, Guid.NewGuid().ToString("N")[..8] + ".yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, true);
    }
}
