using Ferry.Connections;

namespace Ferry.Backup.Internal;

/// <summary>Where a backup's data lives: a schema in the database (<see cref="SchemaStore"/>) or a <c>pg_dump</c> archive.</summary>
internal interface IBackupStore
{
    /// <summary>Copies the plan's tables; the manifest it returns is recorded in <c>ferry.backups</c> by the caller.</summary>
    Task<BackupManifest> CreateAsync(PostgresTarget target, BackupPlan plan, IProgress<string>? progress, CancellationToken cancellationToken);

    /// <summary>
    /// Puts <paramref name="tables"/> back (or beside, into <paramref name="into"/>) in one transaction; the caller then
    /// proves them by their fingerprints. Says what it did per table in <paramref name="actions"/>, and adds <paramref name="notes"/>.
    /// </summary>
    Task RestoreTablesAsync(
        PostgresTarget target, BackupManifest manifest, IReadOnlyList<BackedUpTable> tables, string? into,
        IDictionary<string, string> actions, IList<string> notes, IProgress<string>? progress, CancellationToken cancellationToken);

    /// <summary>Removes the backup's data (its schema, its file); the caller removes its row.</summary>
    Task DropAsync(PostgresTarget target, BackupManifest manifest, CancellationToken cancellationToken);
}

/// <summary>The store of a backup's kind.</summary>
internal static class BackupStores
{
    public static IBackupStore For(string kind) => kind switch
    {
        BackupManifest.SchemaKind => new SchemaStore(),
        BackupManifest.FileKind => new Files.FileStore(),
        _ => throw new FerryException($"backups of kind '{kind}' are kept by a store this Ferry does not have: use the Ferry that took them."),
    };
}
