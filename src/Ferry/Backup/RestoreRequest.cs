namespace Ferry.Backup;

/// <summary>What <c>ferry restore</c> takes: a subset of the backup's tables (null: all), and a schema to restore into instead of in place.</summary>
public sealed record RestoreRequest
{
    public IReadOnlyList<string>? Tables { get; init; }

    /// <summary>Restore beside the live tables, into this schema (made when missing); null: in place.</summary>
    public string? Into { get; init; }

    /// <summary>Connections the restored tables' fingerprints are computed over.</summary>
    public int Jobs { get; init; } = 2;
}
