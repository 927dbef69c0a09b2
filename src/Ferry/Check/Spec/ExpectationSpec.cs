namespace Ferry.Check.Spec;

/// <summary>
/// An <c>expect</c> section (of <c>ferry.yml</c>, an environment of it, or a file given with <c>--expect</c>): each
/// table's expectations, before and after the work, checked when the file was read. See docs/check.md.
/// </summary>
public sealed record ExpectationSpec(IReadOnlyList<TableExpectations> Tables)
{
    public static ExpectationSpec Empty { get; } = new([]);

    public bool IsEmpty => Tables.Count == 0;

    /// <summary>The tables of one stage (<c>before:</c> or <c>after:</c>, ungrouped ones being after).</summary>
    public ExpectationSpec Of(CheckStage stage) => new([.. Tables.Where(t => t.Stage == stage)]);

    /// <summary>
    /// The expectations of the tables a copy's <c>--tables</c> selection takes (all without one), by the names as the
    /// selection writes them (<c>table</c> or <c>schema.table</c>): a table the copy leaves out is not checked around it.
    /// </summary>
    public ExpectationSpec Selected(IReadOnlyList<string>? tables) =>
        tables is not { Count: > 0 } ? this
        : new([.. Tables.Where(t => tables.Any(selected =>
        {
            var dot = selected.LastIndexOf('.');
            return dot > 0 ? t.Table.Matches(selected[..dot], selected[(dot + 1)..]) : t.Table.Matches(null, selected);
        }))]);

    /// <summary>These tables with what <paramref name="over"/> (an environment's section) says instead: a table it names in a stage is replaced whole.</summary>
    public ExpectationSpec With(ExpectationSpec over) =>
        over.IsEmpty ? this
        : new([.. Tables.Where(t => !over.Tables.Any(o => o.Stage == t.Stage && o.Table.Qualified == t.Table.Qualified)), .. over.Tables]);
}
