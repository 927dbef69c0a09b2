using Ferry.Copy;

namespace Ferry.Sources.Sqlite;

/// <summary>boolean: 0 and 1 as integers or REALs, and the usual spellings as text.</summary>
internal sealed class SqliteBooleanReader : SqliteValueReader
{
    protected override string What => "a boolean (0/1, true/false, t/f, yes/no, on/off)";

    protected override void Integer(long value, int column, IRowSink sink)
    {
        if (value is 0 or 1)
            sink.SetBoolean(column, value == 1);
        else
            RejectInteger(value, column, sink, What);
    }

    protected override void Real(double value, int column, IRowSink sink)
    {
        if (value is 0.0 or 1.0)
            sink.SetBoolean(column, value == 1.0);
        else
            RejectReal(value, column, sink, What);
    }

    protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink)
    {
        if (TryParseBoolean(value, out var b))
            sink.SetBoolean(column, b);
        else
            RejectText(value, column, sink, What);
    }

    internal static bool TryParseBoolean(ReadOnlySpan<byte> value, out bool result)
    {
        Span<byte> lower = stackalloc byte[5];
        var s = value.Trim((byte)' ');
        result = false;
        if (s.Length is 0 or > 5)
            return false;
        for (var i = 0; i < s.Length; i++)
            lower[i] = s[i] is >= (byte)'A' and <= (byte)'Z' ? (byte)(s[i] + 32) : s[i];
        var l = lower[..s.Length];
        if (l.SequenceEqual("1"u8) || l.SequenceEqual("t"u8) || l.SequenceEqual("true"u8) || l.SequenceEqual("y"u8) || l.SequenceEqual("yes"u8) || l.SequenceEqual("on"u8))
        {
            result = true;
            return true;
        }

        return l.SequenceEqual("0"u8) || l.SequenceEqual("f"u8) || l.SequenceEqual("false"u8) || l.SequenceEqual("n"u8) || l.SequenceEqual("no"u8) || l.SequenceEqual("off"u8);
    }
}
