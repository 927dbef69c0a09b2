using System.Globalization;
using System.Text;
using Ferry.Copy;
using Ferry.Schema;

namespace Ferry.Sources.Sqlite;

/// <summary>double precision: integers and REALs as numbers, numeric text parsed.</summary>
internal sealed class SqliteFloat8Reader : SqliteValueReader
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

/// <summary>real: as double precision, narrowed to single precision.</summary>
internal sealed class SqliteFloat4Reader : SqliteValueReader
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
internal sealed class SqliteNumericReader : SqliteValueReader
{
    readonly int? _scale;
    readonly decimal? _limit;
    readonly string _typeName;

    public SqliteNumericReader(PgType type)
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
}
