namespace Ferry.Sync;

/// <summary>What <c>ferry sync</c> does with target rows whose key the source no longer has (<c>--deletes</c>).</summary>
public enum SyncDeletes
{
    /// <summary>Leave them, and report how many there are (the target's rows less the source's).</summary>
    Ignore,

    /// <summary>Delete them, found by comparing the two sides' keys, in the transaction that applies the upserts.</summary>
    Apply,
}
