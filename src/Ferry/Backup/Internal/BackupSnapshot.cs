using System.Data;
using Ferry.Connections;
using Npgsql;

namespace Ferry.Backup.Internal;

/// <summary>
/// The moment a backup is taken: a transaction that exports its snapshot and is held open until the copy (or pg_dump)
/// has imported it, with what the manifest records as of that moment: the tables' definitions, their sequences' values,
/// and the inventory of the covered schemas.
/// </summary>
internal sealed class BackupSnapshot : IAsyncDisposable
{
    readonly PostgresTarget _target;
    readonly NpgsqlConnection _coordinator;
    readonly NpgsqlTransaction _transaction;

    BackupSnapshot(PostgresTarget target, NpgsqlConnection coordinator, NpgsqlTransaction transaction, string id)
    {
        _target = target;
        _coordinator = coordinator;
        _transaction = transaction;
        Id = id;
    }

    /// <summary>The exported snapshot's id (<c>SET TRANSACTION SNAPSHOT</c>, <c>pg_dump --snapshot</c>).</summary>
    public string Id { get; }

    public List<TableDefinition> Definitions { get; } = [];

    public List<SequenceState> Sequences { get; private set; } = [];

    public List<InventoryObject> Inventory { get; private set; } = [];

    /// <summary>Exports a snapshot and reads the plan's definitions, sequences and inventory in it; <paramref name="outcome"/> ends the refusal of a table gone meanwhile.</summary>
    public static async Task<BackupSnapshot> TakeAsync(PostgresTarget target, BackupPlan plan, string outcome, CancellationToken cancellationToken)
    {
        var coordinator = await target.OpenAsync(cancellationToken);
        NpgsqlTransaction? transaction = null;
        try
        {
            transaction = await coordinator.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
            var id = await Sql.ScalarAsync<string>(coordinator, "SELECT pg_catalog.pg_export_snapshot()", cancellationToken);
            await Sql.ExecuteAsync(coordinator, "SET LOCAL search_path = pg_catalog", cancellationToken);
            var snapshot = new BackupSnapshot(target, coordinator, transaction, id!);
            foreach (var (schema, name) in plan.Tables)
            {
                snapshot.Definitions.Add(await DefinitionReader.ReadAsync(coordinator, schema, name, cancellationToken)
                    ?? throw new FerryException($"{schema}.{name} went away while the backup was taken; {outcome}."));
            }

            snapshot.Sequences = await CatalogState.SequencesAsync(coordinator, snapshot.Definitions, cancellationToken);
            snapshot.Inventory = await CatalogState.InventoryAsync(coordinator, plan.Schemas, cancellationToken);
            return snapshot;
        }
        catch
        {
            if (transaction is not null)
                await transaction.DisposeAsync();
            await coordinator.DisposeAsync();
            throw;
        }
    }

    /// <summary>A connection of its own inside the snapshot (a transaction that imported it), seeing exactly what the backup saw.</summary>
    public async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = await _target.OpenAsync(cancellationToken);
        await Sql.ExecuteAsync(connection, $"BEGIN ISOLATION LEVEL REPEATABLE READ; SET TRANSACTION SNAPSHOT '{Id}'", cancellationToken);
        return connection;
    }

    /// <summary>Ends the exporting transaction: the snapshot can be imported no more.</summary>
    public Task CommitAsync(CancellationToken cancellationToken) => _transaction.CommitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _coordinator.DisposeAsync();
    }
}
