using System.Collections;
using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Sources.Sqlite;
using Microsoft.Data.Sqlite;
using NpgsqlTypes;

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

    public SqliteSource Source(SourceOptions? options = null) => new(Path, options ?? new SourceOptions());

    public async Task<SourceModel> DiscoverAsync(SourceOptions? options = null)
    {
        await using var source = Source(options);
        return await source.DiscoverAsync(CancellationToken.None);
    }

    /// <summary>Discovers the file and reads all rows of one table.</summary>
    public async Task<(TableModel Table, List<RecordedRow> Rows)> ReadAsync(string table, SourceOptions? options = null, Action<TableModel>? adjust = null)
    {
        await using var source = Source(options);
        var model = await source.DiscoverAsync(CancellationToken.None);
        var t = model.Tables.Single(x => x.SourceName == table);
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

/// <summary>What a reader set for one column of one row.</summary>
public sealed record RecordedValue(string Kind, object? Value, string? Reason = null);

public sealed class RecordedRow
{
    public SortedDictionary<int, RecordedValue> Values { get; } = [];

    public List<(int Column, string Original, string Reason)> Repairs { get; } = [];

    public bool Rejected => Values.Values.Any(v => v.Kind == "reject");

    public RecordedValue this[int column] => Values[column];
}

/// <summary>A sink that records every call, checking that each column gets exactly one.</summary>
public sealed class RecordingSink : IRowSink
{
    public RecordedRow Row { get; private set; } = new();

    public void Next() => Row = new RecordedRow();

    public static List<RecordedRow> ReadAll(ISource source, TableModel table, ReadRange range)
    {
        var sink = new RecordingSink();
        var rows = new List<RecordedRow>();
        using var reader = source.OpenReader(table, range);
        while (reader.ReadRow(sink))
        {
            rows.Add(sink.Row);
            Assert.Equal(table.Columns.Count(c => c.GeneratedSql is null), sink.Row.Values.Count);
            sink.Next();
        }

        Assert.Equal(rows.Count, reader.RowsRead);
        return rows;
    }

    void Set(int column, string kind, object? value, string? reason = null)
    {
        Assert.False(Row.Values.ContainsKey(column), $"column {column} was set twice");
        Row.Values[column] = new RecordedValue(kind, value, reason);
    }

    public void SetNull(int column) => Set(column, "null", null);

    public void SetBoolean(int column, bool value) => Set(column, "bool", value);

    public void SetInt16(int column, short value) => Set(column, "int16", value);

    public void SetInt32(int column, int value) => Set(column, "int32", value);

    public void SetInt64(int column, long value) => Set(column, "int64", value);

    public void SetFloat4(int column, float value) => Set(column, "float4", value);

    public void SetFloat8(int column, double value) => Set(column, "float8", value);

    public void SetDecimal(int column, decimal value) => Set(column, "decimal", value);

    public void SetNumericText(int column, string value) => Set(column, "numeric-text", value);

    public void SetText(int column, string value) => Set(column, "text", value);

    public void SetBytes(int column, ReadOnlySpan<byte> value) => Set(column, "bytes", value.ToArray());

    public void SetDate(int column, DateOnly value) => Set(column, "date", value);

    public void SetTime(int column, TimeSpan value) => Set(column, "time", value);

    public void SetTimeTz(int column, DateTimeOffset value) => Set(column, "timetz", value);

    public void SetTimestamp(int column, DateTime value) => Set(column, "timestamp", value);

    public void SetTimestampTz(int column, DateTime utcValue) => Set(column, "timestamptz", utcValue);

    public void SetInterval(int column, NpgsqlInterval value) => Set(column, "interval", value);

    public void SetUuid(int column, Guid value) => Set(column, "uuid", value);

    public void SetArray<T>(int column, T[] value) => Set(column, "array", value);

    public void SetBits(int column, BitArray value) => Set(column, "bits", value);

    public void Reject(int column, string? value, string reason) => Set(column, "reject", value, reason);

    public void NoteRepair(int column, string original, string reason) => Row.Repairs.Add((column, original, reason));
}
