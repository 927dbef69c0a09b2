using Ferry.Backup.Internal;
using Ferry.Connections;
using Ferry.Project;

namespace Ferry.Backup;

/// <summary>
/// <c>ferry restore</c>: puts a backup's tables back (or beside, <c>--into</c>) in one transaction, then recomputes their
/// fingerprints and compares them with the manifest's: a table is restored when proven identical.
/// </summary>
public static class Restorer
{
    public static async Task<RestoreResult> RestoreAsync(PostgresTarget target, string name, RestoreRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (request.Jobs < 1)
            throw new FerryException($"--jobs must be at least 1, not {request.Jobs}.");
        var manifest = IsArchivePath(name) ? Internal.Files.FileStore.ReadManifest(name) : await BackupCatalog.FindAsync(target, name, cancellationToken);
        var tables = await SelectAsync(target, manifest, request.Tables, cancellationToken);
        var actions = new Dictionary<string, string>();
        var notes = new List<string>();
        await BackupStores.For(manifest.Kind).RestoreTablesAsync(target, manifest, tables, request.Into, actions, notes, progress, cancellationToken);

        var restored = new RestoredTable[tables.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, tables.Count),
            new ParallelOptions { MaxDegreeOfParallelism = request.Jobs, CancellationToken = cancellationToken },
            async (i, token) =>
            {
                var table = tables[i];
                var schema = request.Into ?? table.Schema;
                await using var connection = await target.OpenAsync(token);
                var (rows, fingerprint) = await TableFingerprint.ComputeAsync(connection, target.OpenAsync, schema, table.Name, token);
                restored[i] = new RestoredTable(table.DisplayName, schema + "." + table.Name, actions.GetValueOrDefault(table.DisplayName, "restored"), rows, table.Fingerprint, fingerprint);
            });
        return new RestoreResult(manifest.Name, request.Into, restored, notes);
    }

    /// <summary>
    /// A file backup's archive named by its path, not a backup's name (which has no '/' or '.'): restored by the manifest
    /// beside it, with no row in <c>ferry.backups</c> needed (another database, a copied archive).
    /// </summary>
    public static bool IsArchivePath(string nameOrPath) => nameOrPath.AsSpan().IndexOfAny('/', '.') >= 0;

    /// <summary>
    /// The backup's tables <paramref name="names"/> asks for (all when null): a bare name matches one table of the backup;
    /// a name the backup lacks is refused, saying whether the database has it and which the backup holds.
    /// </summary>
    static async Task<List<BackedUpTable>> SelectAsync(PostgresTarget target, BackupManifest manifest, IReadOnlyList<string>? names, CancellationToken cancellationToken)
    {
        if (names is null)
            return [.. manifest.Tables];
        var chosen = new List<BackedUpTable>();
        var held = string.Join(", ", manifest.Tables.Select(t => t.DisplayName));
        foreach (var name in names)
        {
            var matches = manifest.Tables.Where(t => t.DisplayName == name || (!name.Contains('.', StringComparison.Ordinal) && t.Name == name)).ToList();
            if (matches.Count > 1)
                throw new FerryException($"--tables {name}: backup {manifest.Name} holds {string.Join(" and ", matches.Select(m => m.DisplayName))}; name one with its schema.");
            if (matches.Count == 1)
            {
                if (!chosen.Contains(matches[0]))
                    chosen.Add(matches[0]);
                continue;
            }

            if (await ExistsAsync(target, name, cancellationToken))
                throw new FerryException($"--tables {name}: that table is not in backup {manifest.Name}, which holds: {held}.");
            var near = YamlMap.Nearest(name, manifest.Tables.Select(t => name.Contains('.', StringComparison.Ordinal) ? t.DisplayName : t.Name));
            throw new FerryException($"--tables {name}: no such table in backup {manifest.Name}" + (near is null ? "" : $"; did you mean {near}?") + $" It holds: {held}.");
        }

        return chosen;
    }

    static async Task<bool> ExistsAsync(PostgresTarget target, string name, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        await using var command = new Npgsql.NpgsqlCommand("SELECT pg_catalog.to_regclass($1) IS NOT NULL", connection);
        command.Parameters.Add(new() { Value = name });
        try
        {
            return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
        }
        catch (Npgsql.PostgresException)
        {
            return false; // Not a name at all (a stray quote): certainly no table.
        }
    }
}
