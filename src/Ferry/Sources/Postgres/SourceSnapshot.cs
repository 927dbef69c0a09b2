using Ferry.Connections;
using Npgsql;

namespace Ferry.Sources.Postgres;

/// <summary>
/// One instant of a PostgreSQL source: a REPEATABLE READ, READ ONLY transaction held open for the whole run, whose
/// snapshot every reader imports (<c>SET TRANSACTION SNAPSHOT</c>), so that tables read by several connections, at
/// different times, are all the state of that instant. Discovery reads the catalog in it too.
/// </summary>
internal sealed class SourceSnapshot : IAsyncDisposable
{
    readonly NpgsqlConnection _holder;

    SourceSnapshot(NpgsqlConnection holder, string id, SnapshotPosition position, int serverVersion)
    {
        _holder = holder;
        Id = id;
        Position = position;
        ServerVersion = serverVersion;
    }

    /// <summary>The exported snapshot's name, which readers import.</summary>
    public string Id { get; }

    /// <summary>Where the instant is in the server's history (the start of a later sync).</summary>
    public SnapshotPosition Position { get; }

    /// <summary>The server's version number (<c>server_version_num</c>: 160004).</summary>
    public int ServerVersion { get; }

    /// <summary>The holder's connection, in the snapshot's transaction: discovery reads the catalog on it.</summary>
    public NpgsqlConnection Connection => _holder;

    /// <summary>Opens the holder's connection and takes the snapshot; a source that cannot be reached is a configuration error naming it.</summary>
    public static SourceSnapshot Take(PostgresTarget server, NpgsqlDataSource dataSource)
    {
        var holder = dataSource.CreateConnection();
        try
        {
            holder.Open();
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException or ArgumentException)
        {
            holder.Dispose();
            throw new FerryException("Cannot read the source: " + server.ConnectionFailure(e).Message, FailureKind.Configuration, e);
        }

        try
        {
            using (var begin = new NpgsqlCommand(Begin, holder))
                begin.ExecuteNonQuery();
            using var command = new NpgsqlCommand(
                "SELECT pg_export_snapshot(), txid_current_snapshot()::text, " +
                "(CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn() ELSE pg_current_wal_lsn() END)::text, " +
                "current_setting('server_version_num')::int", holder);
            using var reader = command.ExecuteReader();
            reader.Read();
            return new SourceSnapshot(holder, reader.GetString(0), new SnapshotPosition(reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)), reader.GetInt32(3));
        }
        catch (PostgresException e)
        {
            holder.Dispose();
            throw new FerryException($"The source {server.DisplayUrl} cannot give a consistent snapshot: {e.MessageText}. " +
                "Ferry reads a PostgreSQL source in one REPEATABLE READ, READ ONLY transaction whose snapshot every reader shares; " +
                "connect as a user that can read the tables, to a server (or standby) that allows it.", FailureKind.Configuration, e);
        }
    }

    /// <summary>A reader's connection, in a transaction that sees exactly the snapshot.</summary>
    public void Join(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand(JoinSql, connection);
        command.ExecuteNonQuery();
    }

    /// <summary>As <see cref="Join"/>, for a connection opened asynchronously.</summary>
    public async Task JoinAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(JoinSql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    string JoinSql => $"{Begin}; SET TRANSACTION SNAPSHOT {Schema.Identifiers.Literal(Id)}";

    const string Begin = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY";

    public async ValueTask DisposeAsync() => await _holder.DisposeAsync();
}
