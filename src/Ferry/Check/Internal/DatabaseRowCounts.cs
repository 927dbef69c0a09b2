using Ferry.Transforms.Spec;

namespace Ferry.Check.Internal;

/// <summary>A check database's tables counted, for <c>rows: source</c> under <c>--compare</c>: the table found as the expectations name it.</summary>
internal sealed class DatabaseRowCounts(ICheckDatabase database, string description) : ISourceRowCounts
{
    public string Description { get; } = description;

    public async Task<long?> RowsAsync(SourceTableName table, CancellationToken cancellationToken)
    {
        if (await database.FindTableAsync(table, cancellationToken) is not { } found)
            return null;
        var rows = await database.RowsAsync(database.Dialect.Scan(found, [], [], []), cancellationToken);
        return (long)rows[0][0]!;
    }
}
