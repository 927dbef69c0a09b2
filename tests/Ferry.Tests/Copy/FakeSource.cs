using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources;

namespace Ferry.Tests.Copy;

/// <summary>A table of the fake source: its model, how many rows, and how row <c>id</c> (1-based) fills a sink.</summary>
internal sealed record FakeTable(TableModel Model, long Rows, Action<long, IRowSink> Fill);

/// <summary>
/// An in-test source for the pipeline: rows are computed from their id, ranges split the ids, and a hook
/// can make a read fail (a crash in the middle of a table).
/// </summary>
internal sealed class FakeSource(string description, params FakeTable[] tables) : ISource
{
    public List<ViewModel> Views { get; } = [];

    public List<EnumModel> Enums { get; } = [];

    /// <summary>Called before each row is read: throw to simulate a failing source.</summary>
    public Action<string, long>? BeforeRow { get; set; }

    public int ReadersOpened;

    public string Description => description;

    public Task<SourceModel> DiscoverAsync(CancellationToken cancellationToken)
    {
        var model = new SourceModel { Source = description, Notes = ["fake source"] };
        model.Tables.AddRange(tables.Select(t => t.Model));
        model.Views.AddRange(Views);
        model.Enums.AddRange(Enums);
        return Task.FromResult(model);
    }

    public IReadOnlyList<ReadRange> PlanRanges(TableModel table, int parts)
    {
        var rows = Table(table).Rows;
        var size = Math.Max(1, (rows + parts - 1) / parts);
        var ranges = new List<ReadRange>();
        for (long from = 1; from <= rows; from += size)
            ranges.Add(new ReadRange(from, Math.Min(rows, from + size - 1)));
        return ranges;
    }

    public ITableReader OpenReader(PlannedTable table, ReadRange range)
    {
        Interlocked.Increment(ref ReadersOpened);
        var fake = Table(table.Source);
        return new Reader(this, fake, range.From ?? 1, range.To ?? fake.Rows);
    }

    FakeTable Table(TableModel table) => tables.First(t => t.Model.SourceName == table.SourceName);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    sealed class Reader(FakeSource source, FakeTable table, long from, long to) : ITableReader
    {
        long _next = from;

        public long RowsRead { get; private set; }

        public bool ReadRow(IRowSink sink)
        {
            if (_next > to)
                return false;
            source.BeforeRow?.Invoke(table.Model.SourceName, _next);
            table.Fill(_next++, sink);
            RowsRead++;
            return true;
        }

        public void Dispose() { }
    }

    public static ColumnModel Column(string name, PgType type, bool notNull = false) =>
        new() { SourceName = name, SourceType = type.ToSql().ToUpperInvariant(), Type = type, NotNull = notNull, Rule = "test" };
}
