namespace Ferry.Check;

/// <summary>A query a check ran against a table, in order: what tests and <c>--verbose</c> readers see of its work.</summary>
public sealed record CheckQuery(string Table, CheckQueryPurpose Purpose, string Sql);
