using System.Collections;
using System.Globalization;
using System.Text;
using Ferry.Internal;
using Ferry.Types.Numeric;

namespace Ferry.Types;

/// <summary>
/// The canonical text of a value, in C#: exactly what <c>CanonicalSql</c> makes PostgreSQL print for the same value;
/// floats in <see cref="FloatText"/>, dates and times in <see cref="Temporal.TemporalText"/>.
/// </summary>
internal static class CanonicalText
{
    public static string Boolean(bool value) => value ? "t" : "f";

    /// <summary>A numeric as PostgreSQL stores it in a column of <paramref name="scale"/> (rounded), printed without trailing zeros.</summary>
    public static string Numeric(decimal value, int? scale)
    {
        Span<char> buffer = stackalloc char[MaxDecimalChars];
        return new string(buffer[..Numeric(value, scale, buffer)]);
    }

    /// <summary>Room for any decimal's canonical text.</summary>
    public const int MaxDecimalChars = 40;

    /// <summary>A decimal rounded as numeric(p,s) stores it (half away from zero), without trailing zeros.</summary>
    public static int Numeric(decimal value, int? scale, Span<char> destination)
    {
        if (scale is { } s)
        {
            try
            {
                value = NumericRounding.ToScale(value, s);
            }
            catch (OverflowException)
            {
                // Rounded to tens of places left of the point, beyond decimal's range: done on the digits instead.
                var text = Numeric(value.ToString(CultureInfo.InvariantCulture), s);
                text.CopyTo(destination);
                return text.Length;
            }
        }

        value.TryFormat(destination, out var n, default, CultureInfo.InvariantCulture);
        if (destination[..n].Contains('.'))
        {
            while (destination[n - 1] == '0')
                n--;
            if (destination[n - 1] == '.')
                n--;
        }

        if (n == 2 && destination[0] == '-' && destination[1] == '0')
        {
            destination[0] = '0';
            n = 1;
        }

        return n;
    }

    public static string Numeric(string text, int? scale) => NumericValue.Parse(text).Round(scale).Trimmed();

    public static string Bytes(ReadOnlySpan<byte> value) => Convert.ToHexStringLower(value);

    /// <summary>geometry: <c>SRID:WKB in hex</c>, as PostGIS gives <c>ST_SRID</c> and <c>ST_AsBinary</c> of what the copy wrote (EWKB with an SRID, or WKB).</summary>
    public static string Geometry(ReadOnlySpan<byte> value)
    {
        var srid = Wkb.Srid(value, out var wkb);
        return srid.ToString(CultureInfo.InvariantCulture) + ":" + Convert.ToHexStringLower(wkb);
    }

    public static string Uuid(Guid value) => value.ToString("D");

    public static string Bits(BitArray value)
    {
        var chars = new char[value.Length];
        for (var i = 0; i < chars.Length; i++)
            chars[i] = value[i] ? '1' : '0';
        return new string(chars);
    }

    /// <summary>char(n): PostgreSQL pads to n and drops the padding again when the value becomes text.</summary>
    public static string Char(string value) => value.TrimEnd(' ');

    /// <summary>
    /// A one-dimensional array as PostgreSQL prints a <c>text[]</c> of its elements' canonical texts:
    /// <c>{1,NULL,"a b","q\"uote"}</c>.
    /// </summary>
    public static string Array(IEnumerable<string?> elements)
    {
        var sb = new StringBuilder().Append('{');
        var first = true;
        foreach (var element in elements)
        {
            if (!first)
                sb.Append(',');
            first = false;
            if (element is null)
            {
                sb.Append("NULL");
                continue;
            }

            if (!NeedsQuotes(element))
            {
                sb.Append(element);
                continue;
            }

            sb.Append('"');
            foreach (var c in element)
            {
                if (c is '"' or '\\')
                    sb.Append('\\');
                sb.Append(c);
            }

            sb.Append('"');
        }

        return sb.Append('}').ToString();
    }

    static bool NeedsQuotes(string element)
    {
        if (element.Length == 0 || element.Equals("NULL", StringComparison.OrdinalIgnoreCase))
            return true;
        foreach (var c in element)
        {
            if (c is '{' or '}' or '"' or '\\' or ',' or ' ' or '\t' or '\n' or '\r' or '\v' or '\f')
                return true;
        }

        return false;
    }
}
