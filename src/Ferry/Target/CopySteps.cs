using Ferry.Schema;

namespace Ferry.Target;

/// <summary>
/// The ordered steps of a copy on its target, made from its plan: what a run executes (<see cref="CopyTarget"/> runs
/// each group when the runner's phase reaches it) and what <c>--dry-run</c> prints (<see cref="Write"/>), one list for
/// both. It is a fresh copy's list: --resume and --replace change what runs by what the catalog holds, which a dry
/// run does not read.
/// </summary>
internal sealed class CopySteps
{
    CopySteps(SchemaPlan plan)
    {
        Plan = plan;
        Replace = new StepGroup("--replace: the copy's views, tables and enum types dropped where they exist, without CASCADE (what else depends on them stops the run)",
            plan.Replace ? [.. DdlWriter.DropForReplace(plan).Select(sql => new TargetStep(StepKind.Drop, [sql])), .. ServerObjectSteps.Drops(plan)] : []);
        Create = new StepGroup("schemas, types and tables (no secondary indexes yet; autovacuum off until they are analyzed)", [
            .. ServerObjectSteps.Of(plan, ServerObjectKind.Extension),
            .. plan.Schemas.Select(s => new TargetStep(StepKind.Schema, [DdlWriter.CreateSchema(s)])),
            .. ServerObjectSteps.Of(plan, ServerObjectKind.Sequence, ServerObjectKind.Collation, ServerObjectKind.Type, ServerObjectKind.Function),
            .. plan.Enums.Select(e => new TargetStep(StepKind.EnumType, [DdlWriter.CreateType(e)]) { Enum = e }),
            .. plan.Tables.Select(t => new TargetStep(StepKind.Table, [DdlWriter.CreateTable(t), .. t.Partitions.Select(PartitionDdl.Create), DdlWriter.PauseAutovacuum(t), .. CommentDdl.OnTable(t)]) { Table = t }),
            .. ServerObjectSteps.Of(plan, ServerObjectKind.SequenceOwner),
        ]);
        Data = new StepGroup("data: one binary COPY per table (or per key range), in parallel, largest tables first",
            [.. plan.Tables.Select(t => new TargetStep(StepKind.Copy, [t.CopySql]) { Table = t })], Parallel: true, Commented: true);
        Keys = new StepGroup("primary keys, unique and exclusion constraints, NOT VALID checks and indexes (of partitions too)", [
            .. plan.Tables.SelectMany(t => DdlWriter.KeyAndIndexObjects(t).Select(o => new TargetStep(StepKind.Key, [o.Sql, .. Comment(CommentDdl.OnKeysAndIndexes(t), o.Name)]) { Table = t, Name = o.Name })),
            .. plan.Tables.SelectMany(t => PartitionDdl.Objects(t).Select(o => new TargetStep(StepKind.Key, o.Statements) { Table = t, Name = o.Name, Partition = o.Partition })),
        ], Parallel: true);
        var foreignKeys = DdlWriter.ForeignKeys(plan).ToList();
        ForeignKeys = new StepGroup("foreign keys: added NOT VALID, then validated (a failed validation keeps it NOT VALID and reports the orphans)",
            [.. foreignKeys.Select(f => new TargetStep(StepKind.AddForeignKey, [DdlWriter.AddForeignKey(f.Table, f.Fk), .. Comment(CommentDdl.OnForeignKey(f.Table, f.Fk))]) { Table = f.Table, ForeignKey = f.Fk })]);
        Validations = new StepGroup(null,
            [.. foreignKeys.Select(f => new TargetStep(StepKind.ValidateForeignKey, [DdlWriter.ValidateForeignKey(f.Table, f.Fk)]) { Table = f.Table, ForeignKey = f.Fk })], Parallel: true);
        PartitionForeignKeys = new StepGroup("foreign keys declared on partitions alone, each added valid on its partition (dropped first: --resume adds it again)",
            [.. plan.Tables.SelectMany(t => PartitionDdl.ForeignKeys(t, plan.Tables).Select(f => new TargetStep(StepKind.PartitionForeignKey, [$"ALTER TABLE {f.Partition.QualifiedName} DROP CONSTRAINT IF EXISTS {Identifiers.Quote(f.Name)}", f.Sql]) { Table = t, Partition = f.Partition, Name = f.Name }))]);
        Identities = new StepGroup("identities continue after the copied maximum",
            [.. plan.Tables.SelectMany(t => t.Columns.Where(c => c.Identity).Select(c => new TargetStep(StepKind.Identity, [DdlWriter.RestartIdentity(t, c)]) { Table = t }))]);
        Views = new StepGroup("views (their table names resolve in the view's own schema)", [
            .. plan.Views.Where(v => v.TargetSql is not null).Select(v => new TargetStep(StepKind.View, [DdlWriter.ViewSearchPath(v), ViewDdl.Create(v)]) { View = v }),
            new TargetStep(StepKind.ResetSearchPath, [DdlWriter.ResetSearchPath]),
        ]);
        CompatViews = new StepGroup("compatibility views: the renamed tables under their source names (--compat-views)",
            [.. plan.CompatViews.Select(v => new TargetStep(StepKind.CompatView, [DdlWriter.CreateCompatView(v)]) { Table = v.Table })]);
        Triggers = new StepGroup("functions on the tables' and views' row types, then triggers, made after the load so that they did not fire on the copied rows",
            [.. ServerObjectSteps.Of(plan, ServerObjectKind.FunctionOnRelations), .. ServerObjectSteps.Of(plan, ServerObjectKind.Trigger)]);
        Statistics = new StepGroup("statistics, then autovacuum back on",
            [.. plan.Tables.Select(t => new TargetStep(StepKind.Analyze, [DdlWriter.Analyze(t), DdlWriter.ResumeAutovacuum(t)]) { Table = t })], Parallel: true);
        Counts = new StepGroup("row counts, beside the statistics: each table's count(*) must be the rows written",
            [.. plan.Tables.Select(t => new TargetStep(StepKind.Count, [RowAccounting.NoParallelWorkers, RowAccounting.Count(t)]) { Table = t })], Parallel: true, Commented: true);
    }

    public static CopySteps For(SchemaPlan plan) => new(plan);

    static IEnumerable<string> Comment(IReadOnlyDictionary<string, string> comments, string name) => Comment(comments.GetValueOrDefault(name));

    static IEnumerable<string> Comment(string? comment) => comment is null ? [] : [comment];

    public SchemaPlan Plan { get; }

    /// <summary>With --replace, the drops that open the create transaction; else empty.</summary>
    public StepGroup Replace { get; }

    /// <summary>Schemas, enum types, tables (each with autovacuum paused): one transaction, before the load.</summary>
    public StepGroup Create { get; }

    /// <summary>The binary COPY of each table, run by the load phase.</summary>
    public StepGroup Data { get; }

    public StepGroup Keys { get; }

    /// <summary>Each foreign key added NOT VALID, one after another.</summary>
    public StepGroup ForeignKeys { get; }

    /// <summary>The added foreign keys validated, in parallel.</summary>
    public StepGroup Validations { get; }

    /// <summary>Foreign keys of partitions, one after another, after the tables' own (their referenced keys exist then).</summary>
    public StepGroup PartitionForeignKeys { get; }

    public StepGroup Identities { get; }

    /// <summary>Each view in its schema's search_path, then the search_path reset.</summary>
    public StepGroup Views { get; }

    /// <summary>One view per renamed table under its source names; a view that cannot be made fails the copy.</summary>
    public StepGroup CompatViews { get; }
    public StepGroup Triggers { get; }

    /// <summary>ANALYZE and autovacuum back on, per table; run beside <see cref="Counts"/>.</summary>
    public StepGroup Statistics { get; }

    public StepGroup Counts { get; }

    /// <summary>The groups in the order a run executes them.</summary>
    public IEnumerable<StepGroup> Groups => Plan.Replace
        ? [Replace, Create, Data, Keys, ForeignKeys, Validations, PartitionForeignKeys, Identities, Views, Triggers, CompatViews, Statistics, Counts]
        : [Create, Data, Keys, ForeignKeys, Validations, PartitionForeignKeys, Identities, Views, Triggers, CompatViews, Statistics, Counts];

    /// <summary>The script: every group's statements under its heading, in execution order.</summary>
    public void Write(TextWriter writer)
    {
        writer.Write($"-- Ferry copy plan for {Plan.Source}\n");
        // A group with nothing to do (no compatibility views asked for) is left out of the script.
        foreach (var group in Groups.Where(g => g.Steps.Count > 0))
        {
            if (group.Heading is { } heading)
                writer.Write("\n-- " + heading + "\n");
            foreach (var statement in group.Steps.SelectMany(s => s.Statements))
                writer.Write(group.Commented ? "-- " + statement + "\n" : statement + ";\n");
        }
    }
}
