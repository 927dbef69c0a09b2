using System.Collections;
using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources;
using NpgsqlTypes;

namespace Ferry.Tests.Verify;

/// <summary>A source whose tables and rows are given in the test: values are handed to the sink by their .NET type.</summary>
internal sealed class TestSource : ISource
{
    readonly Dictionary<string, List<object?[]>> _rows = [];
    readonly SourceModel _model = new() { Source = "test:" };

    public string Description => "test:";

    public TableModel AddTable(string name, IEnumerable<(string Name, PgType Type)> columns, string[]? primaryKey = null, params object?[][] rows)
    {
        var table = new TableModel
        {
            SourceName = name,
            Columns = [.. columns.Select(c => new ColumnModel { SourceName = c.Name, SourceType = c.Type.ToSql(), Type = c.Type })],
            PrimaryKey = primaryKey is null ? null : new KeyModel(null, primaryKey),
            EstimatedRows = rows.Length,
        };
        _model.Tables.Add(table);
        _rows[name] = [.. rows];
        return table;
    }

    public Task<SourceModel> DiscoverAsync(CancellationToken cancellationToken) => Task.FromResult(_model);

    public IReadOnlyList<ReadRange> PlanRanges(TableModel table, int parts) => [ReadRange.All];

    public ITableReader OpenReader(PlannedTable table, ReadRange range) => new Reader(table, _rows[table.Source.SourceName]);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    sealed class Reader(PlannedTable table, List<object?[]> rows) : ITableReader
    {
        int _next;

        public long RowsRead => _next;

        public bool ReadRow(IRowSink sink)
        {
            if (_next >= rows.Count)
                return false;
            var row = rows[_next++];
            for (var i = 0; i < row.Length; i++)
                Feed(sink, i, table.Columns[i].Type, row[i]);
            return true;
        }

        public void Dispose() { }
    }

    /// <summary>A test value: PostgreSQL's infinity, or -infinity, in a date or timestamp column.</summary>
    public sealed record Infinite(bool Negative);

    /// <summary>Hands one value to a sink with the setter its .NET type calls for.</summary>
    public static void Feed(IRowSink sink, int column, PgType type, object? value)
    {
        switch (value)
        {
            case null: sink.SetNull(column); break;
            case bool b: sink.SetBoolean(column, b); break;
            case short s: sink.SetInt16(column, s); break;
            case int i: sink.SetInt32(column, i); break;
            case long l: sink.SetInt64(column, l); break;
            case float f: sink.SetFloat4(column, f); break;
            case double d: sink.SetFloat8(column, d); break;
            case decimal m: sink.SetDecimal(column, m); break;
            case string s when type.Kind == PgTypeKind.Numeric: sink.SetNumericText(column, s); break;
            case string s: sink.SetText(column, s); break;
            case byte[] bytes: sink.SetBytes(column, bytes); break;
            case DateOnly date: sink.SetDate(column, date); break;
            case TimeSpan time: sink.SetTime(column, time); break;
            case DateTimeOffset offset: sink.SetTimeTz(column, offset); break;
            case DateTime t when type.Kind == PgTypeKind.TimestampTz: sink.SetTimestampTz(column, t); break;
            case DateTime t: sink.SetTimestamp(column, t); break;
            case NpgsqlInterval interval: sink.SetInterval(column, interval); break;
            case Guid guid: sink.SetUuid(column, guid); break;
            case BitArray bits: sink.SetBits(column, bits); break;
            case Infinite infinite: sink.SetInfinity(column, infinite.Negative); break;
            case int?[] a: sink.SetArray(column, a); break;
            case long?[] a: sink.SetArray(column, a); break;
            case long[] a: sink.SetArray(column, a); break;
            case string?[] a: sink.SetArray(column, a); break;
            case decimal?[] a: sink.SetArray(column, a); break;
            case double[] a: sink.SetArray(column, a); break;
            case bool[] a: sink.SetArray(column, a); break;
            case byte[][] a: sink.SetArray(column, a); break;
            case DateTime[] a: sink.SetArray(column, a); break;
            case DateOnly[] a: sink.SetArray(column, a); break;
            case Guid[] a: sink.SetArray(column, a); break;
            default: throw new NotSupportedException($"test value of type {value.GetType()}");
        }
    }
}
