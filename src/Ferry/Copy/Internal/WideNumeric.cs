using System.Globalization;

namespace Ferry.Copy.Internal;

/// <summary>
/// An exact numeric beyond System.Decimal (DuckDB DECIMAL(38,10), HUGEINT, UHUGEINT) as its decimal text,
/// written to PostgreSQL in numeric's binary form (base-10000 digit groups) without going through a
/// floating or 28-digit type.
/// </summary>
internal readonly record struct WideNumeric
{
    WideNumeric(short[] groups, short weight, bool negative, short scale)
    {
        Groups = groups;
        Weight = weight;
        Negative = negative;
        Scale = scale;
    }

    /// <summary>Base-10000 digits, most significant first, without leading or trailing zero groups.</summary>
    public short[] Groups { get; }

    /// <summary>Power of 10000 of the first group.</summary>
    public short Weight { get; }

    public bool Negative { get; }

    /// <summary>Decimal digits after the point (numeric's dscale).</summary>
    public short Scale { get; }

    public int IntegerDigits { get; init; }

    /// <summary>The value as it was given (for reject logs).</summary>
    public string Text { get; init; } = "";

    public override string ToString() => Text;

    /// <summary>Parses <c>[-+]digits[.digits]</c>; false for anything else (exponents, NaN, empty).</summary>
    public static bool TryParse(string text, out WideNumeric value)
    {
        value = default;
        var s = text.AsSpan().Trim();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        // An exponent moves the point, as numeric_in does (1.5e-3 is 0.0015, scale 4); PostgreSQL's own limits
        // (131,072 digits before the point, 16,383 after) bound how far.
        var exponent = 0;
        var e = s.IndexOfAny('e', 'E');
        if (e >= 0)
        {
            if (!int.TryParse(s[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent) || exponent is > 131_072 or < -16_383)
                return false;
            s = s[..e];
        }

        var point = s.IndexOf('.');
        var integer = point >= 0 ? s[..point] : s;
        var fraction = point >= 0 ? s[(point + 1)..] : [];
        if (integer.Length + fraction.Length == 0 || !IsDigits(integer) || !IsDigits(fraction))
            return false;
        if (exponent != 0)
        {
            var all = string.Concat(integer, fraction);
            var at = integer.Length + exponent;
            integer = at <= 0 ? [] : at >= all.Length ? all + new string('0', at - all.Length) : all.AsSpan(0, at);
            fraction = at <= 0 ? new string('0', -at) + all : at >= all.Length ? [] : all.AsSpan(at);
        }

        if (fraction.Length > short.MaxValue)
            return false;
        integer = integer.TrimStart('0');

        // Pad the integer part on the left and the fraction on the right to whole groups of four digits.
        var integerGroups = (integer.Length + 3) / 4;
        var fractionGroups = (fraction.Length + 3) / 4;
        var digits = new short[integerGroups + fractionGroups];
        var padded = new string('0', (integerGroups * 4) - integer.Length) + integer.ToString() + fraction.ToString() + new string('0', (fractionGroups * 4) - fraction.Length);
        for (var g = 0; g < digits.Length; g++)
            digits[g] = short.Parse(padded.AsSpan(g * 4, 4), NumberStyles.None, CultureInfo.InvariantCulture);

        var first = 0;
        while (first < digits.Length && digits[first] == 0)
            first++;
        var last = digits.Length - 1;
        while (last >= first && digits[last] == 0)
            last--;
        var groups = first > last ? [] : digits[first..(last + 1)];
        var weight = (short)(groups.Length == 0 ? 0 : integerGroups - 1 - first);
        value = new WideNumeric(groups, weight, negative && groups.Length > 0, (short)fraction.Length) { IntegerDigits = integer.Length, Text = text.Trim() };
        return true;
    }

    static bool IsDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
                return false;
        }

        return true;
    }
}
