using Ferry.Schema;
using Ferry.Target;

namespace Ferry.Transforms;

/// <summary>What a transform did to one table, as the copy's summary, <c>--json</c> and report show it: one line a change.</summary>
public sealed record TableTransformSummary(string Table, IReadOnlyList<string> Changes)
{
    /// <summary>The changes the plan makes to each table a transform (or <c>--where</c>) names, in the plan's order; empty when none.</summary>
    public static IReadOnlyList<TableTransformSummary> Of(SchemaPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var summaries = new List<TableTransformSummary>();
        foreach (var table in plan.Tables)
        {
            var changes = ChangesOf(table);
            if (changes.Count > 0)
                summaries.Add(new TableTransformSummary(table.Source.QualifiedSourceName, changes));
        }

        return summaries;
    }

    static List<string> ChangesOf(PlannedTable table)
    {
        var changes = new List<string>();
        if (table.Source.SourceQuery is { } query)
            changes.Add($"derived from the query {query}");
        if (table.Rename is { } rename && (rename.Name ?? rename.Schema) is not null)
            changes.Add($"renamed to {table.DisplayName}");
        if (table.Source.SourceFilter is { } filter)
            changes.Add($"rows where {filter}");
        foreach (var column in table.Copied)
        {
            if (table.Rename?.ColumnName(column.SourceName) is { } name)
                changes.Add($"{column.SourceName} renamed to {name}");
            if (column.Steps.Count > 0)
                changes.Add($"{column.SourceName}: {string.Join(", then ", column.Steps.Select(s => s.Description))}{(column.Type != column.Source.Type ? $", as {DdlWriter.ColumnType(column)}" : "")}");
        }

        changes.AddRange(table.Dropped.Select(c => $"{c.SourceName} dropped"));
        foreach (var fold in table.Folds)
        {
            var away = fold.Members.Select(m => table.Copied[m]).Where(table.FoldedAway.Contains).ToList();
            changes.Add($"{fold.Column.TargetName} added: jsonb of {string.Join(", ", fold.Keys)}{(away.Count > 0 ? $" ({string.Join(", ", away.Select(c => c.SourceName))} not kept)" : "")}");
        }

        return changes;
    }
}
