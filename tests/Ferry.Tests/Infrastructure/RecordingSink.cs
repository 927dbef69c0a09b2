using System.Collections;
using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources;
using NpgsqlTypes;

namespace Ferry.Tests.Infrastructure;

/// <summary>What a reader set for one column of one row.</summary>
public sealed record RecordedValue(string Kind, object? Value, string? Reason = null);

public sealed class RecordedRow
{
    public SortedDictionary<int, RecordedValue> Values { get; } = [];

    public List<(int Column, string Original, string Reason)> Repairs { get; } = [];

    public bool Rejected => Values.Values.Any(v => v.Kind == "reject");

    public RecordedValue this[int column] => Values[column];
}

/// <summary>
/// Records every call a reader makes, row by row, checking that each column gets exactly one, so tests can
/// assert exact typed values: as <see cref="RecordedRow"/>s (kind and value) or as plain <see cref="Rows"/>.
/// </summary>
public sealed class RecordingSink : IRowSink
{
    /// <summary>A null in <see cref="Rows"/>: an unset column stays null there.</summary>
    public static readonly object Null = new NullMarker();

    public RecordedRow Row { get; private set; } = new();

    /// <summary>The rows <see cref="ReadAll(ITableReader, int)"/> read, one value per column.</summary>
    public List<object?[]> Rows { get; } = [];

    public List<(int Column, string? Value, string Reason)> Rejects { get; } = [];

    public List<(int Column, string Original, string Reason)> Repairs { get; } = [];

    public void Next() => Row = new RecordedRow();

    /// <summary>Reads a whole range, checking that every copied column of every row is set.</summary>
    public static List<RecordedRow> ReadAll(ISource source, TableModel table, ReadRange range) => ReadAll(source, new PlannedTable(table), range);

    /// <summary>Reads a whole range of a planned table (its columns' types as planned), checking that every copied column of every row is set.</summary>
    public static List<RecordedRow> ReadAll(ISource source, PlannedTable table, ReadRange range)
    {
        var sink = new RecordingSink();
        var rows = new List<RecordedRow>();
        using var reader = source.OpenReader(table, range);
        while (reader.ReadRow(sink))
        {
            rows.Add(sink.Row);
            Assert.Equal(table.Columns.Count(c => c.GeneratedSql is null), sink.Row.Values.Count);
            sink.Next();
        }

        Assert.Equal(rows.Count, reader.RowsRead);
        return rows;
    }

    /// <summary>Reads every row of a reader with <paramref name="columns"/> columns into <see cref="Rows"/>.</summary>
    public static RecordingSink ReadAll(ITableReader reader, int columns)
    {
        var sink = new RecordingSink();
        while (reader.ReadRow(sink))
        {
            sink.Rows.Add(Plain(sink.Row, columns));
            sink.Next();
        }

        return sink;
    }

    /// <summary>A row as plain values: numeric text as "numeric:…", bits as "0101", a rejected column as "rejected".</summary>
    static object?[] Plain(RecordedRow row, int columns)
    {
        var values = new object?[columns];
        foreach (var (column, value) in row.Values)
        {
            values[column] = value.Kind switch
            {
                "null" => Null,
                "numeric-text" => "numeric:" + value.Value,
                "bits" => string.Concat(((BitArray)value.Value!).Cast<bool>().Select(b => b ? '1' : '0')),
                "reject" => "rejected",
                _ => value.Value,
            };
        }

        return values;
    }

    void Set(int column, string kind, object? value, string? reason = null)
    {
        Assert.False(Row.Values.ContainsKey(column), $"column {column} was set twice");
        Row.Values[column] = new RecordedValue(kind, value, reason);
    }

    public void SetNull(int column) => Set(column, "null", null);

    public void SetBoolean(int column, bool value) => Set(column, "bool", value);

    public void SetInt16(int column, short value) => Set(column, "int16", value);

    public void SetInt32(int column, int value) => Set(column, "int32", value);

    public void SetInt64(int column, long value) => Set(column, "int64", value);

    public void SetFloat4(int column, float value) => Set(column, "float4", value);

    public void SetFloat8(int column, double value) => Set(column, "float8", value);

    public void SetDecimal(int column, decimal value) => Set(column, "decimal", value);

    public void SetNumericText(int column, string value) => Set(column, "numeric-text", value);

    public void SetText(int column, string value) => Set(column, "text", value);

    public void SetBytes(int column, ReadOnlySpan<byte> value) => Set(column, "bytes", value.ToArray());

    public void SetDate(int column, DateOnly value) => Set(column, "date", value);

    public void SetTime(int column, TimeSpan value) => Set(column, "time", value);

    public void SetTimeTz(int column, DateTimeOffset value) => Set(column, "timetz", value);

    public void SetTimestamp(int column, DateTime value) => Set(column, "timestamp", value);

    public void SetTimestampTz(int column, DateTime utcValue) => Set(column, "timestamptz", utcValue);

    public void SetInfinity(int column, bool negative) => Set(column, "infinity", negative ? "-infinity" : "infinity");

    public void SetInterval(int column, NpgsqlInterval value) => Set(column, "interval", value);

    public void SetUuid(int column, Guid value) => Set(column, "uuid", value);

    public void SetArray<T>(int column, T[] value) => Set(column, "array", value);

    public void SetBits(int column, BitArray value) => Set(column, "bits", value);

    public void Reject(int column, string? value, string reason)
    {
        Set(column, "reject", value, reason);
        Rejects.Add((column, value, reason));
    }

    public void NoteRepair(int column, string original, string reason)
    {
        Row.Repairs.Add((column, original, reason));
        Repairs.Add((column, original, reason));
    }

    sealed class NullMarker
    {
        public override string ToString() => "NULL";
    }
}
