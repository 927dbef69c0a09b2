using Ferry.Copy;

namespace Ferry.Sources.Sqlite;

/// <summary>bigint: integers as they are, whole REALs within 64 bits, integer text.</summary>
internal sealed class SqliteInt64Reader : SqliteValueReader
{
    protected override string What => "an integer";

    protected override void Integer(long value, int column, IRowSink sink) => sink.SetInt64(column, value);

    protected override void Real(double value, int column, IRowSink sink)
    {
        // 2^63 is exactly representable; anything below it that is whole fits a long.
        if (double.IsInteger(value) && value >= -9.2233720368547758E18 && value < 9.2233720368547758E18)
            sink.SetInt64(column, (long)value);
        else
            RejectReal(value, column, sink, What);
    }

    protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink)
    {
        if (TryParseInteger(value, out var v))
            sink.SetInt64(column, v);
        else
            RejectText(value, column, sink, What);
    }
}

/// <summary>Integers narrower than SQLite's 64 bits: range-checked.</summary>
internal abstract class SqliteNarrowIntegerReader(long min, long max, string typeName) : SqliteValueReader
{
    protected override string What => "an integer";

    protected abstract void Set(int column, long value, IRowSink sink);

    protected override void Integer(long value, int column, IRowSink sink)
    {
        if (value < min || value > max)
            sink.Reject(column, value.ToString(Invariant), $"integer {value.ToString(Invariant)} is out of range for {typeName}");
        else
            Set(column, value, sink);
    }

    protected override void Real(double value, int column, IRowSink sink)
    {
        if (double.IsInteger(value) && value >= min && value <= max)
            Set(column, (long)value, sink);
        else
            RejectReal(value, column, sink, $"{What} within {typeName}");
    }

    protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink)
    {
        if (TryParseInteger(value, out var v))
            Integer(v, column, sink);
        else
            RejectText(value, column, sink, What);
    }
}

/// <summary>integer.</summary>
internal sealed class SqliteInt32Reader() : SqliteNarrowIntegerReader(int.MinValue, int.MaxValue, "integer")
{
    protected override void Set(int column, long value, IRowSink sink) => sink.SetInt32(column, (int)value);
}

/// <summary>smallint.</summary>
internal sealed class SqliteInt16Reader() : SqliteNarrowIntegerReader(short.MinValue, short.MaxValue, "smallint")
{
    protected override void Set(int column, long value, IRowSink sink) => sink.SetInt16(column, (short)value);
}
