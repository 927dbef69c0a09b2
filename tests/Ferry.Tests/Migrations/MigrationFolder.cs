using System.Text;

namespace Ferry.Tests.Migrations;

/// <summary>A temporary migrations folder for one test.</summary>
public sealed class MigrationFolder : IDisposable
{
    public MigrationFolder() => Path = Directory.CreateTempSubdirectory("ferry-migrations-").FullName;

    public string Path { get; }

    public string Write(string name, string text)
    {
        var file = System.IO.Path.Combine(Path, name);
        File.WriteAllText(file, text, new UTF8Encoding(false));
        return file;
    }

    public void Delete(string name) => File.Delete(System.IO.Path.Combine(Path, name));

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
