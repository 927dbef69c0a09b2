using System.Collections;
using Ferry.Copy;
using Ferry.Schema;
using Npgsql;
using NpgsqlTypes;

namespace Ferry.Tests.Verify;

/// <summary>Turns a source row into Npgsql parameters, to load a test target the way a copy would.</summary>
internal sealed class ParameterSink(TableModel table) : IRowSink
{
    readonly NpgsqlParameter[] _parameters = new NpgsqlParameter[table.Columns.Count];

    public NpgsqlParameter[] Take()
    {
        var taken = _parameters.ToArray();
        Array.Clear(_parameters);
        return taken;
    }

    void Set(int column, object value, NpgsqlDbType? type = null)
    {
        var parameter = new NpgsqlParameter { Value = value };
        if (type is { } t)
            parameter.NpgsqlDbType = t;
        _parameters[column] = parameter;
    }

    public void SetNull(int column) => Set(column, DBNull.Value, NpgsqlDbType.Text);

    public void SetBoolean(int column, bool value) => Set(column, value);

    public void SetInt16(int column, short value) => Set(column, value);

    public void SetInt32(int column, int value) => Set(column, value);

    public void SetInt64(int column, long value) => Set(column, value);

    public void SetFloat4(int column, float value) => Set(column, value);

    public void SetFloat8(int column, double value) => Set(column, value);

    public void SetDecimal(int column, decimal value) => Set(column, value);

    public void SetNumericText(int column, string value) => Set(column, value);

    public void SetText(int column, string value) => Set(column, value);

    public void SetBytes(int column, ReadOnlySpan<byte> value) => Set(column, value.ToArray());

    public void SetDate(int column, DateOnly value) => Set(column, value);

    public void SetTime(int column, TimeSpan value) => Set(column, value, NpgsqlDbType.Time);

    public void SetTimeTz(int column, DateTimeOffset value) => Set(column, value, NpgsqlDbType.TimeTz);

    public void SetTimestamp(int column, DateTime value) => Set(column, value, NpgsqlDbType.Timestamp);

    public void SetTimestampTz(int column, DateTime utcValue) => Set(column, utcValue, NpgsqlDbType.TimestampTz);

    public void SetInterval(int column, NpgsqlInterval value) => Set(column, value);

    public void SetUuid(int column, Guid value) => Set(column, value);

    public void SetArray<T>(int column, T[] value) => Set(column, value);

    public void SetBits(int column, BitArray value) => Set(column, value);

    public void Reject(int column, string? value, string reason) => throw new InvalidOperationException(reason);

    public void NoteRepair(int column, string original, string reason) { }
}
