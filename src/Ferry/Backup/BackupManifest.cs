namespace Ferry.Backup;

/// <summary>
/// What a backup holds and how to prove a restore of it: per table its rows, fingerprint and definition, the sequences'
/// values, and the objects of the covered schemas when it was taken. Stored in <c>ferry.backups</c> (and beside a file).
/// </summary>
public sealed record BackupManifest
{
    public required string Name { get; init; }

    /// <summary><c>schema</c> (a schema in the database) or <c>file</c> (a <c>pg_dump</c> archive).</summary>
    public required string Kind { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public long? RunId { get; init; }

    public string? Reason { get; init; }

    /// <summary>The schema holding the copies (kind schema), else null.</summary>
    public string? Schema { get; init; }

    /// <summary>The archive's absolute path (kind file), else null.</summary>
    public string? File { get; init; }

    public long SizeBytes { get; init; }

    public required IReadOnlyList<BackedUpTable> Tables { get; init; }

    public required IReadOnlyList<SequenceState> Sequences { get; init; }

    public required IReadOnlyList<InventoryObject> Inventory { get; init; }

    public const string SchemaKind = "schema";

    public const string FileKind = "file";

    /// <summary>The table backed up as <paramref name="schema"/>.<paramref name="name"/>; null when it is not in this backup.</summary>
    public BackedUpTable? Table(string schema, string name) => Tables.FirstOrDefault(t => t.Schema == schema && t.Name == name);
}
