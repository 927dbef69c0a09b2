using System.Globalization;
using Ferry.Connections;
using Ferry.Local;
using Npgsql;

namespace Ferry.Tests.Infrastructure;

/// <summary>
/// One private PostgreSQL cluster per test run: initdb + pg_ctl in a temp dir on a free port (as the postgres
/// user when the tests run as root), stopped when the test process exits. Clusters left by a killed run are
/// stopped and removed by the next one.
/// </summary>
public static class TestCluster
{
    const string DirectoryPrefix = "ferry-tests-";
    const string OwnerFile = "owner.pid";

    static readonly Lazy<Task<PostgresTarget>> Started = new(StartAsync);
    static LocalCluster? _cluster;
    static int _databaseCounter;

    /// <summary>The superuser target on the cluster's maintenance database.</summary>
    public static Task<PostgresTarget> AdminAsync() => Started.Value;

    /// <summary>Server settings for tests: durability off, it is all thrown away.</summary>
    static readonly Dictionary<string, string> Settings = new(LocalClusterOptions.DefaultSettings)
    {
        ["fsync"] = "off",
        ["synchronous_commit"] = "off",
        ["full_page_writes"] = "off",
        ["max_connections"] = "300",
        ["shared_buffers"] = "128MB",
    };

    static async Task<PostgresTarget> StartAsync()
    {
        RemoveAbandonedClusters();
        var directory = Path.Combine(Path.GetTempPath(), DirectoryPrefix + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        _cluster = new LocalCluster(directory, new LocalClusterOptions { Settings = Settings, NoSync = true });
        var target = await _cluster.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop(_cluster);
        return target;
    }

    static void Stop(LocalCluster cluster)
    {
        try
        {
            cluster.StopAsync(immediate: true).GetAwaiter().GetResult();
            cluster.Delete();
        }
        catch (Exception e) when (e is FerryException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"test cluster cleanup: {e.Message}");
        }
    }

    static void RemoveAbandonedClusters()
    {
        foreach (var directory in Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var owner = Path.Combine(directory, OwnerFile);
            if (File.Exists(owner) && int.TryParse(File.ReadAllText(owner), CultureInfo.InvariantCulture, out var pid) && LocalCluster.IsAlive(pid))
                continue;
            Stop(new LocalCluster(directory));
        }
    }


    /// <summary>A fresh, empty database for one test; <paramref name="with"/> adds CREATE DATABASE options (e.g. an encoding).</summary>
    public static async Task<TestDatabase> CreateDatabaseAsync(string? prefix = null, string? with = null)
    {
        var admin = await AdminAsync();
        var name = $"{prefix ?? "t"}_{Environment.ProcessId}_{Interlocked.Increment(ref _databaseCounter)}".ToLowerInvariant();
        await using (var connection = await admin.OpenAsync())
        await using (var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\" {with}", connection))
            await command.ExecuteNonQueryAsync();
        return new TestDatabase(admin, admin.WithDatabase(name), name);
    }

    /// <summary>A database whose sessions start with standard_conforming_strings off, as legacy databases still have it.</summary>
    public static async Task<TestDatabase> CreateLegacyStringsDatabaseAsync()
    {
        var db = await CreateDatabaseAsync("legacy");
        await db.ExecuteAsync($"ALTER DATABASE \"{db.Name}\" SET standard_conforming_strings = off");
        return db;
    }
}

/// <summary>A database of its own for one test; dropped when disposed.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    readonly PostgresTarget _admin;

    internal TestDatabase(PostgresTarget admin, PostgresTarget target, string name)
    {
        _admin = admin;
        Target = target;
        Name = name;
    }

    public PostgresTarget Target { get; }

    public string Name { get; }

    /// <summary>postgres://postgres@127.0.0.1:PORT/NAME (the test cluster trusts local connections).</summary>
    public string Url => Target.DisplayUrl;

    public async Task<NpgsqlConnection> OpenAsync() => await Target.OpenAsync();

    /// <summary>An unpooled session without Ferry's startup settings, as psql or an application would have it.</summary>
    public async Task<NpgsqlConnection> OpenRawAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(Target.ConnectionString) { Options = null, Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }

    public async Task<T> ScalarAsync<T>(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return (T)Convert.ChangeType(value!, typeof(T), CultureInfo.InvariantCulture);
    }

    /// <summary>All rows of a query, each value rendered by Npgsql's text form, for compact assertions.</summary>
    public async Task<List<object?[]>> RowsAsync(string sql)
    {
        await using var connection = await OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        await using var connection = await _admin.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
