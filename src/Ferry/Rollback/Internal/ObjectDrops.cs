using Npgsql;

namespace Ferry.Rollback.Internal;

/// <summary>Drops a rollback's objects in one transaction, dependents first; a schema only when nothing is left in it.</summary>
internal static class ObjectDrops
{
    public static async Task RunAsync(NpgsqlConnection connection, IReadOnlyList<CatalogObject> drops, IReadOnlyList<string> copyStateTables, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var drop in drops.OrderBy(d => d.Order))
        {
            if (drop.Kind == "schema" && !await EmptyAsync(connection, drop.Name, cancellationToken))
                continue;
            await using var command = new NpgsqlCommand(drop.DropStatement, connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        // The dropped tables' resume state: a later --resume must load them again.
        if (copyStateTables.Count > 0 && await ExistsAsync(connection, cancellationToken))
        {
            await using var delete = new NpgsqlCommand("DELETE FROM ferry.copy_state WHERE table_name = ANY($1)", connection);
            delete.Parameters.Add(new NpgsqlParameter { Value = copyStateTables.ToArray(), NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text });
            await delete.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>How a plan names a drop: a table with the rows it holds now, which the rollback discards.</summary>
    public static async Task<string> DescribeAsync(NpgsqlConnection connection, CatalogObject drop, CancellationToken cancellationToken)
    {
        if (drop.Kind != "table")
            return $"{drop.Kind} {drop.Display}";
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {drop.Sql}", connection) { CommandTimeout = 0 };
        var rows = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        return $"table {drop.Display} ({rows} row{(rows == 1 ? "" : "s")})";
    }

    static async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass('ferry.copy_state') IS NOT NULL", connection);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    static async Task<bool> EmptyAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT NOT EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1) AND NOT EXISTS (SELECT FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typtype <> 'c')",
            connection);
        command.Parameters.AddWithValue(schema);
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
