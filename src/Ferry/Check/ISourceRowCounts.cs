using Ferry.Transforms.Spec;

namespace Ferry.Check;

/// <summary>The source a <c>rows: source</c> expectation compares with (the copy's, or <c>--compare</c>'s).</summary>
public interface ISourceRowCounts
{
    /// <summary>The source, for messages (<c>sqlite:app.db</c>).</summary>
    string Description { get; }

    /// <summary>The rows of <paramref name="table"/> in the source; null when the source has no such table.</summary>
    Task<long?> RowsAsync(SourceTableName table, CancellationToken cancellationToken);
}
