namespace Ferry.Schema;

/// <summary>
/// A JSON fold as the row path runs it: the <c>jsonb</c> <see cref="Column"/> it writes, and for each key (in the
/// transform's order) the position among <see cref="PlannedTable.Copied"/> of the column whose value it takes.
/// </summary>
internal sealed record PlannedFold(PlannedColumn Column, IReadOnlyList<string> Keys, IReadOnlyList<int> Members);
