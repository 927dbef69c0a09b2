namespace Ferry.Schema;

/// <summary>Links each planned partition to its planned parent, once the planner has named them all.</summary>
internal static class PlannedPartitions
{
    /// <summary>Sets each partition's parent: the table itself, or a partition before it in the list.</summary>
    public static void ResolveParents(PlannedTable table)
    {
        var bySource = new Dictionary<(string, string), string>
        {
            [(table.Source.SourceSchema ?? "", table.Source.SourceName)] = table.QualifiedName,
        };
        foreach (var partition in table.Partitions)
        {
            partition.ParentQualifiedName = bySource.GetValueOrDefault(partition.Source.Parent)
                ?? throw new InvalidOperationException($"Partition {partition.Source.QualifiedSourceName} comes before its parent {partition.Source.Parent.Schema}.{partition.Source.Parent.Name}.");
            bySource[(partition.Source.SourceSchema, partition.Source.SourceName)] = partition.QualifiedName;
        }
    }
}
