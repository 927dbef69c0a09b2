using Ferry.Verify.Internal;

namespace Ferry.Check.Internal;

/// <summary>
/// A table the expectations name, as the database's catalog describes it: its columns and the key its failing rows
/// are named by (the primary key; without one, every column). A source's table under <c>--compare</c> may know its
/// columns by the target's names too (<paramref name="aliases"/>: target name → source name, from a transform's renames).
/// </summary>
internal sealed class CheckedTable(string schema, string name, IReadOnlyList<TargetColumn> columns, IReadOnlyList<TargetColumn> primaryKey, IReadOnlyDictionary<string, string>? aliases = null)
{
    public string Schema { get; } = schema;

    public string Name { get; } = name;

    public IReadOnlyList<TargetColumn> Columns { get; } = columns;

    /// <summary>The columns that name a row: the primary key, else all of them.</summary>
    public IReadOnlyList<TargetColumn> Key { get; } = primaryKey.Count > 0 ? primaryKey : columns;

    public bool HasPrimaryKey { get; } = primaryKey.Count > 0;

    public string DisplayName => Schema + "." + Name;

    /// <summary>The column <paramref name="written"/> names: exactly, else in another case when only one column has it so.</summary>
    public TargetColumn? Column(string written)
    {
        written = SourceName(written) ?? written;
        return Columns.FirstOrDefault(c => c.Name == written)
            ?? (Columns.Where(c => string.Equals(c.Name, written, StringComparison.OrdinalIgnoreCase)).ToList() is [var only] ? only : null);
    }

    /// <summary>The name here of the target's column <paramref name="written"/>, when a transform renamed it; null when it did not.</summary>
    string? SourceName(string written) =>
        aliases is null ? null
        : aliases.TryGetValue(written, out var exact) ? exact
        : aliases.Where(a => string.Equals(a.Key, written, StringComparison.OrdinalIgnoreCase)).Select(a => a.Value).ToList() is [var only] ? only : null;

    /// <summary>This table knowing its columns also by <paramref name="targetNames"/> (target name → its name here).</summary>
    public CheckedTable Aliased(IReadOnlyDictionary<string, string> targetNames) =>
        targetNames.Count == 0 ? this : new(Schema, Name, Columns, HasPrimaryKey ? Key : [], targetNames);

    /// <summary>Why <paramref name="written"/> names no column, listing the table's.</summary>
    public string Missing(string written) =>
        $"{DisplayName} has no column '{written}' (its columns: {string.Join(", ", Columns.Select(c => c.Name))})";
}
