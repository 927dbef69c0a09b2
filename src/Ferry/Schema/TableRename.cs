namespace Ferry.Schema;

/// <summary>
/// What a transform changes of one source table's shape: its target name and schema, its columns' target names, and
/// the columns left out (not read from the source, not created). Names are taken verbatim (not through
/// <c>--names</c>): the user wrote the target's name. Null keeps what the plan would give.
/// </summary>
public sealed record TableRename(string? Name = null, string? Schema = null)
{
    /// <summary>Source column name → target name.</summary>
    public IReadOnlyDictionary<string, string> ColumnRenames { get; init; } = new Dictionary<string, string>();

    /// <summary>Source column names left out of the copy.</summary>
    public IReadOnlySet<string> DroppedColumns { get; init; } = new HashSet<string>();

    /// <summary>The <c>jsonb</c> columns the table gains, each folding source columns into one object, in the file's order.</summary>
    public IReadOnlyList<JsonFold> Folds { get; init; } = [];

    /// <summary>The target name of the source column <paramref name="sourceName"/>; null when it keeps the plan's.</summary>
    public string? ColumnName(string sourceName) =>
        ColumnRenames.TryGetValue(sourceName, out var name) ? name
        : ColumnRenames.FirstOrDefault(r => string.Equals(r.Key, sourceName, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>Whether a fold with <c>drop: true</c> takes the source column <paramref name="sourceName"/> out of the target.</summary>
    public bool FoldsAway(string sourceName) =>
        Folds.Any(f => f.DropFolded && f.Columns.Any(c => string.Equals(c, sourceName, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Whether the source column <paramref name="sourceName"/> is left out.</summary>
    public bool Drops(string sourceName) => DroppedColumns.Any(d => string.Equals(d, sourceName, StringComparison.OrdinalIgnoreCase));
}
