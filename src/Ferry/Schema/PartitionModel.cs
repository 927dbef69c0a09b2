namespace Ferry.Schema;

/// <summary>
/// A partition of a PostgreSQL source's partitioned table: created <c>PARTITION OF</c> its parent with the source's
/// bound, and with what is declared on it alone (checks, keys, indexes). Rows reach it through the partitioned table.
/// </summary>
public sealed class PartitionModel
{
    public required string SourceSchema { get; init; }

    public required string SourceName { get; init; }

    public string TargetSchema { get; init; } = "public";

    public string TargetName { get; init; } = "";

    /// <summary>The parent's source schema and name: the partitioned table, or a partition that is partitioned itself.</summary>
    public required (string Schema, string Name) Parent { get; init; }

    /// <summary>The bound as pg_get_expr(relpartbound) writes it: <c>FOR VALUES FROM (…) TO (…)</c>, <c>DEFAULT</c>.</summary>
    public required string Bound { get; init; }

    /// <summary>A sub-partitioned partition's <c>PARTITION BY</c> clause (target column names); null for a leaf.</summary>
    public string? PartitionBy { get; init; }

    public bool Unlogged { get; init; }

    /// <summary>Checks declared on this partition alone (its parent's come with PARTITION OF).</summary>
    public List<CheckModel> Checks { get; init; } = [];

    /// <summary>Primary, unique and exclusion constraints declared on this partition alone, each with its definition.</summary>
    public List<KeyModel> Keys { get; init; } = [];

    /// <summary>Foreign keys declared on this partition alone (as before PostgreSQL 11 allowed them on the partitioned table), to copied tables.</summary>
    public List<ForeignKeyModel> ForeignKeys { get; init; } = [];

    /// <summary>Indexes created on this partition alone (those of its parent are created through the parent).</summary>
    public List<IndexModel> Indexes { get; init; } = [];

    public string? Comment { get; init; }

    public string QualifiedSourceName => SourceSchema + "." + SourceName;
}
