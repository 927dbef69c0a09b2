namespace Ferry.Check;

/// <summary>
/// A failing row: its primary key's values (integers as numbers, anything else as PostgreSQL's text), or the row's
/// values when the table has no primary key; and the checked columns' values when the key does not hold them.
/// </summary>
public sealed record CheckSample(IReadOnlyDictionary<string, object?> Key, IReadOnlyDictionary<string, object?>? Values = null);
