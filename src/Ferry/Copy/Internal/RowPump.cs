using Ferry.Schema;
using Ferry.Sources;
using Ferry.Transforms;
using Ferry.Transforms.Folding;

namespace Ferry.Copy.Internal;

/// <summary>
/// The one loop rows move by: a table reader's rows through the table's JSON folds and column steps into a
/// <see cref="RowBuffer"/>, flushed as each batch fills. The copy's loads and sync's staging both run it.
/// </summary>
internal static class RowPump
{
    /// <summary>
    /// Reads until the reader ends (the last batch flushed: true) or <paramref name="afterFlush"/>, called after each
    /// full batch, says stop (false). <paramref name="read"/> counts the rows as they come, for the caller's messages.
    /// </summary>
    public static bool Run(ITableReader reader, PlannedTable table, RowBuffer buffer, ref long read, Func<bool>? afterFlush, CancellationToken cancellationToken)
    {
        var folds = JsonFoldSink.Over(buffer, table);
        var sink = ColumnStepSink.Over((IRowSink?)folds ?? buffer, table);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            buffer.BeginRow(read + 1);
            if (!reader.ReadRow(sink))
                break;
            read++;
            folds?.EndRow();
            buffer.EndRow();
            if (buffer.IsFull)
            {
                buffer.Flush();
                if (afterFlush is not null && !afterFlush())
                    return false;
            }
        }

        buffer.Flush();
        return true;
    }
}
