using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources;

namespace Ferry.Verify.Internal;

/// <summary>
/// A source hashed on its own server whose table has column steps, which run only in Ferry: its readers give each
/// unstepped column's canonical text as its server computes it (<see cref="CanonicalSql.Raw"/> of its catalog column,
/// in the canonical session settings), and each stepped column's text for the steps, so that <see cref="RowHasher"/>
/// hashes the row as the target's server does without decoding a binary value.
/// </summary>
internal sealed class ServerCanonicalReads : ISource
{
    readonly ISource _source;
    readonly IServerHashedSource _server;
    readonly string[] _fields;

    /// <param name="source">The source (an <see cref="IServerHashedSource"/>).</param>
    /// <param name="table">The table read.</param>
    /// <param name="sourceColumns">Its copied (read) columns as the source's catalog describes them, in order; null when they are only counted.</param>
    public ServerCanonicalReads(ISource source, PlannedTable table, IReadOnlyList<TargetColumn?>? sourceColumns)
    {
        _source = source;
        _server = (IServerHashedSource)source;
        _fields = [
            .. table.Copied.Select((c, i) =>
                c.Steps.Count > 0 ? CanonicalSql.Quote(c.SourceName) + "::text" : sourceColumns?[i] is { } column ? CanonicalSql.Raw(column) : "NULL"),
            .. Sources.Postgres.SourceCopy.JsonFields(table),
        ];
    }

    /// <summary>
    /// The type a written column's text is hashed as: an unstepped column's text is canonical already; a stepped one's is
    /// what its steps made; a fold's is JSON, made canonical as jsonb.
    /// </summary>
    public static PgType HashedType(PlannedTable table, PlannedColumn column) =>
        table.Folds.Any(f => f.Column == column) ? PgType.Jsonb : column.Steps.Count == 0 ? PgType.Text : column.Type.Verbatim?.Text ?? column.Type;

    public string Description => _source.Description;

    public Task<SourceModel> DiscoverAsync(CancellationToken cancellationToken) => _source.DiscoverAsync(cancellationToken);

    public IReadOnlyList<ReadRange> PlanRanges(TableModel table, int parts) => _source.PlanRanges(table, parts);

    public ITableReader OpenReader(PlannedTable table, ReadRange range) => _server.OpenTextReader(table, range, _fields, CanonicalSql.SessionSettings);

    /// <summary>The source is the caller's: nothing of it is disposed here.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
