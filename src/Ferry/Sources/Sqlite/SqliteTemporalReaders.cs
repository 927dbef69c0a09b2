using System.Text;
using Ferry.Copy;

namespace Ferry.Sources.Sqlite;

/// <summary>The date and time readers share how each storage class becomes an instant.</summary>
internal abstract class SqliteTemporalReader : SqliteValueReader
{
    /// <summary>Sets the value, or returns why it cannot be set (the caller rejects it, naming the value).</summary>
    protected abstract string? Set(DateTime value, TimeSpan? offset, int column, IRowSink sink);

    protected override void Integer(long value, int column, IRowSink sink)
    {
        if (!SqliteTemporal.TryFromEpoch(value, out var dt))
            RejectInteger(value, column, sink, $"{What} (as Unix epoch it is out of range)");
        else if (Set(dt, TimeSpan.Zero, column, sink) is { } problem)
            sink.Reject(column, value.ToString(Invariant), $"integer {value.ToString(Invariant)} (Unix epoch) {problem}");
    }

    protected override void Real(double value, int column, IRowSink sink)
    {
        if (!SqliteTemporal.TryFromJulianDay(value, out var dt))
            RejectReal(value, column, sink, $"{What} (as a julian day it is out of range)");
        else if (Set(dt, TimeSpan.Zero, column, sink) is { } problem)
            sink.Reject(column, RealText(value), $"real {RealText(value)} (julian day) {problem}");
    }

    protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink)
    {
        if (!SqliteTemporal.TryParseDateTime(value, out var dt, out var offset))
        {
            RejectText(value, column, sink, What);
        }
        else if (Set(dt, offset, column, sink) is { } problem)
        {
            var text = Encoding.UTF8.GetString(value);
            sink.Reject(column, text, $"text '{Preview(text)}' {problem}");
        }
    }
}

/// <summary>date: a value with a time of day is rejected rather than cut.</summary>
internal sealed class SqliteDateReader : SqliteTemporalReader
{
    protected override string What => "a date";

    protected override string? Set(DateTime value, TimeSpan? offset, int column, IRowSink sink)
    {
        if (value.TimeOfDay != TimeSpan.Zero)
            return "has a time of day; a date column would drop it";
        sink.SetDate(column, DateOnly.FromDateTime(value));
        return null;
    }
}

/// <summary>
/// timestamp: text as written; a zone in the text ('Z', '+02:00') is converted to UTC. timestamptz: the
/// instant in UTC; text without a zone is UTC, as SQLite's own date functions treat it.
/// </summary>
internal sealed class SqliteTimestampReader(bool utc) : SqliteTemporalReader
{
    protected override string What => "a timestamp";

    protected override string? Set(DateTime value, TimeSpan? offset, int column, IRowSink sink)
    {
        if (offset is { } o && o != TimeSpan.Zero)
        {
            var ticks = value.Ticks - o.Ticks;
            if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks)
                return "is out of range in UTC";
            value = new DateTime(ticks);
        }

        if (utc)
            sink.SetTimestampTz(column, DateTime.SpecifyKind(value, DateTimeKind.Utc));
        else
            sink.SetTimestamp(column, DateTime.SpecifyKind(value, DateTimeKind.Unspecified));
        return null;
    }
}

/// <summary>time: text only.</summary>
internal sealed class SqliteTimeReader : SqliteValueReader
{
    protected override string What => "a time of day (HH:MM[:SS[.fff]])";

    protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink)
    {
        if (SqliteTemporal.TryParseTime(value, out var t))
            sink.SetTime(column, t);
        else
            RejectText(value, column, sink, What);
    }
}
