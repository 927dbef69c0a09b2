using Ferry.Schema;

namespace Ferry.Target;

/// <summary>
/// A partitioned table's partitions on the target: each <c>PARTITION OF</c> its parent with the source's bound (created
/// with the table, parents first), and what is declared on a partition alone (keys, NOT VALID checks, indexes; built
/// after the load, as the table's own).
/// </summary>
internal static class PartitionDdl
{
    public static string Create(PlannedPartition partition)
    {
        var source = partition.Source;
        var checks = source.Checks.Where(c => !c.NotValid).Select(DdlWriter.CheckClause).ToList();
        var sql = $"CREATE {(source.Unlogged ? "UNLOGGED " : "")}TABLE {partition.QualifiedName} PARTITION OF {partition.ParentQualifiedName}" +
            (checks.Count == 0 ? "" : " (\n    " + string.Join(",\n    ", checks) + "\n)") + " " + source.Bound;
        return source.PartitionBy is { } partitionBy ? sql + " PARTITION BY " + partitionBy : sql;
    }

    /// <summary>The keys, NOT VALID checks and indexes declared on the table's partitions alone, each with its comment.</summary>
    public static IEnumerable<(PlannedPartition Partition, string Name, IReadOnlyList<string> Statements)> Objects(PlannedTable table)
    {
        foreach (var partition in table.Partitions)
        {
            var on = partition.QualifiedName;
            foreach (var key in partition.Source.Keys)
                yield return (partition, key.Name!, WithComment(ServerConstraintDdl.Add(on, key.Name!, key.Definition!), CommentDdl.OnConstraint(key.Name, key.Comment, on)));
            foreach (var check in partition.Source.Checks.Where(c => c.NotValid && c.Name is not null))
                yield return (partition, check.Name!, WithComment(ServerConstraintDdl.AddNotValid(on, check), CommentDdl.OnConstraint(check.Name, check.Comment, on)));
            foreach (var index in partition.Source.Indexes)
            {
                var name = Identifiers.Truncate(index.Name);
                yield return (partition, name, WithComment($"CREATE {(index.Unique ? "UNIQUE " : "")}INDEX {Identifiers.Quote(name)} ON {on} {index.ServerSql}",
                    index.Comment is { } comment ? CommentDdl.OnIndex(partition.TargetSchema, name, comment) : null));
            }
        }
    }

    /// <summary>
    /// The foreign keys declared on the table's partitions alone, each added valid on its partition (PostgreSQL checks
    /// the rows as it adds it), to the copied table it references.
    /// </summary>
    public static IEnumerable<(PlannedPartition Partition, string Name, string Sql)> ForeignKeys(PlannedTable table, IReadOnlyList<PlannedTable> tables)
    {
        foreach (var partition in table.Partitions)
        {
            foreach (var fk in partition.Source.ForeignKeys)
            {
                if (tables.FirstOrDefault(t => t.Source.SourceSchema == fk.ReferencedSchema && t.Source.SourceName == fk.ReferencedTable) is not { } referenced)
                    continue;
                var name = Identifiers.Truncate(fk.Name!);
                yield return (partition, name,
                    $"ALTER TABLE {partition.QualifiedName} ADD CONSTRAINT {Identifiers.Quote(name)} FOREIGN KEY ({string.Join(", ", fk.Columns.Select(Identifiers.Quote))}) " +
                    $"REFERENCES {referenced.QualifiedName} ({string.Join(", ", fk.ReferencedColumns.Select(Identifiers.Quote))}) ON DELETE {fk.OnDelete} ON UPDATE {fk.OnUpdate}" +
                    (fk.Deferrability == Deferrability.NotDeferrable ? "" : " " + fk.Deferrability.ToSql()));
            }
        }
    }

    static IReadOnlyList<string> WithComment(string sql, string? comment) => comment is null ? [sql] : [sql, comment];

    /// <summary>The relations whose storage holds the rows: the leaf partitions of a partitioned table, else the table.</summary>
    public static IEnumerable<string> Storage(PlannedTable table) =>
        table.Source.PartitionBy is null ? [table.QualifiedName] : table.Partitions.Where(p => p.IsLeaf).Select(p => p.QualifiedName);
}
