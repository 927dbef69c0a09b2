using Ferry.Connections;
using Ferry.Schema;
using Npgsql;

namespace Ferry.Copy.Internal;

/// <summary>
/// Foreign keys: added NOT VALID, one after another on the copy's session, then validated in parallel; a failed
/// validation keeps the key NOT VALID and its orphans are listed. After a lost connection an ADD is checked in the
/// catalog before it runs again; a VALIDATE runs again as it is.
/// </summary>
internal static class ForeignKeyStep
{
    const int OrphanSample = 20;

    public static async Task BuildAsync(NpgsqlDataSource dataSource, TargetSession session, SchemaPlan plan, CopyResult result, ParallelOptions jobs)
    {
        var cancellationToken = jobs.CancellationToken;
        var added = new List<(PlannedTable Table, PlannedForeignKey Fk)>();
        foreach (var (table, fk) in DdlWriter.ForeignKeys(plan))
        {
            var refusal = await session.RunAsync($"adding foreign key {fk.Name} to {table.DisplayName}", async (connection, retry, ct) =>
            {
                if (retry > 0 && await ExistsAsync(connection, table, fk, ct))
                    return null; // the lost attempt committed
                try
                {
                    await TargetSql.ExecuteAsync(connection, DdlWriter.AddForeignKey(table, fk), ct);
                    return null;
                }
                catch (PostgresException e) when (ConnectionLoss.Describe(e) is null)
                {
                    return e.MessageText;
                }
            }, cancellationToken);
            if (refusal is null)
                added.Add((table, fk));
            else
                result.Failures.Add($"{table.DisplayName}: foreign key {fk.Name} → {fk.Referenced.DisplayName} was not created: {refusal}");
        }

        await Parallel.ForEachAsync(added, jobs, async (item, ct) =>
        {
            var orphans = await session.Retrier.RunAsync($"validating foreign key {item.Fk.Name} of {item.Table.DisplayName}", async (_, ct2) =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct2);
                try
                {
                    await TargetSql.ExecuteAsync(connection, DdlWriter.ValidateForeignKey(item.Table, item.Fk), ct2);
                    return null;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
                {
                    await using var count = new NpgsqlCommand(DdlWriter.OrphanRowCount(item.Table, item.Fk), connection);
                    var rows = (long)(await count.ExecuteScalarAsync(ct2))!;
                    var keys = await TargetSql.StringsAsync(connection, DdlWriter.OrphanKeys(item.Table, item.Fk, OrphanSample), ct2);
                    return new ForeignKeyOrphans(item.Table.DisplayName, item.Fk.Name, item.Fk.Columns, item.Fk.Referenced.DisplayName, rows, keys);
                }
            }, ct);
            if (orphans is not null)
            {
                lock (result.Orphans)
                    result.Orphans.Add(orphans);
            }
        });
        result.Orphans.Sort((a, b) => string.CompareOrdinal(a.Table + a.Constraint, b.Table + b.Constraint));
    }

    static async Task<bool> ExistsAsync(NpgsqlConnection connection, PlannedTable table, PlannedForeignKey fk, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT FROM pg_constraint WHERE conrelid = to_regclass($1) AND conname = $2)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = table.QualifiedName });
        command.Parameters.Add(new NpgsqlParameter { Value = fk.Name });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
