using Ferry.Transforms.Spec;

namespace Ferry.Check.Internal;

/// <summary>
/// A source under <c>--compare</c>, its tables and columns found by the target's names: a table a transform renamed
/// (or moved to another schema) by its source name, a renamed column by its source name. Other names are the same on both sides.
/// </summary>
internal sealed class RenamedCheckDatabase(ICheckDatabase inner, TransformSpec transform) : ICheckDatabase
{
    public ICheckDialect Dialect => inner.Dialect;

    /// <summary>The transform's condition on the rows of the table the target names <paramref name="name"/> copies; null when it copies them all.</summary>
    public string? Where(SourceTableName name) => For(name)?.Where?.Text;

    TableTransform? For(SourceTableName name) =>
        transform.Tables.FirstOrDefault(t => !t.IsDerived && (t.Rename ?? t.Schema) is not null && Names(t, name))
        ?? transform.Tables.FirstOrDefault(t => !t.IsDerived && (t.Rename ?? t.Schema) is null && t.Table.Matches(name.Schema, name.Name));

    public async Task<CheckedTable?> FindTableAsync(SourceTableName name, CancellationToken cancellationToken)
    {
        var renamed = For(name);
        if (renamed is null)
            return await inner.FindTableAsync(name, cancellationToken);
        // A table kept under its name is found as the expectation writes it (its schema too); a renamed one by its source name.
        var found = await inner.FindTableAsync((renamed.Rename ?? renamed.Schema) is null ? name : renamed.Table, cancellationToken);
        return found?.Aliased(renamed.Columns.Where(c => c.Rename is not null).ToDictionary(c => c.Rename!, c => c.Column, StringComparer.Ordinal));
    }

    /// <summary>Whether <paramref name="name"/> (the target's, as an expectation writes it) names the table <paramref name="table"/> becomes.</summary>
    static bool Names(TableTransform table, SourceTableName name) => name.Matches(table.Schema ?? name.Schema, table.Rename ?? table.Table.Name);

    public Task<List<object?[]>> RowsAsync(string sql, CancellationToken cancellationToken) => inner.RowsAsync(sql, cancellationToken);

    public Task<List<object?[]>> ReadOnlyRowsAsync(string sql, CancellationToken cancellationToken) => inner.ReadOnlyRowsAsync(sql, cancellationToken);

    public Task StreamAsync(string sql, Action<string?[]> row, CancellationToken cancellationToken) => inner.StreamAsync(sql, row, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();
}
