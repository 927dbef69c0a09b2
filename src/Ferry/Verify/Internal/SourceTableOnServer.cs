using Ferry.Schema;
using Ferry.Sources;
using Npgsql;

namespace Ferry.Verify.Internal;

/// <summary>
/// A source table on its server, as verify hashes it there: its catalog, its rows, and the connection (with a way to
/// open more, in the same snapshot) that hashes them.
/// </summary>
internal sealed record SourceTableOnServer(
    TargetTable Catalog, ServerRows Rows, NpgsqlConnection Connection, Func<CancellationToken, Task<NpgsqlConnection>> Open, bool Utf8) : IAsyncDisposable
{
    /// <summary>
    /// A copied column as the source's rows give it: its catalog entry; for a column the copy cast (<c>--cast</c>),
    /// the cast's, which is the target column's type, under the source's name.
    /// </summary>
    public TargetColumn? Column(PlannedColumn column, TargetColumn? target) =>
        column.Type.Kind == PgTypeKind.Verbatim ? Catalog.Column(column.SourceName) : target is null ? null : target with { Name = column.SourceName };

    /// <summary>The rows hashed: the table's own; when the copy cast some columns, selected as the copy read them.</summary>
    public HashedRelation Relation(IReadOnlyList<PlannedColumn> copied)
    {
        var rows = HashedRelation.Of(Rows, Catalog.Pages);
        if (copied.All(c => c.Type.Kind == PgTypeKind.Verbatim))
            return rows;
        return HashedRelation.Projected(rows, copied.Select(c =>
        {
            var quoted = CanonicalSql.Quote(c.SourceName);
            return c.Type.Kind == PgTypeKind.Verbatim ? quoted : $"{quoted}::{c.Type.ToSql()} AS {quoted}";
        }));
    }

    public ValueTask DisposeAsync() => Connection.DisposeAsync();
}
