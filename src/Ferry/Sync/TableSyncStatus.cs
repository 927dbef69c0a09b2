namespace Ferry.Sync;

/// <summary>One synced table as <c>ferry sync status</c> reports it, from its <c>ferry.sync_state</c> row and (given the source) the rows above its watermark.</summary>
public sealed record TableSyncStatus
{
    /// <summary>The source, as <c>sync_state</c> names it (a file's path resolved).</summary>
    public required string Source { get; init; }

    /// <summary>The target table, <c>schema.name</c>.</summary>
    public required string Table { get; init; }

    public required string SourceTable { get; init; }

    /// <summary>How its last successful run synced it: <c>copy</c> (the first run) or <c>watermark</c>.</summary>
    public required string Mode { get; init; }

    public string? WatermarkColumn { get; init; }

    /// <summary>The newest value synced, as the source writes it.</summary>
    public string? Watermark { get; init; }

    public required DateTimeOffset LastRun { get; init; }

    public DateTimeOffset? LastSuccess { get; init; }

    /// <summary>The newest change synced, as a time (date and timestamp watermarks).</summary>
    public DateTimeOffset? NewestChange { get; init; }

    /// <summary>Why the last run stopped; null when it succeeded.</summary>
    public string? LastError { get; init; }

    /// <summary>Target rows whose key the source no longer has, as the last successful run counted them (<c>--deletes ignore</c>).</summary>
    public long? DeletesPending { get; init; }

    /// <summary>Source rows above the watermark now; null when no source was given, or the watermark is not yet known.</summary>
    public long? RowsBehind { get; init; }

    /// <summary>Seconds from the last success to now; null before the first.</summary>
    public double? SinceSuccessSeconds { get; init; }

    /// <summary>
    /// How far behind the target is: now less the newest change synced; when that is unknown (a whole-number watermark), or the
    /// source has no row above the watermark (a quiet source is not behind), the seconds since the last success.
    /// </summary>
    public double? LagSeconds { get; init; }

    /// <summary>The lag is more than <c>--max-lag</c> (or there was no success to measure it from).</summary>
    public bool OverMaxLag { get; init; }

    /// <summary>The last run stopped: its error is <see cref="LastError"/>.</summary>
    public bool Failed => LastError is not null;
}
