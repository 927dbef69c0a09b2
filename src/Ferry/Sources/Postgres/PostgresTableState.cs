namespace Ferry.Sources.Postgres;

/// <summary>
/// What a PostgreSQL table's readers need: whether it is a partitioned table (read through its partitions, no ONLY),
/// its size in pages (for <c>ctid</c> ranges) and the <c>--where</c> condition its rows are read with.
/// </summary>
internal sealed record PostgresTableState(bool Partitioned, long Pages, string? Where) : ISourceTableState;
