namespace Ferry.Sources.Postgres;

/// <summary>
/// What a PostgreSQL table's readers need: whether it is a partitioned table (read through its partitions, no ONLY),
/// its size in pages (for <c>ctid</c> ranges), and, where its
/// ranges go by key instead of <c>ctid</c>, its integer key column (quoted).
/// </summary>
internal sealed record PostgresTableState(bool Partitioned, long Pages) : ISourceTableState
{
    /// <summary>
    /// A single integer primary key to range over, on a server before PostgreSQL 14 (which reads a <c>ctid</c> range by
    /// scanning the whole table); null: ranges are <c>ctid</c> page ranges.
    /// </summary>
    public string? RangeKey { get; init; }
}
