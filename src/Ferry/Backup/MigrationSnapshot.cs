using Ferry.Migrations;

namespace Ferry.Backup;

/// <summary>
/// What a snapshot before pending migrations takes (<c>ferry migrate up --backup</c>): the existing tables they touch
/// (found by <see cref="Migrator.TouchedTablesAsync"/>), or every table of their schemas (<c>--backup all</c>, or a
/// migration that may touch tables it does not name); its inventory covers every schema they touch or create in,
/// so a rollback from it can tell what they created. <see cref="Touched"/> is what the run's journal records.
/// </summary>
public sealed record MigrationSnapshot(BackupRequest Request, IReadOnlyList<string> Tables, IReadOnlyList<string> Schemas, IReadOnlyList<string> Touched, bool Pending)
{
    public static async Task<MigrationSnapshot> PlanAsync(Migrator migrator, UpOptions? up, bool wholeSchemas, CancellationToken cancellationToken = default)
    {
        var touch = await migrator.TouchedTablesAsync(up, cancellationToken);
        var historySchema = migrator.HistoryTable[..Math.Max(0, migrator.HistoryTable.IndexOf('.', StringComparison.Ordinal))];
        var tables = touch.Tables.Select(t => t.ToString()).Distinct(StringComparer.Ordinal).ToList();
        var created = touch.Migrations.SelectMany(m => m.Created)
            .Select(c => c.Name.Schema is null ? new ObjectName(historySchema, c.Name.Name) : c.Name).ToList();
        // Whole schemas are those that exist now; a schema a migration creates is only inventoried.
        var existing = touch.Tables.Select(t => t.Schema ?? historySchema).Concat(touch.Schemas).Append(historySchema).Distinct(StringComparer.Ordinal).ToList();
        var schemas = existing.Concat(created.Select(c => c.Schema!)).Distinct(StringComparer.Ordinal).ToList();
        var whole = wholeSchemas || touch.TouchesUnknownTables;
        var request = new BackupRequest
        {
            Tables = whole ? null : tables,
            Schemas = whole ? (wholeSchemas ? existing : [.. touch.Schemas.DefaultIfEmpty(historySchema)]) : null,
            InventorySchemas = schemas,
            AllowNoTables = true,
            Reason = "migrate up --backup",
        };
        var touched = tables.Concat(created.Select(c => c.ToString())).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new MigrationSnapshot(request, whole ? [] : tables, request.Schemas ?? [], touched, touch.Migrations.Count > 0);
    }
}
