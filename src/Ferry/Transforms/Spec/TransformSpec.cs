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

    /// <summary>
    /// The tables' renames, schemas, column renames and drops, as the copy and verify take them
    /// (<see cref="Copy.CopyOptions.TableRenames"/>): source table name → what changes.
    /// </summary>
    public IReadOnlyDictionary<string, Schema.TableRename> TableRenames() =>
        Tables.Where(t => !t.IsDerived && ((t.Rename ?? t.Schema) is not null || t.Columns.Any(c => c.Drop || c.Rename is not null) || t.Add.Count > 0))
            .ToDictionary(t => t.Table.Qualified, t => new Schema.TableRename(t.Rename, t.Schema)
            {
                ColumnRenames = t.Columns.Where(c => c.Rename is not null).ToDictionary(c => c.Column, c => c.Rename!, StringComparer.Ordinal),
                DroppedColumns = t.Columns.Where(c => c.Drop).Select(c => c.Column).ToHashSet(StringComparer.Ordinal),
                Folds = [.. t.Add.Select(a => new Schema.JsonFold(a.Name, a.Json, a.DropFolded, a.Origin.Origin))],
            }, StringComparer.Ordinal);

    /// <summary>These tables with what <paramref name="over"/> (an environment's section) says instead: a table it names is replaced whole.</summary>
    public TransformSpec With(TransformSpec over) =>
        over.IsEmpty ? this : new([.. Tables.Where(t => !over.Tables.Any(o => o.Table.Qualified == t.Table.Qualified)), .. over.Tables]);
}
