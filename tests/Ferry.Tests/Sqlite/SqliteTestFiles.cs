using Ferry.Schema;
using Ferry.Sources;
using Ferry.Sources.Sqlite;
using Ferry.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Ferry.Tests.Sqlite;

/// <summary>A real SQLite file in a temp directory, built by SQL, deleted at the end.</summary>
public sealed class SqliteTestFile : IDisposable
{
    readonly string _directory;

    public SqliteTestFile(params string[] statements)
    {
        _directory = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ferry-sqlite-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(_directory);
        Path = System.IO.Path.Combine(_directory, "test.db");
        if (statements.Length > 0)
            Execute(statements);
    }

    public string Path { get; }

    /// <summary>A copy of a dataset from ../shared/datasets.</summary>
    public static SqliteTestFile CopyOf(string dataset)
    {
        var file = new SqliteTestFile();
        File.Copy(FindDataset(dataset), file.Path);
        return file;
    }

    static string FindDataset(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "shared", "datasets", name);
            if (File.Exists(candidate))
                return candidate;
        }

        var fallback = System.IO.Path.Combine("/work/shared/datasets", name);
        return File.Exists(fallback) ? fallback : throw new FileNotFoundException($"Dataset {name} not found above {AppContext.BaseDirectory}.");
    }

    public void Execute(params string[] statements)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False;Foreign Keys=False");
        connection.Open();
        foreach (var sql in statements)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    /// <summary>Inserts one value with a parameter (for blobs and invalid UTF-8 text).</summary>
    public void Insert(string sql, object value)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False;Foreign Keys=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$v", value);
        command.ExecuteNonQuery();
    }

    internal SqliteSource Source(SourceOptions? options = null) => new(Path, options ?? new SourceOptions());

    public async Task<SourceModel> DiscoverAsync(SourceOptions? options = null)
    {
        await using var source = Source(options);
        return await source.DiscoverAsync(CancellationToken.None);
    }

    /// <summary>Discovers the file and reads all rows of one table.</summary>
    public async Task<(PlannedTable Table, List<RecordedRow> Rows)> ReadAsync(string table, SourceOptions? options = null, Action<PlannedTable>? adjust = null)
    {
        await using var source = Source(options);
        var model = await source.DiscoverAsync(CancellationToken.None);
        var t = new PlannedTable(model.Tables.Single(x => x.SourceName == table));
        adjust?.Invoke(t);
        return (t, RecordingSink.ReadAll(source, t, ReadRange.All));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
