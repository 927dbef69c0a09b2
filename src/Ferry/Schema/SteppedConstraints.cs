using System.Text.RegularExpressions;
using Ferry.Transforms;

namespace Ferry.Schema;

/// <summary>
/// What a column's steps mean for the table's own rules, once the steps are attached: a constant default goes through
/// the steps as the column's values do (<c>DEFAULT 'user'</c> on a mapped role becomes <c>DEFAULT 'MEMBER'</c>), and a
/// check constraint testing a column whose values the steps change (<c>role IN ('admin', 'user')</c>) is not made, with
/// a note: every copied row would break it.
/// </summary>
internal static partial class SteppedConstraints
{
    public static void Apply(IEnumerable<PlannedTable> tables)
    {
        foreach (var table in tables.Where(t => t.HasSteps))
        {
            foreach (var column in table.Copied.Where(c => c.Steps.Count > 0 && c.DefaultSql is not null))
                StepDefault(table, column);
            DropBrokenChecks(table);
        }
    }

    static void StepDefault(PlannedTable table, PlannedColumn column)
    {
        if (Literal().Match(column.DefaultSql!) is not { Success: true } literal)
            return;
        var value = literal.Groups[1].Value.Replace("''", "'", StringComparison.Ordinal);
        var shown = column.Steps.Any(s => s.Masks) ? Connections.Redaction.Mask : value;
        foreach (var step in column.Steps)
        {
            if (!step.Deterministic)
            {
                Drop(table, column, $"{step.Description} gives another value each time");
                return;
            }

            var result = step.Apply(ref value);
            if (result.Outcome == StepOutcome.Null)
            {
                Drop(table, column, $"{step.Description} makes it NULL");
                return;
            }

            if (result.Outcome == StepOutcome.Reject)
            {
                Drop(table, column, result.Reason!);
                return;
            }
        }

        var stepped = Identifiers.Literal(value);
        if (stepped != column.DefaultSql)
            table.Applied.Add($"the default of {column.SourceName} ('{shown}') becomes {stepped}, as its values go through the transform's steps");
        column.DefaultSql = stepped;

        void Drop(PlannedTable t, PlannedColumn c, string why)
        {
            c.DefaultSql = null;
            t.Notes.Add($"the default of {c.SourceName} ('{shown}') is not kept: {why}");
        }
    }

    static void DropBrokenChecks(PlannedTable table)
    {
        var changed = table.Copied.Where(c => c.Steps.Count > 0 && !c.Steps.All(s => s.KeepsValues))
            .SelectMany(c => new[] { c.TargetName, c.Source.TargetName, c.SourceName })
            .ToHashSet(StringComparer.Ordinal);
        if (changed.Count == 0)
            return;
        foreach (var check in table.Checks.ToList())
        {
            if (SqlIdentifiers.Mentioned(check.ExpressionSql, changed) is not { } column)
                continue;
            table.Checks.Remove(check);
            table.Notes.Add($"check {check.Name ?? check.ExpressionSql} is not created: it tests {column}, whose values the transform's steps change");
        }
    }

    /// <summary>A string constant, as a translated default is written: <c>'it''s'</c>, possibly cast (<c>'x'::text</c>).</summary>
    [GeneratedRegex(@"^'((?:[^']|'')*)'(?:::[A-Za-z_][A-Za-z0-9_ ]*(?:\(\d+\))?)?$")]
    private static partial Regex Literal();
}
