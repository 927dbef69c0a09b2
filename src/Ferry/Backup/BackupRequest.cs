namespace Ferry.Backup;

/// <summary>
/// What <c>ferry backup</c> takes: <see cref="Tables"/> (bare names resolve through the search path) or
/// <see cref="Schemas"/> (all their tables), or neither (every user table outside the system, <c>ferry</c> and backup schemas).
/// </summary>
public sealed record BackupRequest
{
    public IReadOnlyList<string>? Tables { get; init; }

    public IReadOnlyList<string>? Schemas { get; init; }

    /// <summary>The backup's name (the schema holding it); null: <c>backup_YYYYMMDD_HHMMSS</c> in UTC.</summary>
    public string? Name { get; init; }

    /// <summary>The run that takes it (<c>ferry.runs.id</c>).</summary>
    public long? RunId { get; init; }

    /// <summary>Why it was taken: "ferry backup", "migrate up --backup", "copy --replace --backup".</summary>
    public string? Reason { get; init; }

    /// <summary>Tables copied at once, each over a connection of its own.</summary>
    public int Jobs { get; init; } = 2;

    /// <summary>
    /// Schemas whose objects the inventory records beside the tables' own: a snapshot before a migration covers the
    /// schemas it may create objects in, so a rollback can tell what came after.
    /// </summary>
    public IReadOnlyList<string>? InventorySchemas { get; init; }

    /// <summary>An empty <see cref="Tables"/> takes no table (only the inventory), instead of every table.</summary>
    public bool AllowNoTables { get; init; }

    /// <summary>A <c>pg_dump</c> archive to write; null: the backup is a schema in the database.</summary>
    public string? File { get; init; }
}
