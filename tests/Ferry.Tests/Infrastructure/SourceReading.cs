using Ferry.Schema;
using Ferry.Sources;

namespace Ferry.Tests.Infrastructure;

/// <summary>Reading a discovered table directly, as discovery typed its columns (a plan made of it alone).</summary>
public static class SourceReading
{
    public static ITableReader OpenReader(this ISource source, TableModel table, ReadRange range) => source.OpenReader(new PlannedTable(table), range);
}
