using Ferry.Sources.DuckDb.Native;
using Npgsql;

namespace Ferry.Connections;

/// <summary>What <c>ferry doctor</c> reports about a target and this machine.</summary>
public sealed record ServerReport
{
    public required string Target { get; init; }
    public required TargetOrigin Origin { get; init; }
    public required string ServerVersion { get; init; }
    public required int ServerVersionNumber { get; init; }
    public required string User { get; init; }
    public required string Database { get; init; }
    public required bool Superuser { get; init; }
    public required bool CanCreateSchemas { get; init; }
    public required bool CanCreateTables { get; init; }
    public required IReadOnlyDictionary<string, string> Settings { get; init; }
    public required bool DuckDbAvailable { get; init; }
    public required string DuckDb { get; init; }

    /// <summary>The server settings that matter for bulk loads and migrations.</summary>
    public static readonly IReadOnlyList<string> SettingNames =
    [
        "max_wal_size", "shared_buffers", "maintenance_work_mem", "work_mem", "synchronous_commit",
        "wal_level", "max_connections", "max_parallel_maintenance_workers", "server_encoding", "TimeZone",
    ];

    public static async Task<ServerReport> CollectAsync(PostgresTarget target, CancellationToken cancellationToken = default)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            select version(), current_setting('server_version_num')::int, current_user, current_database(),
                   (select rolsuper from pg_roles where rolname = current_user),
                   has_database_privilege(current_database(), 'CREATE'),
                   coalesce(has_schema_privilege('public', 'CREATE'), false)
            """, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var version = reader.GetString(0);
        var versionNumber = reader.GetInt32(1);
        var user = reader.GetString(2);
        var database = reader.GetString(3);
        var superuser = reader.GetBoolean(4);
        var createSchemas = reader.GetBoolean(5);
        var createTables = reader.GetBoolean(6);
        await reader.CloseAsync();

        var settings = new Dictionary<string, string>();
        await using (var settingsCommand = new NpgsqlCommand(
            "select name, current_setting(name) from pg_settings where name = any($1) order by name", connection))
        {
            settingsCommand.Parameters.Add(new NpgsqlParameter { Value = SettingNames.ToArray() });
            await using var settingsReader = await settingsCommand.ExecuteReaderAsync(cancellationToken);
            while (await settingsReader.ReadAsync(cancellationToken))
                settings[settingsReader.GetString(0)] = settingsReader.GetString(1);
        }

        var duckDb = DuckDbLibrary.TryLoad(out var duckDbDescription);
        return new ServerReport
        {
            Target = target.DisplayUrl,
            Origin = target.Origin,
            ServerVersion = version,
            ServerVersionNumber = versionNumber,
            User = user,
            Database = database,
            Superuser = superuser,
            CanCreateSchemas = superuser || createSchemas,
            CanCreateTables = superuser || createTables,
            Settings = settings,
            DuckDbAvailable = duckDb,
            DuckDb = duckDbDescription,
        };
    }
}
