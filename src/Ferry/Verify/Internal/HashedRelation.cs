using Npgsql;

namespace Ferry.Verify.Internal;

/// <summary>
/// The rows one side of a comparison hashes on its server: the relation (<c>ONLY</c> for a source table whose
/// inheriting children are tables of their own), the condition they were copied with, and the heap's pages.
/// </summary>
internal sealed record HashedRelation(string From, string? Condition, long Pages)
{
    public static HashedRelation Of(TargetTable table) => Named(table.Schema, table.Name, only: false, condition: null, table.Pages);

    public static HashedRelation Named(string schema, string name, bool only, string? condition, long pages = 0) =>
        new((only ? "ONLY " : "") + CanonicalSql.Quote(schema) + "." + CanonicalSql.Quote(name), condition, pages);

    /// <summary>A source's rows on its server: its table, or a derived table's query (never split into page ranges).</summary>
    public static HashedRelation Of(Sources.ServerRows rows, long pages = 0) =>
        rows.Query is { } query
            ? new($"({query}) AS {CanonicalSql.Quote(rows.Name)}", rows.Condition, 0)
            : Named(rows.Schema, rows.Name, rows.Only, rows.Condition, pages);

    /// <summary>
    /// The rows of <paramref name="inner"/> as <paramref name="columns"/> select them (a column the copy cast, cast as it
    /// was); the condition is applied inside, and a table's <c>ctid</c> is passed out for page ranges.
    /// </summary>
    public static HashedRelation Projected(HashedRelation inner, IEnumerable<string> columns) =>
        new($"(SELECT {string.Join(", ", columns)}{(inner.Pages > 0 ? ", ctid" : "")} FROM {inner.From}{inner.Where()}) projected", null, inner.Pages);

    /// <summary>The WHERE clause of the rows, also limited to <paramref name="more"/> (a page range); empty for all rows.</summary>
    public string Where(string? more = null)
    {
        var conditions = new[] { Condition is null ? null : $"({Condition})", more }.OfType<string>().ToList();
        return conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
    }

    public async Task<long> CountAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {From}{Where()}", connection) { CommandTimeout = 0 };
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
