namespace Ferry.Transforms.Spec;

/// <summary>
/// A <c>transform</c> section (of <c>ferry.yml</c>, an environment of it, or a file given with <c>--transform</c>):
/// what the copy does to each table it names, checked when the file was read. See docs/transform.md.
/// </summary>
public sealed record TransformSpec(IReadOnlyList<TableTransform> Tables)
{
    public static TransformSpec Empty { get; } = new([]);

    public bool IsEmpty => Tables.Count == 0;

    /// <summary>The tables that derive from a query.</summary>
    public IEnumerable<TableTransform> Derived => Tables.Where(t => t.IsDerived);

    /// <summary>What the spec says of the source table <paramref name="schema"/>.<paramref name="name"/>; null when nothing.</summary>
    public TableTransform? For(string? schema, string name) =>
        Tables.FirstOrDefault(t => !t.IsDerived && t.Table.Matches(schema, name));

    /// <summary>These tables with what <paramref name="over"/> (an environment's section) says instead: a table it names is replaced whole.</summary>
    public TransformSpec With(TransformSpec over) =>
        over.IsEmpty ? this : new([.. Tables.Where(t => !over.Tables.Any(o => o.Table.Qualified == t.Table.Qualified)), .. over.Tables]);
}
