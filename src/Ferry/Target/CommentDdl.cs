using Ferry.Schema;

namespace Ferry.Target;

/// <summary>The source's comments on what the copy creates, as COMMENT ON statements, each run with the object's creation.</summary>
internal static class CommentDdl
{
    /// <summary>The table's and its columns' comments, and those of the checks created with it.</summary>
    public static IEnumerable<string> OnTable(PlannedTable table)
    {
        if (table.Source.Comment is { } comment)
            yield return $"COMMENT ON TABLE {table.QualifiedName} IS {Identifiers.Literal(comment)}";
        foreach (var column in table.Columns.Where(c => c.Source.Comment is not null))
            yield return $"COMMENT ON COLUMN {table.QualifiedName}.{Identifiers.Quote(column.TargetName)} IS {Identifiers.Literal(column.Source.Comment!)}";
        foreach (var check in table.Checks.Where(c => !c.NotValid))
        {
            if (OnConstraint(check.Name, check.Comment, table.QualifiedName) is { } sql)
                yield return sql;
        }

        foreach (var partition in table.Partitions)
        {
            if (partition.Source.Comment is { } partitionComment)
                yield return $"COMMENT ON TABLE {partition.QualifiedName} IS {Identifiers.Literal(partitionComment)}";
            foreach (var check in partition.Source.Checks.Where(c => !c.NotValid))
            {
                if (OnConstraint(check.Name, check.Comment, partition.QualifiedName) is { } sql)
                    yield return sql;
            }
        }
    }

    /// <summary>The comments of the table's keys, exclusion constraints, NOT VALID checks and indexes, by object name.</summary>
    public static Dictionary<string, string> OnKeysAndIndexes(PlannedTable table)
    {
        var comments = new Dictionary<string, string>(StringComparer.Ordinal);
        if (table.PrimaryKeyName is { } pk && table.PrimaryKey?.Comment is { } pkComment)
            comments[pk] = OnConstraint(pk, pkComment, table.QualifiedName)!;
        foreach (var key in table.UniqueKeys.Concat(table.Exclusions).Where(k => k.Comment is not null))
            comments[key.Name] = OnConstraint(key.Name, key.Comment, table.QualifiedName)!;
        foreach (var check in table.Checks.Where(c => c.NotValid && c.Name is not null && c.Comment is not null))
            comments[check.Name!] = OnConstraint(check.Name, check.Comment, table.QualifiedName)!;
        foreach (var (name, index) in table.Indexes.Where(i => i.Index.Comment is not null))
            comments[name] = OnIndex(table.TargetSchema, name, index.Comment!);
        return comments;
    }

    public static string? OnConstraint(string? name, string? comment, string qualifiedTable) =>
        name is null || comment is null ? null : $"COMMENT ON CONSTRAINT {Identifiers.Quote(name)} ON {qualifiedTable} IS {Identifiers.Literal(comment)}";

    public static string OnIndex(string schema, string name, string comment) =>
        $"COMMENT ON INDEX {Identifiers.Qualify(schema, name)} IS {Identifiers.Literal(comment)}";

    public static string? OnForeignKey(PlannedTable table, PlannedForeignKey fk) => OnConstraint(fk.Name, fk.Comment, table.QualifiedName);

    /// <summary>A view's comment and its columns'.</summary>
    public static IEnumerable<string> OnView(PlannedView view)
    {
        var source = view.Source;
        if (source.Comment is { } comment)
            yield return $"COMMENT ON {(source.Materialized ? "MATERIALIZED VIEW" : "VIEW")} {view.QualifiedName} IS {Identifiers.Literal(comment)}";
        foreach (var (column, columnComment) in source.ColumnComments.OrderBy(c => c.Key, StringComparer.Ordinal))
            yield return $"COMMENT ON COLUMN {view.QualifiedName}.{Identifiers.Quote(column)} IS {Identifiers.Literal(columnComment)}";
    }
}
