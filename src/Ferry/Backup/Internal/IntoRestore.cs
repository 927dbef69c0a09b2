using Ferry.Schema;
using Npgsql;

namespace Ferry.Backup.Internal;

/// <summary>
/// Restores tables beside the live ones (<c>restore --into SCHEMA</c>), inside the caller's transaction: each made from
/// its definition in that schema (made when missing; a table already there is refused), with its own serial and identity
/// sequences there, its indexes, constraints, triggers and comments, and the foreign keys among the restored tables.
/// Foreign keys to tables outside the set would point at the live tables, and views are the live ones': neither is made,
/// and the notes say so. The live tables are not touched.
/// </summary>
internal sealed class IntoRestore(
    NpgsqlConnection connection, BackupManifest manifest, IReadOnlyList<BackedUpTable> tables, Func<BackedUpTable, string> source, string into,
    IDictionary<string, string> actions, IList<string> notes, IProgress<string>? progress)
{
    readonly TableBuilder _builder = new(connection, manifest, notes);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (into == manifest.Schema)
            throw new FerryException($"--into {into} is the backup's own schema: give another schema to restore into.");
        foreach (var table in tables)
        {
            if (await Sql.RelationKindAsync(connection, into, table.Name, cancellationToken) is not null)
            {
                throw new FerryException(
                    $"--into {into}: {into}.{table.Name} exists already; restore --into makes its tables afresh. Drop it, or choose another schema. Nothing was changed.");
            }
        }

        await Sql.ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {Identifiers.QuoteAlways(into)}", cancellationToken);
        // Each table's serial and identity sequences are its own in the schema; a default's shared sequence stays the live one.
        var sequences = tables.SelectMany(t => t.Definition.Sequences).Where(s => s.Owned || s.Identity)
            .DistinctBy(s => s.Qualified).ToDictionary(s => s.Qualified, s => Sql.Qualify(into, s.Name));
        var tableNames = tables.ToDictionary(t => t.Definition.Qualified, t => Sql.Qualify(into, t.Name));
        foreach (var table in tables)
        {
            var name = Sql.Qualify(into, table.Name);
            await _builder.EnsureTypesAsync(table.Definition, cancellationToken);
            await _builder.CreateAsync(table.Definition, into, table.Name, sequences, cancellationToken);
            await _builder.LoadAsync(table.Definition, name, source(table), cancellationToken);
            await _builder.FinishAsync(table.Definition, name, sequences, cancellationToken);
            foreach (var shared in table.Definition.Sequences.Where(s => !s.Owned && !s.Identity))
                notes.Add($"{into}.{table.Name}: its default still draws from the live sequence {shared.Schema}.{shared.Name}");
            actions[table.DisplayName] = "created in " + into;
            progress?.Report($"restored {table.DisplayName} into {into}.{table.Name}");
        }

        foreach (var table in tables)
        {
            foreach (var key in table.Definition.ForeignKeys)
            {
                if (key.Referenced is { } referenced && tableNames.GetValueOrDefault(referenced) is { } restored)
                    await Sql.ExecuteAsync(connection, TableDefinition.AddConstraint(Sql.Qualify(into, table.Name), TableDefinition.Referencing(key, restored)), cancellationToken);
                else
                    notes.Add($"{into}.{table.Name}: foreign key {key.Name} not made: it references {key.Referenced}, a live table outside the restored set");
            }

            foreach (var view in table.Definition.Views)
                notes.Add($"view {view.Schema}.{view.Name} on {table.DisplayName} not made in {into}: it is the live table's");
        }

        await _builder.SetSequencesAsync(tables.Select(t => t.Definition), sequences, cancellationToken);
    }
}
