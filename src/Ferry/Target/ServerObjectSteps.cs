using Ferry.Schema;

namespace Ferry.Target;

/// <summary>The steps of a PostgreSQL source's <see cref="ServerObject"/>s: of some kinds, in the plan's order; and --replace's drops of them.</summary>
internal static class ServerObjectSteps
{
    public static IEnumerable<TargetStep> Of(SchemaPlan plan, params ServerObjectKind[] kinds) =>
        plan.ServerObjects.Where(o => kinds.Contains(o.Kind)).Select(o => new TargetStep(StepKind.ServerObject, o.Sql) { Object = o });

    /// <summary>--replace: the types, functions and sequences dropped where they exist, after the tables, the last made first.</summary>
    public static IEnumerable<TargetStep> Drops(SchemaPlan plan) =>
        plan.ServerObjects.Reverse().Where(o => o.DropSql is not null).Select(o => new TargetStep(StepKind.Drop, [o.DropSql!]));

    /// <summary>Whether the target has the step's type (<paramref name="types"/>) or sequence (<paramref name="relations"/>), both <c>schema.name</c>.</summary>
    public static bool Exists(TargetStep step, IReadOnlySet<string> types, IReadOnlySet<string> relations) => step.Object switch
    {
        { Kind: ServerObjectKind.Type } type => types.Contains(type.DisplayName),
        { Kind: ServerObjectKind.Sequence } sequence => relations.Contains(sequence.DisplayName),
        _ => false,
    };

    /// <summary>The plan's objects of a kind, as <c>schema.name</c> (types and sequences: the target must not have them unless --resume or --replace).</summary>
    public static IEnumerable<string> Made(SchemaPlan plan, ServerObjectKind kind) =>
        plan.ServerObjects.Where(o => o.Kind == kind).Select(o => o.DisplayName);
}
