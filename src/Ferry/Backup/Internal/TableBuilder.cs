using Ferry.Schema;
using Npgsql;

namespace Ferry.Backup.Internal;

/// <summary>
/// The steps that build a table from its recorded definition, in order: its types and sequences, the table, its data,
/// then its constraints, indexes, triggers, comments and sequence ownership (foreign keys and views come after every table).
/// </summary>
internal sealed class TableBuilder(NpgsqlConnection connection, BackupManifest manifest, IList<string> notes)
{
    /// <summary>The enum and domain types the table uses, made where they are missing.</summary>
    public async Task EnsureTypesAsync(TableDefinition definition, CancellationToken cancellationToken)
    {
        foreach (var type in definition.Types)
        {
            if (!await Sql.ScalarAsync<bool>(connection,
                    "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = $1 AND t.typname = $2)",
                    cancellationToken, type.Schema!, type.Name))
            {
                await Sql.ExecuteAsync(connection, type.Sql, cancellationToken);
                notes.Add($"type {type.Schema}.{type.Name} was missing: made again as it was");
            }
        }
    }

    /// <summary>
    /// Makes the table as <paramref name="table"/>, with its serial sequences (<paramref name="sequences"/> maps a recorded
    /// one to its stand-in, for <c>--into</c>). In place, a relation of another table holding one of its indexes' or
    /// sequences' names (a table renamed away keeps them) is renamed aside first, and said so.
    /// </summary>
    public async Task CreateAsync(TableDefinition definition, string schema, string table, IReadOnlyDictionary<string, string>? sequences, CancellationToken cancellationToken)
    {
        if (sequences is null)
        {
            var names = definition.Constraints.Where(c => !c.Sql.StartsWith("CHECK", StringComparison.Ordinal)).Select(c => (schema, c.Name))
                .Concat(definition.Indexes.Select(i => (schema, i.Name)))
                .Concat(definition.Sequences.Where(s => s.Owned || s.Identity).Select(s => (s.Schema, s.Name)));
            foreach (var (inSchema, name) in names)
                await DisplaceAsync(inSchema, name, cancellationToken);
        }

        foreach (var sequence in definition.Sequences.Where(s => !s.Identity))
        {
            var state = manifest.Sequences.FirstOrDefault(s => s.Schema == sequence.Schema && s.Name == sequence.Name);
            if (state is null)
                continue;
            var prefix = "CREATE SEQUENCE " + sequence.Qualified;
            var create = sequences?.GetValueOrDefault(sequence.Qualified) is { } standIn && state.Definition.StartsWith(prefix, StringComparison.Ordinal)
                ? "CREATE SEQUENCE IF NOT EXISTS " + standIn + state.Definition[prefix.Length..]
                : "CREATE SEQUENCE IF NOT EXISTS " + state.Definition["CREATE SEQUENCE ".Length..];
            await Sql.ExecuteAsync(connection, create, cancellationToken);
        }

        await Sql.ExecuteAsync(connection, definition.CreateTable(Sql.Qualify(schema, table), sequences), cancellationToken);
    }

    /// <summary>Copies the rows from <paramref name="source"/> as they are: identity values kept, generated columns computed again.</summary>
    public async Task<long> LoadAsync(TableDefinition definition, string table, string source, CancellationToken cancellationToken)
    {
        var columns = definition.WrittenColumnList();
        var overriding = definition.Columns.Any(c => c.Identity is not null) ? " OVERRIDING SYSTEM VALUE" : "";
        await using var command = new NpgsqlCommand($"INSERT INTO {table} ({columns}){overriding} SELECT {columns} FROM {source}", connection) { CommandTimeout = 0 };
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>After the data: constraints, indexes, triggers, grants, comments, and the serial sequences' ownership.</summary>
    public async Task FinishAsync(TableDefinition definition, string table, IReadOnlyDictionary<string, string>? sequences, CancellationToken cancellationToken)
    {
        foreach (var constraint in definition.Constraints)
            await Sql.ExecuteAsync(connection, TableDefinition.AddConstraint(table, constraint), cancellationToken);
        foreach (var index in definition.Indexes)
            await Sql.ExecuteAsync(connection, definition.On(index, table), cancellationToken);
        foreach (var trigger in definition.Triggers)
            await Sql.ExecuteAsync(connection, definition.On(trigger, table), cancellationToken);
        foreach (var grant in definition.Grants)
            await Sql.ExecuteAsync(connection, definition.On(grant, table), cancellationToken);
        foreach (var comment in definition.CommentStatements(table))
            await Sql.ExecuteAsync(connection, comment, cancellationToken);
        foreach (var sequence in definition.Sequences.Where(s => s.Owned && s.Column is not null))
        {
            var name = sequences?.GetValueOrDefault(sequence.Qualified) ?? sequence.Qualified;
            await Sql.ExecuteAsync(connection, $"ALTER SEQUENCE {name} OWNED BY {table}.{Identifiers.QuoteAlways(sequence.Column!)}", cancellationToken);
        }
    }

    /// <summary>Sets each sequence back where it stood (<paramref name="sequences"/> maps a recorded one to its stand-in).</summary>
    public async Task SetSequencesAsync(IEnumerable<TableDefinition> tables, IReadOnlyDictionary<string, string>? sequences, CancellationToken cancellationToken)
    {
        foreach (var sequence in tables.SelectMany(t => t.Sequences).DistinctBy(s => s.Qualified))
        {
            if (manifest.Sequences.FirstOrDefault(s => s.Schema == sequence.Schema && s.Name == sequence.Name) is not { } state)
                continue;
            var name = sequences?.GetValueOrDefault(sequence.Qualified) ?? sequence.Qualified;
            await using var command = new NpgsqlCommand("SELECT pg_catalog.setval($1::regclass, $2, $3)", connection);
            command.Parameters.Add(new() { Value = name });
            command.Parameters.Add(new() { Value = state.LastValue });
            command.Parameters.Add(new() { Value = state.IsCalled });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>Renames an index or sequence standing in <paramref name="name"/> aside (to name_displaced), saying so.</summary>
    async Task DisplaceAsync(string schema, string name, CancellationToken cancellationToken)
    {
        var kind = await Sql.RelationKindAsync(connection, schema, name, cancellationToken);
        if (kind is not ('i' or 'I' or 'S'))
            return;
        var free = Identifiers.Truncate(name + "_displaced");
        for (var n = 2; await Sql.RelationKindAsync(connection, schema, free, cancellationToken) is not null; n++)
            free = Identifiers.Truncate(name + "_displaced" + n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Sql.ExecuteAsync(connection, $"ALTER {(kind == 'S' ? "SEQUENCE" : "INDEX")} {Sql.Qualify(schema, name)} RENAME TO {Identifiers.QuoteAlways(free)}", cancellationToken);
        notes.Add($"{(kind == 'S' ? "sequence" : "index")} {schema}.{name} belonged to another table (one renamed since?): renamed to {free} so the restored table has its own");
    }
}
