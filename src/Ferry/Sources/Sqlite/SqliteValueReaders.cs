using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Ferry.Copy;
using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// Converts one column's values, whatever their SQLite storage class, to the column's PostgreSQL type
/// through the sink's typed setters. One instance per column, chosen by target type before the first row;
/// each value dispatches on its storage class only. Values that do not convert are rejected with a reason
/// naming the storage class and the value.
/// </summary>
internal abstract class SqliteValueReader
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>What a value must be, for reject reasons: "an integer", "a date".</summary>
    protected abstract string What { get; }

    /// <summary>PostgreSQL's limits on one value: a longer TEXT or BLOB is rejected before anything is made of it.</summary>
    ValueLimits _limits = ValueLimits.PostgreSql;

    /// <summary>
    /// Converts one value (<see cref="SqliteColumnAccess.Value"/> and its storage class) into <paramref name="sink"/>'s
    /// column <paramref name="column"/>.
    /// </summary>
    public void Read(nint value, int storage, int column, IRowSink sink)
    {
        switch (storage)
        {
            case SqliteColumnAccess.Null:
                sink.SetNull(column);
                break;
            case SqliteColumnAccess.Integer:
                Integer(SqliteColumnAccess.Int64(value), column, sink);
                break;
            case SqliteColumnAccess.Float:
                Real(SqliteColumnAccess.Double(value), column, sink);
                break;
            case SqliteColumnAccess.Text:
                var text = SqliteColumnAccess.TextBytes(value);
                if (text.Length > _limits.FieldBytes)
                    sink.Reject(column, ValueLimits.Preview(text), _limits.Field(text.Length, "text")!);
                else
                    Text(text, column, sink);
                break;
            default:
                var blob = SqliteColumnAccess.BlobBytes(value);
                if (blob.Length > _limits.FieldBytes)
                    sink.Reject(column, ValueLimits.Preview(blob, binary: true), _limits.Field(blob.Length, "a blob")!);
                else
                    Blob(blob, column, sink);
                break;
        }
    }

    protected virtual void Integer(long value, int column, IRowSink sink) => RejectInteger(value, column, sink, What);

    protected virtual void Real(double value, int column, IRowSink sink) => RejectReal(value, column, sink, What);

    protected virtual void Text(ReadOnlySpan<byte> value, int column, IRowSink sink) => RejectText(value, column, sink, What);

    protected virtual void Blob(ReadOnlySpan<byte> value, int column, IRowSink sink) =>
        sink.Reject(column, Hex(value), $"blob of {value.Length} bytes is not {What}");

    protected static void RejectInteger(long value, int column, IRowSink sink, string what)
    {
        var text = value.ToString(Invariant);
        sink.Reject(column, text, $"integer {text} is not {what}");
    }

    protected static void RejectReal(double value, int column, IRowSink sink, string what)
    {
        var text = RealText(value);
        sink.Reject(column, text, $"real {text} is not {what}");
    }

    protected static void RejectText(ReadOnlySpan<byte> value, int column, IRowSink sink, string what)
    {
        var text = Encoding.UTF8.GetString(value);
        sink.Reject(column, text, $"text '{Preview(text)}' is not {what}");
    }

    protected static string Preview(string text) => text.Length <= 60 ? text : text[..57] + "...";

    /// <summary>A REAL as SQLite prints it: shortest round-trip digits, with ".0" on whole numbers.</summary>
    internal static string RealText(double value)
    {
        var text = value.ToString("R", Invariant);
        return double.IsFinite(value) && text.AsSpan().IndexOfAny('.', 'E') < 0 ? text + ".0" : text;
    }

    internal static string Hex(ReadOnlySpan<byte> value) => "\\x" + Convert.ToHexStringLower(value);

    static bool IsBlank(ReadOnlySpan<byte> s) => s.Trim((byte)' ').IsEmpty;

    /// <summary>The reader for a column's target type.</summary>
    public static SqliteValueReader For(ColumnModel column, SqliteTextDecoder text, string table) =>
        TryFor(column.Type, text) ?? throw new FerryException(CannotRead(column, table));

    /// <summary>Why no reader produces the column's type (a --cast to one SQLite's values do not convert to).</summary>
    public static string CannotRead(ColumnModel column, string table) =>
        $"Column {table}.{column.SourceName}: SQLite values cannot be read as {column.Type.ToSql()}. Choose another type for it (bigint, double precision, numeric, boolean, text, bytea, date, timestamp, timestamptz, time, uuid, jsonb).";

    /// <summary>The reader for a target type (with the decoder's limits); null when there is none.</summary>
    public static SqliteValueReader? TryFor(PgType type, SqliteTextDecoder text) => Limited(type.Kind switch
    {
        PgTypeKind.BigInt => new Int64Reader(),
        PgTypeKind.Integer => new Int32Reader(),
        PgTypeKind.SmallInt => new Int16Reader(),
        PgTypeKind.DoublePrecision => new Float8Reader(),
        PgTypeKind.Real => new Float4Reader(),
        PgTypeKind.Numeric => new NumericReader(type),
        PgTypeKind.Boolean => new BooleanReader(),
        PgTypeKind.Text or PgTypeKind.Enum => new TextReader(text, null, null),
        PgTypeKind.Varchar or PgTypeKind.Char => new TextReader(text, type.Length, type.ToSql()),
        PgTypeKind.Json or PgTypeKind.Jsonb => new JsonReader(text, type.Kind == PgTypeKind.Jsonb),
        PgTypeKind.Bytea => new BytesReader(),
        PgTypeKind.Date => new DateReader(),
        PgTypeKind.Timestamp => new TimestampReader(utc: false),
        PgTypeKind.TimestampTz => new TimestampReader(utc: true),
        PgTypeKind.Time => new TimeReader(),
        PgTypeKind.Uuid => new UuidReader(),
        _ => null,
    }, text.Limits);

    static SqliteValueReader? Limited(SqliteValueReader? reader, ValueLimits limits)
    {
        reader?._limits = limits;
        return reader;
    }

    sealed class Int64Reader : SqliteValueReader
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
    abstract class NarrowIntegerReader(long min, long max, string typeName) : SqliteValueReader
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

    sealed class Int32Reader() : NarrowIntegerReader(int.MinValue, int.MaxValue, "integer")
    {
        protected override void Set(int column, long value, IRowSink sink) => sink.SetInt32(column, (int)value);
    }

    sealed class Int16Reader() : NarrowIntegerReader(short.MinValue, short.MaxValue, "smallint")
    {
        protected override void Set(int column, long value, IRowSink sink) => sink.SetInt16(column, (short)value);
    }

    internal static bool TryParseInteger(ReadOnlySpan<byte> value, out long result) =>
        long.TryParse(value.Trim((byte)' '), NumberStyles.AllowLeadingSign, Invariant, out result);

    sealed class Float8Reader : SqliteValueReader
    {
        protected override string What => "a number";

        protected override void Integer(long value, int column, IRowSink sink) => sink.SetFloat8(column, value);

        protected override void Real(double value, int column, IRowSink sink) => sink.SetFloat8(column, value);

        protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink)
        {
            if (!IsBlank(value) && double.TryParse(value, NumberStyles.Float, Invariant, out var v))
                sink.SetFloat8(column, v);
            else
                RejectText(value, column, sink, What);
        }
    }

    sealed class Float4Reader : SqliteValueReader
    {
        protected override string What => "a number";

        protected override void Integer(long value, int column, IRowSink sink) => sink.SetFloat4(column, value);

        protected override void Real(double value, int column, IRowSink sink) => sink.SetFloat4(column, (float)value);

        protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink)
        {
            if (!IsBlank(value) && float.TryParse(value, NumberStyles.Float, Invariant, out var v))
                sink.SetFloat4(column, v);
            else
                RejectText(value, column, sink, What);
        }
    }

    /// <summary>
    /// numeric, exactly: integers as they are, text as written ('12.30' stays 12.30), REALs through their
    /// shortest round-trip text (0.1 is 0.1, not 0.1000000000000000055…). Values beyond decimal's 28 digits
    /// go as numeric text. For numeric(p,s), values that would overflow p are rejected here rather than
    /// failing the COPY.
    /// </summary>
    sealed class NumericReader : SqliteValueReader
    {
        readonly int? _scale;
        readonly decimal? _limit;
        readonly string _typeName;

        public NumericReader(PgType type)
        {
            _typeName = type.ToSql();
            _scale = type.Precision is null ? null : type.Scale ?? 0;
            var integerDigits = type.Precision - (type.Scale ?? 0);
            _limit = integerDigits is { } d and >= -28 and <= 28 ? Ferry.Internal.NumericRounding.Pow10(d) : null;
        }

        static readonly double[] Powers = Enumerable.Range(0, 16).Select(n => Math.Pow(10, n)).ToArray();

        protected override string What => "a number";

        protected override void Integer(long value, int column, IRowSink sink) => Set(value, column, sink, null);

        protected override void Real(double value, int column, IRowSink sink)
        {
            if (!double.IsFinite(value))
            {
                RejectReal(value, column, sink, What);
                return;
            }

            // Fast path: at most 15 significant digits that fit the column's scale are exactly the shortest
            // round-trip text (doubles keep 15 digits), so scale by 10^s instead of formatting and parsing.
            if (_scale is { } s and >= 0 and <= 15 && Math.Abs(value) < 1e15)
            {
                var power = Powers[s];
                var scaled = Math.Round(value * power);
                if (Math.Abs(scaled) < 1e15 && scaled / power == value)
                {
                    var units = (long)Math.Abs(scaled);
                    Set(new decimal((int)(units & 0xFFFF_FFFF), (int)(units >> 32), 0, scaled < 0, (byte)s), column, sink, null);
                    return;
                }
            }

            Span<char> buffer = stackalloc char[32];
            value.TryFormat(buffer, out var written, "R", Invariant);
            var text = buffer[..written];
            if (text.IndexOfAny('E', 'e') < 0 && decimal.TryParse(text, NumberStyles.Float, Invariant, out var d))
                Set(d, column, sink, null);
            else
                SetText(ExpandExponent(text.ToString()), column, sink);
        }

        protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink)
        {
            var trimmed = value.Trim((byte)' ');
            if (!IsNumericLiteral(trimmed, out var digits, out var hasExponent))
            {
                RejectText(value, column, sink, What);
                return;
            }

            if (!hasExponent && digits <= 28 && decimal.TryParse(trimmed, NumberStyles.Float, Invariant, out var d))
                Set(d, column, sink, null);
            else
                SetText(Encoding.UTF8.GetString(trimmed), column, sink);
        }

        void Set(decimal value, int column, IRowSink sink, string? original)
        {
            if (_limit is { } limit && _scale is { } scale)
            {
                // PostgreSQL rounds half away from zero to the scale, then refuses what overflows the precision.
                if (Ferry.Internal.NumericRounding.Overflows(value, scale, limit))
                {
                    var text = original ?? value.ToString(Invariant);
                    sink.Reject(column, text, $"number {text} does not fit {_typeName}");
                    return;
                }
            }

            sink.SetDecimal(column, value);
        }

        void SetText(string value, int column, IRowSink sink)
        {
            if (_limit is not null)
            {
                // Beyond decimal, and the column has at most 28 integer digits: it overflows unless it is tiny.
                if (decimal.TryParse(value, NumberStyles.Float, Invariant, out var d))
                {
                    Set(d, column, sink, value);
                    return;
                }

                sink.Reject(column, value, $"number {value} does not fit {_typeName}");
                return;
            }

            sink.SetNumericText(column, value);
        }
    }

    /// <summary>[+-]digits[.digits][e[+-]digits], counting the significant digits.</summary>
    internal static bool IsNumericLiteral(ReadOnlySpan<byte> s, out int digits, out bool hasExponent)
    {
        digits = 0;
        hasExponent = false;
        var i = 0;
        if (i < s.Length && s[i] is (byte)'+' or (byte)'-')
            i++;
        var mantissaDigits = 0;
        var leading = true;
        var dot = false;
        for (; i < s.Length; i++)
        {
            var c = s[i];
            if (c is >= (byte)'0' and <= (byte)'9')
            {
                mantissaDigits++;
                if (c != '0' || !leading)
                {
                    leading = false;
                    digits++;
                }
            }
            else if (c == '.' && !dot)
            {
                dot = true;
            }
            else
            {
                break;
            }
        }

        if (mantissaDigits == 0)
            return false;
        if (i < s.Length && s[i] is (byte)'e' or (byte)'E')
        {
            hasExponent = true;
            i++;
            if (i < s.Length && s[i] is (byte)'+' or (byte)'-')
                i++;
            var start = i;
            while (i < s.Length && s[i] is >= (byte)'0' and <= (byte)'9')
                i++;
            if (i == start)
                return false;
        }

        return i == s.Length;
    }

    /// <summary>"1E+30" → "1000000000000000000000000000000", "-1.5E-7" → "-0.00000015": exact decimal text.</summary>
    internal static string ExpandExponent(string text)
    {
        var e = text.IndexOfAny(['E', 'e']);
        if (e < 0)
            return text;
        var exponent = int.Parse(text.AsSpan(e + 1), NumberStyles.AllowLeadingSign, Invariant);
        var mantissa = text[..e];
        var negative = mantissa.StartsWith('-');
        mantissa = mantissa.TrimStart('-', '+');
        var dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        var digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        var point = (dot < 0 ? mantissa.Length : dot) + exponent;
        string result;
        if (point <= 0)
            result = "0." + new string('0', -point) + digits;
        else if (point >= digits.Length)
            result = digits + new string('0', point - digits.Length);
        else
            result = digits[..point] + "." + digits[point..];
        return (negative ? "-" : "") + result;
    }

    sealed class BooleanReader : SqliteValueReader
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

    /// <summary>text, varchar(n), char(n): numbers as SQLite renders them, blobs decoded like TEXT.</summary>
    sealed class TextReader(SqliteTextDecoder decoder, int? maxLength, string? typeName) : SqliteValueReader
    {
        protected override string What => "text";

        protected override void Integer(long value, int column, IRowSink sink) => Set(value.ToString(Invariant), column, sink);

        protected override void Real(double value, int column, IRowSink sink) => Set(RealText(value), column, sink);

        protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink)
        {
            // Valid UTF-8 that cannot exceed the length limit goes on as bytes: no string on the way.
            if ((maxLength is not { } n || value.Length <= n) && Utf8.IsValid(value))
                sink.SetTextUtf8(column, value);
            else if (decoder.TryDecode(value, column, sink, out var text))
                Set(text, column, sink);
        }

        protected override void Blob(ReadOnlySpan<byte> value, int column, IRowSink sink) => Text(value, column, sink);

        void Set(string value, int column, IRowSink sink)
        {
            if (maxLength is { } n && value.Length > n && CodePoints(value) > n)
                sink.Reject(column, value, $"text of {CodePoints(value)} characters is longer than {typeName}");
            else
                sink.SetText(column, value);
        }
    }

    /// <summary>PostgreSQL counts varchar(n) in characters (code points), not UTF-16 units.</summary>
    static int CodePoints(string value)
    {
        var count = 0;
        foreach (var c in value)
        {
            if (!char.IsLowSurrogate(c))
                count++;
        }

        return count;
    }

    sealed class JsonReader(SqliteTextDecoder decoder, bool jsonb) : SqliteValueReader
    {
        protected override string What => "valid JSON";

        protected override void Integer(long value, int column, IRowSink sink) => sink.SetText(column, value.ToString(Invariant));

        protected override void Real(double value, int column, IRowSink sink)
        {
            if (double.IsFinite(value))
                sink.SetText(column, RealText(value));
            else
                RejectReal(value, column, sink, What);
        }

        protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink)
        {
            if (!Ferry.Internal.JsonText.IsValid(value))
            {
                RejectText(value, column, sink, What);
                return;
            }

            if (jsonb && _limits.JsonbText(value) is { } tooLarge)
                sink.Reject(column, ValueLimits.Preview(value), tooLarge);
            else if (decoder.TryDecode(value, column, sink, out var text))
                sink.SetText(column, text);
        }
    }

    /// <summary>bytea: blobs as they are; TEXT and numbers as their bytes, as SQLite's CAST(x AS BLOB) gives them.</summary>
    sealed class BytesReader : SqliteValueReader
    {
        protected override string What => "bytes";

        protected override void Integer(long value, int column, IRowSink sink)
        {
            Span<byte> buffer = stackalloc byte[24];
            Utf8Formatter.TryFormat(value, buffer, out var written);
            sink.SetBytes(column, buffer[..written]);
        }

        protected override void Real(double value, int column, IRowSink sink) => sink.SetBytes(column, Encoding.UTF8.GetBytes(RealText(value)));

        protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink) => sink.SetBytes(column, value);

        protected override void Blob(ReadOnlySpan<byte> value, int column, IRowSink sink) => sink.SetBytes(column, value);
    }

    /// <summary>The date and time readers share how each storage class becomes an instant.</summary>
    abstract class TemporalReader : SqliteValueReader
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

    sealed class DateReader : TemporalReader
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
    sealed class TimestampReader(bool utc) : TemporalReader
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

    sealed class TimeReader : SqliteValueReader
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

    /// <summary>uuid: text in any of the usual spellings, or a 16-byte blob in RFC 4122 byte order.</summary>
    sealed class UuidReader : SqliteValueReader
    {
        protected override string What => "a UUID";

        protected override void Text(ReadOnlySpan<byte> value, int column, IRowSink sink)
        {
            Span<char> chars = stackalloc char[40];
            var trimmed = value.Trim((byte)' ');
            if (trimmed.Length <= chars.Length && Utf8.ToUtf16(trimmed, chars, out _, out var written) == System.Buffers.OperationStatus.Done
                && Guid.TryParse(chars[..written], out var g))
                sink.SetUuid(column, g);
            else
                RejectText(value, column, sink, What);
        }

        protected override void Blob(ReadOnlySpan<byte> value, int column, IRowSink sink)
        {
            if (value.Length == 16)
                sink.SetUuid(column, new Guid(value, bigEndian: true));
            else
                base.Blob(value, column, sink);
        }
    }
}
