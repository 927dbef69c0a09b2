namespace Ferry.Sources;

/// <summary>
/// A table of the target defined by a query the source engine runs, in its own SQL
/// (<c>SELECT date(started_at) AS day, count(*) AS sessions FROM sessions GROUP BY 1</c>): its columns and types come
/// from the query's result, its rows from running it (in one piece), and <see cref="PrimaryKey"/> is created after the load.
/// </summary>
/// <param name="Name">The table's name in the source's terms (the naming rule gives its target name).</param>
/// <param name="Query">One SELECT, without ';' or comments.</param>
/// <param name="PrimaryKey">Columns of the query's result (empty: no primary key).</param>
public sealed record DerivedTable(string Name, string Query, IReadOnlyList<string> PrimaryKey);
