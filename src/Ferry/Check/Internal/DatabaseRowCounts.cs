using Ferry.Transforms.Spec;

namespace Ferry.Check.Internal;

/// <summary>
/// A source's tables counted, for <c>rows: source</c> under <c>--compare</c>: the table found as the expectations name it,
/// only the rows the transform's <c>where</c> copies (the others were never meant to reach the target) unless
/// <paramref name="whole"/> (the source's own run, where <c>rows: source</c> compares the table with itself).
/// </summary>
internal sealed class DatabaseRowCounts(RenamedCheckDatabase database, string description, bool whole = false) : ISourceRowCounts
{
    public string Description { get; } = description;

    public async Task<long?> RowsAsync(SourceTableName table, CancellationToken cancellationToken)
    {
        if (await database.FindTableAsync(table, cancellationToken) is not { } found)
            return null;
        // A scan with nothing but count(*) reads the table alone, so the condition can follow it.
        var scan = database.Dialect.Scan(found, [], [], []);
        var rows = await database.RowsAsync(!whole && database.Where(table) is { } where ? $"{scan} WHERE ({where})" : scan, cancellationToken);
        return (long)rows[0][0]!;
    }
}
