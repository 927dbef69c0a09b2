using System.Text;

namespace Ferry.Types.Numeric;

/// <summary>
/// A PostgreSQL numeric as digits and a display scale, parsed the way <c>numeric_in</c> does
/// (<c>1.50</c> keeps scale 2, <c>1.5e-3</c> is 0.0015, <c>1e2</c> is 100), printed the way <c>numeric_out</c> does.
/// </summary>
internal readonly record struct NumericValue(bool Negative, string Digits, int Scale, string? Special)
{
    /// <summary>Parses decimal text with an optional sign, point and exponent; NaN and ±Infinity as PostgreSQL spells them.</summary>
    public static NumericValue Parse(string text)
    {
        var t = text.Trim();
        if (t.Equals("NaN", StringComparison.OrdinalIgnoreCase))
            return new(false, "0", 0, "NaN");
        if (t.Equals("Infinity", StringComparison.OrdinalIgnoreCase) || t.Equals("+Infinity", StringComparison.OrdinalIgnoreCase) || t.Equals("inf", StringComparison.OrdinalIgnoreCase))
            return new(false, "0", 0, "Infinity");
        if (t.Equals("-Infinity", StringComparison.OrdinalIgnoreCase) || t.Equals("-inf", StringComparison.OrdinalIgnoreCase))
            return new(false, "0", 0, "-Infinity");

        var i = 0;
        var negative = false;
        if (i < t.Length && t[i] is '+' or '-')
            negative = t[i++] == '-';
        var digits = new StringBuilder(t.Length);
        var fraction = 0;
        var seenPoint = false;
        for (; i < t.Length; i++)
        {
            var c = t[i];
            if (c is >= '0' and <= '9')
            {
                digits.Append(c);
                if (seenPoint)
                    fraction++;
            }
            else if (c == '.' && !seenPoint)
            {
                seenPoint = true;
            }
            else
            {
                break;
            }
        }

        var exponent = 0;
        if (i < t.Length && t[i] is 'e' or 'E')
            exponent = int.Parse(t.AsSpan(i + 1), System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture);
        else if (i < t.Length || digits.Length == 0)
            throw new FormatException($"'{text}' is not a number.");

        var scale = fraction - exponent;
        if (scale < 0)
        {
            digits.Append('0', -scale);
            scale = 0;
        }

        return new NumericValue(negative, StripLeadingZeros(digits.ToString()), scale, null).Normalized();
    }

    /// <summary>
    /// Rounded half away from zero to <paramref name="scale"/> digits after the point, as a numeric(p,s) column stores
    /// it; a negative scale rounds to tens, hundreds, … (numeric(5,-2)).
    /// </summary>
    public NumericValue Round(int? scale)
    {
        if (Special is not null || scale is not { } s || s >= Scale)
            return this;
        var drop = Scale - s;
        var padded = Digits.PadLeft(drop + 1, '0');
        var kept = padded[..^drop].ToCharArray();
        if (padded[^drop] >= '5')
        {
            var k = kept.Length - 1;
            while (k >= 0 && kept[k] == '9')
                kept[k--] = '0';
            if (k >= 0)
                kept[k]++;
            else
                kept = ['1', .. kept];
        }

        var digits = StripLeadingZeros(new string(kept));
        if (s < 0 && digits != "0")
            digits += new string('0', -s);
        return new NumericValue(Negative, digits, Math.Max(s, 0), null).Normalized();
    }

    /// <summary>numeric_out with trailing fractional zeros removed (<c>trim_scale</c>).</summary>
    public string Trimmed()
    {
        if (Special is not null)
            return Special;
        if (Digits == "0")
            return "0";
        var scale = Scale;
        var digits = Digits;
        while (scale > 0 && digits[^1] == '0')
        {
            digits = digits[..^1];
            scale--;
        }

        return new NumericValue(Negative, digits, scale, null).ToString();
    }

    /// <summary>numeric_out: all <see cref="Scale"/> digits after the point, no sign for zero.</summary>
    public override string ToString()
    {
        if (Special is not null)
            return Special;
        var padded = Digits.PadLeft(Scale + 1, '0');
        var sb = new StringBuilder(padded.Length + 2);
        if (Negative)
            sb.Append('-');
        sb.Append(padded, 0, padded.Length - Scale);
        if (Scale > 0)
            sb.Append('.').Append(padded, padded.Length - Scale, Scale);
        return sb.ToString();
    }

    NumericValue Normalized() => Digits.All(c => c == '0') ? this with { Negative = false, Digits = "0" } : this;

    static string StripLeadingZeros(string digits)
    {
        var stripped = digits.TrimStart('0');
        return stripped.Length == 0 ? "0" : stripped;
    }
}
