using Ferry.Schema;
using Npgsql;

namespace Ferry.Backup.Internal;

/// <summary>
/// Puts tables back where they were, inside the caller's transaction. A live table with the same columns is emptied
/// (the restored set truncated together) and refilled, its constraints, indexes and triggers made as recorded; a table
/// dropped or altered since (or a view standing in its name) is dropped and made again from its definition. Foreign keys
/// touching the set are dropped first and added back after every table is loaded: those of other tables as they are now
/// (never a CASCADE that would empty them), the set's own as recorded. Then views, then sequences.
/// </summary>
internal sealed class InPlaceRestore(
    NpgsqlConnection connection, BackupManifest manifest, IReadOnlyList<BackedUpTable> tables, Func<BackedUpTable, string> source,
    IDictionary<string, string> actions, IList<string> notes, IProgress<string>? progress)
{
    readonly TableBuilder _builder = new(connection, manifest, notes);

    enum Action { Refill, Recreate, Create }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Nothing changes the live tables between reading their definitions and putting them back.
        var present = new List<string>();
        foreach (var table in tables)
        {
            if (await Sql.RelationKindAsync(connection, table.Schema, table.Name, cancellationToken) == 'r')
                present.Add(Sql.Qualify(table.Schema, table.Name));
        }

        if (present.Count > 0)
            await Sql.ExecuteAsync(connection, $"LOCK TABLE {string.Join(", ", present)} IN ACCESS EXCLUSIVE MODE", cancellationToken);
        var plans = new List<(BackedUpTable Table, TableDefinition? Live, Action Action)>();
        foreach (var table in tables)
        {
            var live = await DefinitionReader.ReadAsync(connection, table.Schema, table.Name, cancellationToken);
            plans.Add((table, live, live is null ? Action.Create : live.SameColumns(table.Definition) ? Action.Refill : Action.Recreate));
        }

        var otherForeignKeys = await DropForeignKeysAsync(plans.Where(p => p.Live is not null).Select(p => Sql.Qualify(p.Table.Schema, p.Table.Name)).ToArray(), cancellationToken);
        var droppedViews = new List<NamedDefinition>();
        foreach (var (table, live, action) in plans)
        {
            var name = Sql.Qualify(table.Schema, table.Name);
            if (action == Action.Recreate)
            {
                droppedViews.AddRange(live!.Views);
                await Sql.ExecuteAsync(connection, $"DROP TABLE {name} CASCADE", cancellationToken);
            }
            else if (action == Action.Create && await Sql.RelationKindAsync(connection, table.Schema, table.Name, cancellationToken) is { } kind)
            {
                await DropStandingAsync(table, kind, cancellationToken);
            }
            else if (action == Action.Refill)
            {
                await DropChangedAsync(table.Definition, live!, name, cancellationToken);
            }
        }

        var refilled = plans.Where(p => p.Action == Action.Refill).ToList();
        if (refilled.Count > 0)
            await Sql.ExecuteAsync(connection, "TRUNCATE ONLY " + string.Join(", ", refilled.Select(p => Sql.Qualify(p.Table.Schema, p.Table.Name))), cancellationToken);

        foreach (var (table, live, action) in plans)
        {
            var name = Sql.Qualify(table.Schema, table.Name);
            var definition = table.Definition;
            if (action == Action.Refill)
            {
                // Restoring rows is not an application's insert: its triggers (audit, …) do not fire.
                var modes = await TriggerModesAsync(name, cancellationToken);
                await Sql.ExecuteAsync(connection, $"ALTER TABLE {name} DISABLE TRIGGER USER", cancellationToken);
                await _builder.LoadAsync(definition, name, source(table), cancellationToken);
                await Sql.ExecuteAsync(connection, $"ALTER TABLE {name} ENABLE TRIGGER USER", cancellationToken);
                foreach (var (trigger, mode) in modes)
                {
                    var how = mode switch { 'D' => "DISABLE", 'R' => "ENABLE REPLICA", _ => "ENABLE ALWAYS" };
                    await Sql.ExecuteAsync(connection, $"ALTER TABLE {name} {how} TRIGGER {Identifiers.QuoteAlways(trigger)}", cancellationToken);
                }

                await AddMissingAsync(definition, live!, name, cancellationToken);
            }
            else
            {
                await _builder.EnsureTypesAsync(definition, cancellationToken);
                await _builder.CreateAsync(definition, table.Schema, table.Name, null, cancellationToken);
                await _builder.LoadAsync(definition, name, source(table), cancellationToken);
                await _builder.FinishAsync(definition, name, null, cancellationToken);
            }

            actions[table.DisplayName] = action switch { Action.Refill => "refilled", Action.Recreate => "recreated", _ => "created" };
            progress?.Report($"restored {table.DisplayName} ({actions[table.DisplayName]})");
        }

        await AddForeignKeysAsync(otherForeignKeys, cancellationToken);
        await CreateViewsAsync(droppedViews, cancellationToken);
        await _builder.SetSequencesAsync(tables.Select(t => t.Definition), null, cancellationToken);
    }

    /// <summary>
    /// Drops every foreign key from or to the set's live tables; returns those of tables outside the set, to add back as
    /// they are (the set's own are added back as recorded).
    /// </summary>
    async Task<List<(string Table, NamedDefinition Key)>> DropForeignKeysAsync(string[] set, CancellationToken cancellationToken)
    {
        var dropped = new List<(string Table, string Name, string Sql, bool Outside)>();
        if (set.Length == 0)
            return [];
        await using (var command = new NpgsqlCommand("""
            SELECT format('%I.%I', n.nspname, c.relname), con.conname, pg_get_constraintdef(con.oid), NOT (con.conrelid = ANY($1::regclass[]))
            FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE con.contype = 'f' AND con.conislocal AND (con.conrelid = ANY($1::regclass[]) OR con.confrelid = ANY($1::regclass[]))
            """, connection))
        {
            command.Parameters.Add(new() { Value = set });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                dropped.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
        }

        foreach (var (table, name, _, _) in dropped)
            await Sql.ExecuteAsync(connection, $"ALTER TABLE {table} DROP CONSTRAINT {Identifiers.QuoteAlways(name)}", cancellationToken);
        return [.. dropped.Where(d => d.Outside).Select(d => (d.Table, new NamedDefinition { Name = d.Name, Sql = d.Sql }))];
    }

    /// <summary>A view (or another relation) standing where a dropped table was: dropped, said so.</summary>
    async Task DropStandingAsync(BackedUpTable table, char kind, CancellationToken cancellationToken)
    {
        var (what, sql) = kind switch
        {
            'v' => ("view", "VIEW"),
            'm' => ("materialized view", "MATERIALIZED VIEW"),
            'p' => ("partitioned table", "TABLE"),
            'f' => ("foreign table", "FOREIGN TABLE"),
            _ => throw new FerryException($"{table.DisplayName} is now a relation of kind '{kind}': drop or rename it, then restore again. Nothing was changed."),
        };
        await Sql.ExecuteAsync(connection, $"DROP {sql} {Sql.Qualify(table.Schema, table.Name)} CASCADE", cancellationToken);
        notes.Add($"the {what} {table.DisplayName} standing in the table's name was dropped");
    }

    /// <summary>A refilled table's constraints, indexes and triggers made since the backup (or changed): dropped.</summary>
    async Task DropChangedAsync(TableDefinition recorded, TableDefinition live, string name, CancellationToken cancellationToken)
    {
        foreach (var constraint in live.Constraints.Where(c => !recorded.Constraints.Contains(c)))
        {
            await Sql.ExecuteAsync(connection, $"ALTER TABLE {name} DROP CONSTRAINT {Identifiers.QuoteAlways(constraint.Name)}", cancellationToken);
            notes.Add($"{recorded.DisplayName}: constraint {constraint.Name} ({constraint.Sql}) was not there at the backup: dropped");
        }

        foreach (var index in live.Indexes.Where(i => !recorded.Indexes.Contains(i)))
        {
            await Sql.ExecuteAsync(connection, $"DROP INDEX {Sql.Qualify(recorded.Schema, index.Name)}", cancellationToken);
            notes.Add($"{recorded.DisplayName}: index {index.Name} was not there at the backup: dropped");
        }

        foreach (var trigger in live.Triggers.Where(t => !recorded.Triggers.Contains(t)))
        {
            await Sql.ExecuteAsync(connection, $"DROP TRIGGER {Identifiers.QuoteAlways(trigger.Name)} ON {name}", cancellationToken);
            notes.Add($"{recorded.DisplayName}: trigger {trigger.Name} was not there at the backup: dropped");
        }
    }

    /// <summary>A refilled table's recorded constraints, indexes and triggers it no longer has (or had changed): made again.</summary>
    async Task AddMissingAsync(TableDefinition recorded, TableDefinition live, string name, CancellationToken cancellationToken)
    {
        foreach (var constraint in recorded.Constraints.Where(c => !live.Constraints.Contains(c)))
            await Sql.ExecuteAsync(connection, TableDefinition.AddConstraint(name, constraint), cancellationToken);
        foreach (var index in recorded.Indexes.Where(i => !live.Indexes.Contains(i)))
            await Sql.ExecuteAsync(connection, recorded.On(index, name), cancellationToken);
        foreach (var trigger in recorded.Triggers.Where(t => !live.Triggers.Contains(t)))
            await Sql.ExecuteAsync(connection, recorded.On(trigger, name), cancellationToken);
    }

    /// <summary>The table's triggers that do not fire on origin (disabled, replica, always): ENABLE TRIGGER USER would change them.</summary>
    async Task<List<(string Name, char Mode)>> TriggerModesAsync(string name, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT tgname::text, tgenabled FROM pg_trigger WHERE tgrelid = $1::regclass AND NOT tgisinternal AND tgenabled <> 'O'", connection);
        command.Parameters.Add(new() { Value = name });
        var modes = new List<(string, char)>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
            modes.Add((reader.GetString(0), reader.GetChar(1)));
        return modes;
    }

    /// <summary>
    /// Foreign keys: the set's own as recorded (a referenced table gone is said so), other tables' as they were just
    /// before, and those other tables had at the backup but lost when a table was dropped since.
    /// </summary>
    async Task AddForeignKeysAsync(List<(string Table, NamedDefinition Key)> others, CancellationToken cancellationToken)
    {
        foreach (var table in tables)
        {
            foreach (var key in table.Definition.ForeignKeys)
            {
                if (key.Referenced is { } referenced && await Sql.ScalarAsync<string>(connection, "SELECT pg_catalog.to_regclass($1)::text", cancellationToken, referenced) is null)
                {
                    notes.Add($"{table.DisplayName}: foreign key {key.Name} not made: the table it references, {referenced}, is gone");
                    continue;
                }

                await Sql.ExecuteAsync(connection, TableDefinition.AddConstraint(Sql.Qualify(table.Schema, table.Name), key), cancellationToken);
            }
        }

        foreach (var (table, key) in others)
            await Sql.ExecuteAsync(connection, TableDefinition.AddConstraint(table, key), cancellationToken);

        var inSet = tables.Select(t => (t.Schema, t.Name)).ToHashSet();
        foreach (var key in tables.SelectMany(t => t.Definition.IncomingForeignKeys).Where(k => !inSet.Contains((k.Schema!, k.Table!))))
        {
            var table = Sql.Qualify(key.Schema!, key.Table!);
            if (await Sql.ScalarAsync<string>(connection, "SELECT pg_catalog.to_regclass($1)::text", cancellationToken, table) is null)
            {
                notes.Add($"foreign key {key.Name} of {key.Schema}.{key.Table} not made: that table is gone");
                continue;
            }

            if (!await Sql.ScalarAsync<bool>(connection, "SELECT EXISTS (SELECT 1 FROM pg_constraint WHERE conrelid = $1::regclass AND conname = $2)", cancellationToken, table, key.Name))
            {
                await Sql.ExecuteAsync(connection, TableDefinition.AddConstraint(table, key), cancellationToken);
                notes.Add($"foreign key {key.Name} of {key.Schema}.{key.Table} made again (it went when its table was dropped)");
            }
        }
    }

    /// <summary>The views recorded on the set and those dropped with a recreated table, where missing; one that no longer builds is said so.</summary>
    async Task CreateViewsAsync(List<NamedDefinition> dropped, CancellationToken cancellationToken)
    {
        var recorded = tables.SelectMany(t => t.Definition.Views).ToList();
        var views = recorded.Concat(dropped.Where(d => !recorded.Any(r => r.Schema == d.Schema && r.Name == d.Name)))
            .DistinctBy(v => (v.Schema, v.Name)).OrderBy(v => v.Depth).ToList();
        foreach (var view in views)
        {
            if (await Sql.RelationKindAsync(connection, view.Schema!, view.Name, cancellationToken) is not null)
                continue;
            await Sql.ExecuteAsync(connection, "SAVEPOINT ferry_view", cancellationToken);
            try
            {
                await Sql.ExecuteAsync(connection, view.Sql, cancellationToken);
                await Sql.ExecuteAsync(connection, "RELEASE SAVEPOINT ferry_view", cancellationToken);
                if (!recorded.Contains(view))
                    notes.Add($"view {view.Schema}.{view.Name} (made after the backup) dropped with its table and made again");
            }
            catch (PostgresException e)
            {
                await Sql.ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT ferry_view", cancellationToken);
                notes.Add($"view {view.Schema}.{view.Name} could not be made again ({e.MessageText}): it is gone");
            }
        }
    }
}
