using Ferry.Transforms.Spec;

namespace Ferry.Check.Internal;

/// <summary>
/// Where a check runs (the PostgreSQL target, or a source: SQLite, DuckDB, PostgreSQL): its catalog, its SQL dialect, and its
/// queries, each of which either returns its rows or throws <see cref="CheckQueryException"/> with the database's message.
/// </summary>
internal interface ICheckDatabase : IAsyncDisposable
{
    ICheckDialect Dialect { get; }

    /// <summary>The table <paramref name="name"/> names; null when there is none.</summary>
    Task<CheckedTable?> FindTableAsync(SourceTableName name, CancellationToken cancellationToken);

    /// <summary>Every row of <paramref name="sql"/> (a small result: counts, the first failing keys), each value as text or a whole number.</summary>
    Task<List<object?[]>> RowsAsync(string sql, CancellationToken cancellationToken);

    /// <summary>Every row of a user's <paramref name="sql"/>, run where it can change nothing.</summary>
    Task<List<object?[]>> ReadOnlyRowsAsync(string sql, CancellationToken cancellationToken);

    /// <summary>Each row of <paramref name="sql"/>, all values text, into <paramref name="row"/> (the same array each time).</summary>
    Task StreamAsync(string sql, Action<string?[]> row, CancellationToken cancellationToken);
}
