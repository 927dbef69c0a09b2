using Ferry.Connections;
using Npgsql;

namespace Ferry.Backup.Internal;

/// <summary>
/// Backups kept in the database: a schema holding a copy of each table, taken per table in its own transaction over
/// several connections, all under one exported snapshot (tables that reference each other are copied as of one moment).
/// </summary>
internal sealed class SchemaStore : IBackupStore
{
    public async Task<BackupManifest> CreateAsync(PostgresTarget target, BackupPlan plan, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        // Held open to the end: the snapshot the copies import lives as long as its transaction.
        await using var snapshot = await BackupSnapshot.TakeAsync(target, plan, "nothing was kept", cancellationToken);
        var definitions = snapshot.Definitions;
        var backupSchema = Ferry.Schema.Identifiers.QuoteAlways(plan.Name);
        await using (var connection = await target.OpenAsync(cancellationToken))
        {
            await Sql.ExecuteAsync(connection, $"CREATE SCHEMA {backupSchema}; COMMENT ON SCHEMA {backupSchema} IS " +
                Ferry.Schema.Identifiers.StandardLiteral($"Ferry backup {plan.Name} ({plan.Request.Reason ?? "ferry backup"}): restore with ferry restore {plan.Name}, list with ferry backups."), cancellationToken);
        }

        try
        {
            var copies = CopyNames(plan.Tables);
            var tables = new BackedUpTable[plan.Tables.Count];
            var done = 0;
            await Parallel.ForEachAsync(
                Enumerable.Range(0, plan.Tables.Count),
                new ParallelOptions { MaxDegreeOfParallelism = plan.Request.Jobs, CancellationToken = cancellationToken },
                async (i, token) =>
                {
                    var (rows, fingerprint) = await CopyAsync(snapshot, definitions[i], plan.Name, copies[i], token);
                    tables[i] = new BackedUpTable { Schema = definitions[i].Schema, Name = definitions[i].Name, Rows = rows, Fingerprint = fingerprint, Definition = definitions[i], Copy = copies[i] };
                    progress?.Report($"backed up {definitions[i].DisplayName} ({rows:N0} rows) [{Interlocked.Increment(ref done)}/{tables.Length}]");
                });
            // Not on the coordinator: its snapshot predates the copies.
            await using var counting = await target.OpenAsync(cancellationToken);
            var size = await Sql.ScalarAsync<decimal>(counting,
                "SELECT coalesce(sum(pg_catalog.pg_total_relation_size(c.oid)), 0) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relkind = 'r'",
                cancellationToken, plan.Name);
            await snapshot.CommitAsync(cancellationToken);
            return new BackupManifest
            {
                Name = plan.Name,
                Kind = BackupManifest.SchemaKind,
                CreatedAt = plan.CreatedAt,
                RunId = plan.Request.RunId,
                Reason = plan.Request.Reason,
                Schema = plan.Name,
                SizeBytes = (long)size,
                Tables = tables,
                Sequences = snapshot.Sequences,
                Inventory = snapshot.Inventory,
            };
        }
        catch
        {
            await DropSchemaAsync(target, plan.Name, CancellationToken.None);
            throw;
        }
    }

    /// <summary>
    /// Copies one table under the snapshot (<c>CREATE TABLE AS</c>: plain columns, so the copy depends on no sequence,
    /// type default or generation of the live table), while other connections fingerprint the live table under the same snapshot.
    /// </summary>
    static async Task<(long Rows, string Fingerprint)> CopyAsync(
        BackupSnapshot snapshot, TableDefinition table, string backupSchema, string copy, CancellationToken cancellationToken)
    {
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var fingerprinting = Task.Run(async () =>
        {
            await using var connection = await snapshot.OpenAsync(failed.Token);
            return await TableFingerprint.ComputeAsync(connection, snapshot.OpenAsync, table.Schema, table.Name, failed.Token);
        }, failed.Token);
        long copied;
        try
        {
            await using var connection = await snapshot.OpenAsync(cancellationToken);
            await using (var command = new NpgsqlCommand($"CREATE TABLE {Sql.Qualify(backupSchema, copy)} AS SELECT * FROM ONLY {Sql.Qualify(table.Schema, table.Name)}", connection) { CommandTimeout = 0 })
                copied = await command.ExecuteNonQueryAsync(cancellationToken);
            await Sql.ExecuteAsync(connection, "COMMIT", cancellationToken);
        }
        catch
        {
            await failed.CancelAsync();
            try
            {
                await fingerprinting;
            }
            catch (OperationCanceledException)
            {
            }

            throw;
        }

        var (rows, fingerprint) = await fingerprinting;
        if (copied >= 0 && copied != rows)
            throw new FerryException($"the copy of {table.DisplayName} holds {copied:N0} rows, where the table held {rows:N0} under the same snapshot; nothing was kept.", FailureKind.Failed);
        return (rows, fingerprint);
    }

    /// <summary>Each table's name in the backup schema: its own, or schema_name where two schemas have a table of that name.</summary>
    static string[] CopyNames(IReadOnlyList<(string Schema, string Name)> tables) =>
        [.. tables.Select(t => tables.Count(o => o.Name == t.Name) > 1 ? Ferry.Schema.Identifiers.Truncate(t.Schema + "_" + t.Name) : t.Name)];

    public async Task RestoreTablesAsync(
        PostgresTarget target, BackupManifest manifest, IReadOnlyList<BackedUpTable> tables, string? into,
        IDictionary<string, string> actions, IList<string> notes, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        foreach (var table in tables)
        {
            if (await Sql.RelationKindAsync(connection, manifest.Schema!, table.Copy ?? table.Name, cancellationToken) != 'r')
                throw new FerryException($"backup {manifest.Name} has lost its copy of {table.DisplayName} ({manifest.Schema}.{table.Copy}): it cannot be restored.", FailureKind.Failed);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await Sql.ExecuteAsync(connection, "SET LOCAL search_path = pg_catalog", cancellationToken);
        var source = (BackedUpTable t) => Sql.Qualify(manifest.Schema!, t.Copy ?? t.Name);
        try
        {
            if (into is null)
                await new InPlaceRestore(connection, manifest, tables, source, actions, notes, progress).RunAsync(cancellationToken);
            else
                await new IntoRestore(connection, manifest, tables, source, into, actions, notes, progress).RunAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            throw new FerryException(
                $"restore of {manifest.Name} rolled back, nothing was changed: {e.MessageText}" + (e.ConstraintName is { } constraint ? $" (constraint {constraint}{(e.TableName is { } t ? " of " + t : "")})" : "") +
                (e.SqlState == PostgresErrorCodes.ForeignKeyViolation
                    ? ". Rows of a table outside the restored set reference rows the backup does not hold: restore that table too (--tables), or delete those rows first."
                    : "."),
                FailureKind.Failed, e);
        }
    }

    public Task DropAsync(PostgresTarget target, BackupManifest manifest, CancellationToken cancellationToken) =>
        manifest.Schema is { } schema ? DropSchemaAsync(target, schema, cancellationToken) : Task.CompletedTask;

    static async Task DropSchemaAsync(PostgresTarget target, string schema, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await Sql.ExecuteAsync(connection, $"DROP SCHEMA IF EXISTS {Ferry.Schema.Identifiers.QuoteAlways(schema)} CASCADE", cancellationToken);
    }
}
