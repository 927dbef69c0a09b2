using Ferry.Schema;
using Npgsql;

namespace Ferry.Sources;

/// <summary>
/// A PostgreSQL-speaking source whose tables verify hashes inside its own server, with the same canonical SQL as the
/// target's, so only bucket aggregates cross the wire and no value is read into Ferry.
/// </summary>
internal interface IServerHashedSource
{
    /// <summary>A new connection that sees exactly what the source's readers see (its snapshot); the caller disposes it.</summary>
    Task<NpgsqlConnection> OpenInSnapshotAsync(CancellationToken cancellationToken);

    /// <summary>The relation a table's rows are read from and the condition they are read with.</summary>
    ServerRows RowsOf(TableModel table);

    /// <summary>
    /// A reader of a range of <paramref name="table"/>'s rows as <paramref name="fields"/> select them (text expressions
    /// over its copied columns, by their source names), each value given to the sink as text, on a connection in the
    /// snapshot that ran <paramref name="settings"/> first: verify hashes a table with column steps so.
    /// </summary>
    ITableReader OpenTextReader(PlannedTable table, ReadRange range, IReadOnlyList<string> fields, string settings);
}

/// <summary>
/// A source table's rows on its server: <paramref name="Only"/> leaves out inheriting children (a partitioned table is
/// read through its partitions); <paramref name="Condition"/> is the <c>--where</c> the copy read them with.
/// </summary>
internal sealed record ServerRows(string Schema, string Name, bool Only, string? Condition)
{
    /// <summary>A derived table's query, whose result <see cref="Name"/> names (no schema, no catalog entry); null for a table.</summary>
    public string? Query { get; init; }
}
