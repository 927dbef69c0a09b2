using Ferry.Connections;
using Ferry.Copy;
using Ferry.Schema;
using Npgsql;

namespace Ferry.Target;

/// <summary>
/// Foreign keys: added NOT VALID, one after another on the copy's session, then validated in parallel; a failed
/// validation keeps the key NOT VALID and its orphans are listed. After a lost connection an ADD is checked in the
/// catalog before it runs again; a VALIDATE runs again as it is.
/// </summary>
internal static class ForeignKeyStep
{
    const int OrphanSample = 20;

    /// <summary>Adds the keys of <paramref name="adds"/>, then validates those added by their steps of <paramref name="validations"/>.</summary>
    public static async Task BuildAsync(NpgsqlDataSource dataSource, TargetSession session, StepGroup adds, StepGroup validations, CopyResult result, ParallelOptions jobs)
    {
        var cancellationToken = jobs.CancellationToken;
        var added = new HashSet<PlannedForeignKey>(ReferenceEqualityComparer.Instance);
        foreach (var step in adds.Steps)
        {
            var (table, fk) = (step.Table!, step.ForeignKey!);
            var refusal = await session.RunAsync($"adding foreign key {fk.Name} to {table.DisplayName}", async (connection, retry, ct) =>
            {
                if (retry > 0 && await ExistsAsync(connection, table, fk, ct))
                    return null; // the lost attempt committed
                try
                {
                    await TargetSql.ExecuteAsync(connection, step.Sql, ct);
                    return null;
                }
                catch (PostgresException e) when (ConnectionLoss.Describe(e) is null)
                {
                    return e.MessageText;
                }
            }, cancellationToken);
            if (refusal is null)
                added.Add(fk);
            else
                result.Failures.Add($"{table.DisplayName}: foreign key {fk.Name} → {fk.Referenced.DisplayName} was not created: {refusal}");
        }

        await Parallel.ForEachAsync(validations.Steps.Where(s => added.Contains(s.ForeignKey!)).Select(s => (s.Table!, s.ForeignKey!, s.Sql)), jobs, async (item, ct) =>
        {
            var (table, fk, sql) = item;
            var orphans = await session.Retrier.RunAsync($"validating foreign key {fk.Name} of {table.DisplayName}", async (_, ct2) =>
            {
                await using var connection = await dataSource.OpenConnectionAsync(ct2);
                try
                {
                    await TargetSql.ExecuteAsync(connection, sql, ct2);
                    return null;
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
                {
                    await using var count = new NpgsqlCommand(DdlWriter.OrphanRowCount(table, fk), connection);
                    var rows = (long)(await count.ExecuteScalarAsync(ct2))!;
                    var keys = await TargetSql.StringsAsync(connection, DdlWriter.OrphanKeys(table, fk, OrphanSample), ct2);
                    return new ForeignKeyOrphans(table.DisplayName, fk.Name, fk.Columns, fk.Referenced.DisplayName, rows, keys);
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
