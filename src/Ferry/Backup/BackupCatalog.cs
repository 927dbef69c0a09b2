using Ferry.Backup.Internal;
using Ferry.Connections;
using Ferry.Project;

namespace Ferry.Backup;

/// <summary>The backups recorded in the target's <c>ferry.backups</c>: listed, found by name, dropped.</summary>
public static class BackupCatalog
{
    /// <summary>Every backup, newest first (none when the database never had one).</summary>
    public static async Task<IReadOnlyList<BackupManifest>> ListAsync(PostgresTarget target, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        return await BackupsTable.ReadAsync(connection, null, cancellationToken);
    }

    /// <summary>The backup named <paramref name="name"/>; null when there is none.</summary>
    public static async Task<BackupManifest?> GetAsync(PostgresTarget target, string name, CancellationToken cancellationToken)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        return (await BackupsTable.ReadAsync(connection, name, cancellationToken)).FirstOrDefault();
    }

    /// <summary>The backup named <paramref name="name"/>; refused, naming the nearest and <c>ferry backups</c>, when there is none.</summary>
    public static async Task<BackupManifest> FindAsync(PostgresTarget target, string name, CancellationToken cancellationToken)
    {
        if (await GetAsync(target, name, cancellationToken) is { } manifest)
            return manifest;
        var names = (await ListAsync(target, cancellationToken)).Select(b => b.Name).ToList();
        throw new FerryException($"no backup named {name} in {target.DisplayUrl}" +
            (YamlMap.Nearest(name, names) is { } near ? $"; did you mean {near}?" : ".") + " List the backups with: ferry backups");
    }

    /// <summary>Drops a backup: its schema (or its file and manifest), then its row.</summary>
    public static async Task<BackupManifest> DropAsync(PostgresTarget target, string name, CancellationToken cancellationToken)
    {
        var manifest = await FindAsync(target, name, cancellationToken);
        await BackupStores.For(manifest.Kind).DropAsync(target, manifest, cancellationToken);
        await using var connection = await target.OpenAsync(cancellationToken);
        await BackupsTable.DeleteAsync(connection, name, cancellationToken);
        return manifest;
    }

    /// <summary>The newest backup holding <paramref name="schema"/>.<paramref name="table"/>; null when none does.</summary>
    public static async Task<BackupManifest?> LatestCoveringAsync(PostgresTarget target, string schema, string table, CancellationToken cancellationToken) =>
        (await ListAsync(target, cancellationToken)).FirstOrDefault(b => b.Table(schema, table) is not null);
}
