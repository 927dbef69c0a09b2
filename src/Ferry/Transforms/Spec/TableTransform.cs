using Ferry.Project;

namespace Ferry.Transforms.Spec;

/// <summary>
/// What a transform says of one table, keyed by its source name: a rename, another target schema, a row filter, its
/// columns' steps and added columns; or, with <see cref="Query"/>, a derived table (the key is then its target name,
/// and it takes no filter, columns or additions). Null (or empty) is a key the file does not give.
/// </summary>
public sealed record TableTransform(SourceTableName Table, ProjectValue Origin)
{
    /// <summary>The target table's name, taken verbatim (not through <c>--names</c>).</summary>
    public string? Rename { get; init; }

    /// <summary>The target schema, verbatim; it wins over <c>--schema</c> for this table.</summary>
    public string? Schema { get; init; }

    /// <summary>A SQL condition in the source engine's dialect: only rows it holds for are copied.</summary>
    public ProjectValue? Where { get; init; }

    /// <summary>The columns named, in the file's order.</summary>
    public IReadOnlyList<ColumnTransform> Columns { get; init; } = [];

    /// <summary>The columns added, in the file's order.</summary>
    public IReadOnlyList<AddedColumn> Add { get; init; } = [];

    /// <summary>A derived table's query, in the source engine's dialect; null for a source table.</summary>
    public ProjectValue? Query { get; init; }

    /// <summary>A derived table's primary key (its query's column names).</summary>
    public IReadOnlyList<string> PrimaryKey { get; init; } = [];

    public bool IsDerived => Query is not null;

    /// <summary>The column named <paramref name="name"/> (as the file writes it); null when the file does not name it.</summary>
    public ColumnTransform? Column(string name) => Columns.FirstOrDefault(c => c.Column == name);
}
