using Ferry.Copy;
using Ferry.Schema;

namespace Ferry.Target;

/// <summary>
/// Notes in a copy's result, from the catalog as the create step found it, what the run creates (schemas, tables, enum
/// and other types the target did not have) and what --replace drops and creates again. The views follow when they are
/// made (<see cref="CreatedByCopy.AddView"/>).
/// </summary>
internal static class CreationRecord
{
    public static void Note(CopyResult result, SchemaPlan plan, IReadOnlySet<string> relations, IReadOnlySet<string> types, IReadOnlySet<string> schemas, IReadOnlySet<string> reused, bool replace)
    {
        var created = result.Created;
        created.Clear();
        result.Replaced.Clear();
        created.RelationsBefore.UnionWith(relations);
        created.Schemas.AddRange(plan.Schemas.Where(s => !schemas.Contains(s)).Distinct());
        created.Tables.AddRange(plan.Tables.Select(t => t.DisplayName).Where(t => !relations.Contains(t)));
        var planTypes = plan.Enums.Where(e => !reused.Contains(e.DisplayName)).Select(e => e.DisplayName).Concat(ServerObjectSteps.Made(plan, ServerObjectKind.Type)).ToList();
        created.Types.AddRange(planTypes.Where(t => !types.Contains(t)));
        if (!replace)
            return;
        var views = plan.Views.Select(v => v.DisplayName).Concat(plan.CompatViews.Select(v => v.DisplayName));
        result.Replaced.AddRange(plan.Tables.Select(t => t.DisplayName).Concat(views).Where(relations.Contains));
        result.Replaced.AddRange(planTypes.Where(types.Contains));
    }
}
