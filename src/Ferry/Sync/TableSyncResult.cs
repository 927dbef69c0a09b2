namespace Ferry.Sync;

/// <summary>One table's part of a sync: how it was synced, what changed, and where its watermark stands.</summary>
public sealed class TableSyncResult
{
    /// <summary>The first run's full copy.</summary>
    public const string CopyMode = "copy";

    /// <summary>Rows above the last watermark (less the overlap) staged and applied.</summary>
    public const string WatermarkMode = "watermark";

    /// <summary>The rows of the keys whose bucket fingerprints differ read and applied (<c>--by-diff</c>, or no watermark column).</summary>
    public const string DiffMode = "diff";

    public required string Source { get; init; }

    public required string Target { get; init; }

    /// <summary><see cref="CopyMode"/>, <see cref="WatermarkMode"/> or <see cref="DiffMode"/>.</summary>
    public required string Mode { get; init; }

    public string? WatermarkColumn { get; init; }

    /// <summary>The watermark the run started from (the source's value, as text); null on a first run.</summary>
    public string? WatermarkBefore { get; set; }

    /// <summary>The watermark recorded for the next run; null when the table was stopped.</summary>
    public string? WatermarkAfter { get; set; }

    public long RowsRead { get; set; }

    public long RowsInserted { get; set; }

    public long RowsUpdated { get; set; }

    public long RowsDeleted { get; set; }

    public long RowsRejected { get; set; }

    /// <summary>Target rows whose key the source no longer has, left by <c>--deletes ignore</c>; null when not counted.</summary>
    public long? DeletesPending { get; set; }

    public double Seconds { get; set; }

    /// <summary>What the run changed of the target's shape (a column added) and what it noticed.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Why the table was stopped (nothing of it applied); null when it synced.</summary>
    public string? Error { get; set; }

    public bool Ok => Error is null;
}
