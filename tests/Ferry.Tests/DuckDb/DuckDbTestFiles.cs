using Ferry.Sources.DuckDb.Native;

namespace Ferry.Tests.DuckDb;

/// <summary>A temp directory where tests make DuckDB databases, Parquet and CSV files with DuckDB itself.</summary>
internal sealed class DuckDbTestFiles : IDisposable
{
    public DuckDbTestFiles()
    {
        Directory = Path.Combine(Path.GetTempPath(), "ferry-duckdb-" + Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(Directory);
    }

    public string Directory { get; }

    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Runs SQL in a database file (created if missing), or in memory when <paramref name="database"/> is null.</summary>
    public static void Execute(string? database, params string[] statements)
    {
        using var db = DuckDbDatabase.Open(database, readOnly: false);
        using var connection = db.Connect();
        foreach (var sql in statements)
            connection.Execute(sql);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
