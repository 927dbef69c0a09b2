using Ferry.Transforms.Steps;

namespace Ferry.Schema;

/// <summary>
/// The enum types of a transform's <c>type: enum(name)</c>: each mapped column that declares one is typed by it, and
/// columns naming the same type share one, whose labels are the union of theirs in the order first seen.
/// </summary>
internal static class MappedEnumPlanner
{
    /// <summary>Types the columns (after their steps are attached and their tables' schemas known); the enums to create.</summary>
    public static List<EnumModel> Plan(IEnumerable<PlannedTable> tables)
    {
        var enums = new List<EnumModel>();
        foreach (var table in tables)
        {
            foreach (var column in table.Copied)
            {
                if (column.Steps.Count == 0 || column.Steps[^1] is not MapStep { Enum: { } declared })
                    continue;
                var schema = declared.Schema ?? table.TargetSchema;
                var index = enums.FindIndex(e => e.Schema == schema && e.Name == declared.Name);
                if (index < 0)
                    enums.Add(new EnumModel(schema, declared.Name, declared.Labels) { Reusable = true });
                else
                    enums[index] = enums[index] with { Labels = [.. enums[index].Labels.Union(declared.Labels, StringComparer.Ordinal)] };
                column.Type = PgType.EnumOf(Identifiers.Qualify(schema, declared.Name));
                column.Rule = $"map → enum {declared.Written}";
            }
        }

        return enums;
    }
}
