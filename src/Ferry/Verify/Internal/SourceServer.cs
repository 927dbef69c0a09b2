using Ferry.Schema;
using Ferry.Sources;
using Npgsql;

namespace Ferry.Verify.Internal;

/// <summary>
/// A source hashed inside its own server, for one verify run: connections in the source's snapshot with the canonical
/// session settings, and each table's catalog as that server describes it.
/// </summary>
internal sealed class SourceServer(IServerHashedSource source)
{
    bool? _utf8;

    /// <summary>A connection in the source's snapshot, with the canonical session settings.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await source.OpenInSnapshotAsync(cancellationToken);
        try
        {
            await HashingSession.PinAsync(connection, cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a connection for <paramref name="table"/> and reads its catalog on it.</summary>
    public async Task<SourceTableOnServer> OpenTableAsync(PlannedTable table, CancellationToken cancellationToken)
    {
        var rows = source.RowsOf(table.Source);
        var connection = await OpenAsync(cancellationToken);
        try
        {
            _utf8 ??= await HashingSession.ServerSettingsAsync(connection, "source", cancellationToken);
            var catalog = rows.Query is not null
                ? await TargetTable.DescribeAsync(connection, HashedRelation.Of(rows).From, rows.Name, cancellationToken)
                : await TargetTable.LoadAsync(connection, rows.Schema, rows.Name, cancellationToken)
                ?? throw new FerryException($"The source table {table.Source.QualifiedSourceName} is not in the source's catalog any more.");
            return new SourceTableOnServer(catalog, rows, connection, OpenAsync, _utf8.Value);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The rows of <paramref name="table"/> the source's readers read, counted by its server.</summary>
    public async Task<long> CountAsync(PlannedTable table, CancellationToken cancellationToken)
    {
        var rows = source.RowsOf(table.Source);
        await using var connection = await source.OpenInSnapshotAsync(cancellationToken);
        return await HashedRelation.Of(rows).CountAsync(connection, cancellationToken);
    }
}
