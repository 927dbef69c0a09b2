using Ferry.Copy;

namespace Ferry.Sync;

/// <summary>What a <c>ferry sync</c> run did, table by table.</summary>
public sealed class SyncResult
{
    public required string Source { get; init; }

    public required string Target { get; init; }

    public List<TableSyncResult> Tables { get; } = [];

    /// <summary>The copy of the tables synced for the first time; null when none was.</summary>
    public CopyResult? Copy { get; set; }

    public double Seconds { get; set; }

    /// <summary>Every table synced (a stopped one is not).</summary>
    public bool Ok => Tables.All(t => t.Ok) && (Copy?.Ok ?? true);
}
