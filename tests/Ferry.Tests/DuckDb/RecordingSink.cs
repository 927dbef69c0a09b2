using System.Collections;
using Ferry.Copy;
using NpgsqlTypes;

namespace Ferry.Tests.DuckDb;

/// <summary>Records what a reader hands the sink, row by row, so tests can assert exact typed values.</summary>
internal sealed class RecordingSink : IRowSink
{
    public static readonly object Null = new NullMarker();

    object?[] _row = [];

    public List<object?[]> Rows { get; } = [];

    public List<(int Column, string? Value, string Reason)> Rejects { get; } = [];

    public List<(int Column, string Original, string Reason)> Repairs { get; } = [];

    /// <summary>Reads every row of a reader with <paramref name="columns"/> columns.</summary>
    public static RecordingSink ReadAll(Ferry.Sources.ITableReader reader, int columns)
    {
        var sink = new RecordingSink();
        while (true)
        {
            sink._row = new object?[columns];
            if (!reader.ReadRow(sink))
                break;
            sink.Rows.Add(sink._row);
        }

        return sink;
    }

    public void SetNull(int column) => _row[column] = Null;

    public void SetBoolean(int column, bool value) => _row[column] = value;

    public void SetInt16(int column, short value) => _row[column] = value;

    public void SetInt32(int column, int value) => _row[column] = value;

    public void SetInt64(int column, long value) => _row[column] = value;

    public void SetFloat4(int column, float value) => _row[column] = value;

    public void SetFloat8(int column, double value) => _row[column] = value;

    public void SetDecimal(int column, decimal value) => _row[column] = value;

    public void SetNumericText(int column, string value) => _row[column] = "numeric:" + value;

    public void SetText(int column, string value) => _row[column] = value;

    public void SetBytes(int column, ReadOnlySpan<byte> value) => _row[column] = value.ToArray();

    public void SetDate(int column, DateOnly value) => _row[column] = value;

    public void SetTime(int column, TimeSpan value) => _row[column] = value;

    public void SetTimeTz(int column, DateTimeOffset value) => _row[column] = value;

    public void SetTimestamp(int column, DateTime value) => _row[column] = value;

    public void SetTimestampTz(int column, DateTime utcValue) => _row[column] = utcValue;

    public void SetInfinity(int column, bool negative) => _row[column] = negative ? "-infinity" : "infinity";

    public void SetInterval(int column, NpgsqlInterval value) => _row[column] = value;

    public void SetUuid(int column, Guid value) => _row[column] = value;

    public void SetArray<T>(int column, T[] value) => _row[column] = value;

    public void SetBits(int column, BitArray value) => _row[column] = string.Concat(value.Cast<bool>().Select(b => b ? '1' : '0'));

    public void Reject(int column, string? value, string reason)
    {
        _row[column] = "rejected";
        Rejects.Add((column, value, reason));
    }

    public void NoteRepair(int column, string original, string reason) => Repairs.Add((column, original, reason));

    sealed class NullMarker
    {
        public override string ToString() => "NULL";
    }
}
