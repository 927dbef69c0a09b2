using Ferry.Check;
using Ferry.Transforms.Spec;

namespace Ferry.Copy;

/// <summary>
/// A copy's source row counts for <c>rows: source</c> after it: the rows the source has of the table an expectation
/// names by its target name (read, whether written, rejected or left out by a filter).
/// </summary>
public sealed class CopiedSourceRows(CopyResult result) : ISourceRowCounts
{
    readonly List<(string Schema, string Name, long Rows)> _tables =
        [.. result.Plan.Tables.Join(result.Tables, p => p.DisplayName, t => t.Target, (p, t) => (p.TargetSchema, p.TargetName, t.RowsRead))];

    public string Description => result.Source;

    public Task<long?> RowsAsync(SourceTableName table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        var matching = _tables.Where(t => table.Matches(t.Schema, t.Name)).ToList();
        var found = matching.Where(t => t.Name == table.Name).Concat(matching).Select(t => (long?)t.Rows).FirstOrDefault();
        return Task.FromResult(found);
    }
}
