using Ferry.Connections;
using Ferry.Schema;
using Ferry.Sources.Postgres.Discovery;
using Npgsql;

namespace Ferry.Sources.Postgres;

/// <summary>
/// A PostgreSQL database as a source: discovery describes its tables in the server's own words, readers stream each
/// table (or <c>ctid</c> page range) as binary COPY, every one in the snapshot taken when the source is opened.
/// </summary>
internal sealed class PostgresSource : ISource, ISnapshotSource, IServerHashedSource, IRowCountingSource
{
    readonly PostgresTarget _server;
    readonly SourceOptions _options;
    readonly PostgresOptions _postgres;
    readonly NpgsqlDataSource _dataSource;
    readonly SourceSnapshot _snapshot;

    public PostgresSource(PostgresTarget server, string description, SourceOptions options)
    {
        _server = server;
        _options = options;
        _postgres = options.Engine<PostgresOptions>() ?? new PostgresOptions();
        _dataSource = server.CreateDataSource();
        Description = description;
        try
        {
            _snapshot = SourceSnapshot.Take(server, _dataSource);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
    }

    public string Description { get; }

    /// <summary>Where the snapshot the source is read in stands in the server's history.</summary>
    public SnapshotPosition Position => _snapshot.Position;

    public async Task<SourceModel> DiscoverAsync(CancellationToken cancellationToken)
    {
        var discovery = new PostgresDiscovery(Description, _snapshot.Connection, _snapshot.ServerVersion, _options, _postgres);
        var model = await discovery.DiscoverAsync(cancellationToken);
        if (_options.DerivedTables.Count > 0)
        {
            // Described on a connection of its own in the snapshot: an error ends only its transaction, not the snapshot's.
            await using var described = await OpenInSnapshotAsync(cancellationToken);
            await PostgresDerivedTables.AddAsync(model, described, _options, Description, row => discovery.Column(row, new Dictionary<string, string>()), cancellationToken);
        }

        if (_options.Filters.Count == 0)
            return model;
        // Checked on a connection of its own, outside the snapshot's transaction, which an error would end.
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        SourceFilters.Attach(model, _options, Description, (table, condition) =>
        {
            try
            {
                using var check = new NpgsqlCommand($"SELECT 1 FROM {Relation(table)} WHERE ({condition}) LIMIT 0", connection);
                check.ExecuteNonQuery();
                return null;
            }
            catch (PostgresException e)
            {
                return e.MessageText;
            }
        });
        return model;
    }

    public async Task<long> CountFilteredAsync(TableModel table, CancellationToken cancellationToken)
    {
        if (table.SourceFilter is not { } condition)
            return 0;
        await using var connection = await OpenInSnapshotAsync(cancellationToken);
        await using var count = new NpgsqlCommand(FilteredRows.CountSql(Relation(table), condition), connection) { CommandTimeout = 0 };
        return (long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>The table as its readers name it (see <see cref="SourceCopy.Relation"/>).</summary>
    static string Relation(TableModel table) => SourceCopy.Relation(table);

    public IReadOnlyList<ReadRange> PlanRanges(TableModel table, int parts)
    {
        var state = State(table);
        if (state.RangeKey is { } key)
            return KeyRanges(table, key, parts);
        var pages = state.Pages;
        if (parts <= 1 || pages < 2L * parts)
            return [ReadRange.All];
        var ranges = new List<ReadRange>(parts);
        for (var i = 0; i < parts; i++)
        {
            var from = pages * i / parts;
            var to = pages * (i + 1) / parts - 1;
            // The first and last ranges are open: nothing the snapshot sees is outside them, whatever the size now.
            ranges.Add(new ReadRange(i == 0 ? null : from, i == parts - 1 ? null : to));
        }

        return ranges;
    }

    /// <summary>The key's span in the snapshot cut into <paramref name="parts"/> ranges, the first and last open.</summary>
    IReadOnlyList<ReadRange> KeyRanges(TableModel table, string key, int parts)
    {
        using var command = new NpgsqlCommand($"SELECT min({key})::int8, max({key})::int8 FROM ONLY {Identifiers.Qualify(table.SourceSchema!, table.SourceName)}", _snapshot.Connection);
        using var reader = command.ExecuteReader();
        reader.Read();
        if (parts <= 1 || reader.IsDBNull(0))
            return [ReadRange.All];
        var (min, max) = (reader.GetInt64(0), reader.GetInt64(1));
        var span = (decimal)max - min + 1;
        var ranges = new List<ReadRange>(parts);
        for (var i = 0; i < parts; i++)
        {
            var from = (long)(min + Math.Floor(span * i / parts));
            var to = (long)(min + Math.Floor(span * (i + 1) / parts)) - 1;
            ranges.Add(new ReadRange(i == 0 ? null : from, i == parts - 1 ? null : to));
        }

        return ranges;
    }

    public ITableReader OpenReader(PlannedTable table, ReadRange range) =>
        Open(table, SourceCopy.For(table, range, _snapshot.ServerVersion >= 160000), null);

    public ITableReader OpenTextReader(PlannedTable table, ReadRange range, IReadOnlyList<string> fields, string settings) =>
        Open(table, SourceCopy.Texts(table, range, fields), settings);

    /// <summary>A reader of <paramref name="copy"/> on a new connection in the snapshot, which runs <paramref name="settings"/> (when given) first.</summary>
    PostgresTableReader Open(PlannedTable table, SourceCopy copy, string? settings)
    {
        var connection = _dataSource.CreateConnection();
        try
        {
            connection.Open();
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            connection.Dispose();
            throw CannotRead(e);
        }

        try
        {
            _snapshot.Join(connection);
            if (settings is not null)
            {
                using var set = new NpgsqlCommand(settings, connection);
                set.ExecuteNonQuery();
            }

            return new PostgresTableReader(connection, copy, table.Source.QualifiedSourceName);
        }
        catch (PostgresException e)
        {
            connection.Dispose();
            throw ReadFailed(table.Source.QualifiedSourceName, e);
        }
    }

    public async Task<NpgsqlConnection> OpenInSnapshotAsync(CancellationToken cancellationToken)
    {
        var connection = _dataSource.CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (Exception e) when (IsConnectionFailure(e))
        {
            await connection.DisposeAsync();
            throw CannotRead(e);
        }

        try
        {
            await _snapshot.JoinAsync(connection, cancellationToken);
            return connection;
        }
        catch (PostgresException e)
        {
            await connection.DisposeAsync();
            throw ReadFailed("the snapshot", e);
        }
    }

    public ServerRows RowsOf(TableModel table)
    {
        var state = State(table);
        return table.SourceQuery is { } query
            ? new ServerRows("", table.SourceName, false, table.SourceFilter) { Query = query }
            : new ServerRows(table.SourceSchema!, table.SourceName, !state.Partitioned, table.SourceFilter);
    }

    static bool IsConnectionFailure(Exception e) => e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException;

    FerryException CannotRead(Exception e) =>
        new("Cannot read the source: " + _server.ConnectionFailure(e).Message, FailureKind.Configuration, e);

    FerryException ReadFailed(string what, PostgresException e) =>
        new($"Reading {what} from {Description}: {e.MessageText}" +
            (e.SqlState == PostgresErrorCodes.InvalidParameterValue
                ? " (the source's snapshot is gone: its holding connection ended; run the copy again)"
                : ""), FailureKind.Configuration, e);

    static PostgresTableState State(TableModel table) =>
        table.SourceState as PostgresTableState ?? throw new InvalidOperationException($"Table {table.QualifiedSourceName} was not discovered by the PostgreSQL source.");

    public async ValueTask DisposeAsync()
    {
        await _snapshot.DisposeAsync();
        await _dataSource.DisposeAsync();
    }
}
