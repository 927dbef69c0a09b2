namespace Ferry.Sources.Sqlite;

/// <summary>
/// A copy that loads defers the profile (<see cref="IProfileDeferringSource"/>): a table whose declared types leave
/// nothing for the data to decide is discovered unscanned and its readers check each value, except the tables in
/// <see cref="ProfiledTables"/>, profiled all the same (their optimistic load found a value).
/// </summary>
internal sealed record SqliteProfileDeferral(IReadOnlySet<string> ProfiledTables);
