namespace Ferry.Sources;

/// <summary>
/// Where a source's snapshot is in its server's history: its transaction snapshot (<c>xmin:xmax:xip…</c>: what was
/// committed and what was still running) and the WAL position (null when the server cannot say). Each table copied
/// from it records it in <c>ferry.copy_state</c>, where a later sync starts.
/// </summary>
public sealed record SnapshotPosition(string Transactions, string? WalLsn);

/// <summary>A source read at one instant of its server (a PostgreSQL source): where that instant is.</summary>
internal interface ISnapshotSource
{
    SnapshotPosition Position { get; }
}
