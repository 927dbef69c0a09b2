using System.Text.Json.Serialization;

namespace Ferry.Backup;

/// <summary>One table of a backup: its rows and fingerprint when taken, and the definition that recreates it.</summary>
public sealed record BackedUpTable
{
    public required string Schema { get; init; }

    public required string Name { get; init; }

    public required long Rows { get; init; }

    /// <summary>The table's content fingerprint (see <c>TableFingerprint</c>): independent of row order, table name and schema.</summary>
    public required string Fingerprint { get; init; }

    public required TableDefinition Definition { get; init; }

    /// <summary>The copy's name inside the backup schema (kind schema); null for a file.</summary>
    public string? Copy { get; init; }

    [JsonIgnore]
    public string DisplayName => Schema + "." + Name;
}
