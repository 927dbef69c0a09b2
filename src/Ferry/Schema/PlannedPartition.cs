namespace Ferry.Schema;

/// <summary>A partition as the copy will create it: the discovered <see cref="Source"/>, under its target schema and name.</summary>
public sealed class PlannedPartition
{
    internal PlannedPartition(PartitionModel source)
    {
        Source = source;
        TargetSchema = source.TargetSchema;
        TargetName = source.TargetName;
    }

    public PartitionModel Source { get; }

    /// <summary>Unquoted, as the catalog has it.</summary>
    public string TargetSchema { get; internal set; }

    /// <summary>Unquoted, cut to PostgreSQL's 63 bytes.</summary>
    public string TargetName { get; internal set; }

    /// <summary>The planned parent: the partitioned table or another partition; set by the planner.</summary>
    public string ParentQualifiedName { get; internal set; } = "";

    /// <summary>Whether it has no partitions of its own: the rows are stored in it.</summary>
    public bool IsLeaf => Source.PartitionBy is null;

    /// <summary><c>schema.name</c>, unquoted, for people.</summary>
    public string DisplayName => TargetSchema + "." + TargetName;

    /// <summary><c>schema.name</c>, quoted where needed, for SQL.</summary>
    public string QualifiedName => Identifiers.Qualify(TargetSchema, TargetName);
}
