using System.Globalization;
using System.Numerics;

namespace Ferry.Types.Numeric;

/// <summary>The canonical text of real and double precision, in C#: exactly what PostgreSQL prints (extra_float_digits 1).</summary>
internal static class FloatText
{
    // PostgreSQL 12+ prints floats in shortest round-trip form, fixed notation for decimal exponents in
    // [-4, 15) (float8) or [-4, 6) (float4), else d.ddde±XX.
    public static string Float8(double value)
    {
        Span<char> buffer = stackalloc char[MaxFloatChars];
        return new string(buffer[..Float8(value, buffer)]);
    }

    public static string Float4(float value)
    {
        Span<char> buffer = stackalloc char[MaxFloatChars];
        return new string(buffer[..Float4(value, buffer)]);
    }

    /// <summary>Room for any float's canonical text.</summary>
    public const int MaxFloatChars = 40;

    public static int Float8(double value, Span<char> destination)
    {
        if (!double.IsFinite(value))
            return NonFinite(value, destination);
        Span<char> roundTrip = stackalloc char[32];
        // Below 2^50 no decimal of 17 digits or fewer lies halfway between two doubles.
        var n = ShortestTies.Shortest(value, BitConverter.DoubleToUInt64Bits(value), 52, 11, 17, 1125899906842624.0, roundTrip);
        return Float(roundTrip[..n], 15, destination);
    }

    public static int Float4(float value, Span<char> destination)
    {
        if (!float.IsFinite(value))
            return NonFinite(value, destination);
        Span<char> roundTrip = stackalloc char[32];
        // Below 2^20 no decimal of 9 digits or fewer lies halfway between two floats.
        var n = ShortestTies.Shortest(value, BitConverter.SingleToUInt32Bits(value), 23, 8, 9, 1048576f, roundTrip);
        return Float(roundTrip[..n], 6, destination);
    }

    /// <summary>
    /// .NET's shortest round-trip form may be a decimal lying exactly halfway between the value and its neighbour,
    /// which parses back to the value only by rounding half to even (1e23 is halfway between two doubles).
    /// PostgreSQL's shortest form (its Ryu, src/common/d2s.c and f2s.c) never takes such a decimal: it prints the
    /// shortest one strictly closer to the value, 9.999999999999999e+22 for that double.
    /// </summary>
    static class ShortestTies
    {
        /// <summary>
        /// The shortest decimal (<paramref name="maxDigits"/> significant digits at most) that parses to the value
        /// without lying halfway, written to <paramref name="text"/>; its length. The float's IEEE bits and layout
        /// are given; below <paramref name="halfwayFrom"/> no short decimal can lie halfway, and .NET's is taken as is.
        /// </summary>
        public static int Shortest<T>(T value, ulong bits, int mantissaBits, int exponentBits, int maxDigits, T halfwayFrom, Span<char> text)
            where T : IBinaryFloatingPointIeee754<T>
        {
            value.TryFormat(text, out var n, "R", CultureInfo.InvariantCulture);
            if (T.Abs(value) < halfwayFrom || !IsHalfway(text[..n], bits, mantissaBits, exponentBits))
                return n;
            for (var digits = 1; digits <= maxDigits; digits++)
            {
                value.TryFormat(text, out n, Format(digits), CultureInfo.InvariantCulture);
                if (T.Parse(text[..n], NumberStyles.Float, CultureInfo.InvariantCulture) == value && !IsHalfway(text[..n], bits, mantissaBits, exponentBits))
                    return n;
            }

            value.TryFormat(text, out n, Format(maxDigits), CultureInfo.InvariantCulture);
            return n;
        }

        /// <summary>Whether the decimal <paramref name="text"/> is exactly halfway between the float whose IEEE bits are given and one of its neighbours.</summary>
        static bool IsHalfway(ReadOnlySpan<char> text, ulong bits, int mantissaBits, int exponentBits)
        {
            var biased = (int)((bits >> mantissaBits) & ((1UL << exponentBits) - 1));
            var fraction = bits & ((1UL << mantissaBits) - 1);
            var bias = (1 << (exponentBits - 1)) - 1;
            // value = m × 2^e exactly.
            var m = biased == 0 ? fraction : fraction | (1UL << mantissaBits);
            var e = (biased == 0 ? 1 : biased) - bias - mantissaBits;
            var (digits, exponent10) = Decimal(text);
            // Halfway up: (2m + 1) × 2^(e-1). Halfway down: (2m - 1) × 2^(e-1), or (4m - 1) × 2^(e-2) when the
            // value is a power of two (the gap below it is half the gap above).
            var powerOfTwo = fraction == 0 && biased > 1;
            return Equal(digits, exponent10, 2 * (BigInteger)m + 1, e - 1)
                || (powerOfTwo ? Equal(digits, exponent10, 4 * (BigInteger)m - 1, e - 2) : Equal(digits, exponent10, 2 * (BigInteger)m - 1, e - 1));
        }

        /// <summary>Scientific notation with this many significant digits, correctly rounded.</summary>
        static string Format(int digits) => "E" + (digits - 1).ToString(CultureInfo.InvariantCulture);

        /// <summary>A decimal's text as digits × 10^exponent (sign ignored).</summary>
        static (BigInteger Digits, int Exponent) Decimal(ReadOnlySpan<char> text)
        {
            var e = text.IndexOfAny('E', 'e');
            var exponent = e >= 0 ? int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
            var digits = BigInteger.Zero;
            var afterPoint = false;
            foreach (var c in e >= 0 ? text[..e] : text)
            {
                if (c == '.')
                {
                    afterPoint = true;
                }
                else if (char.IsAsciiDigit(c))
                {
                    digits = digits * 10 + (c - '0');
                    if (afterPoint)
                        exponent--;
                }
            }

            return (digits, exponent);
        }

        /// <summary>digits × 10^exponent10 = n × 2^exponent2, exactly.</summary>
        static bool Equal(BigInteger digits, int exponent10, BigInteger n, int exponent2)
        {
            if (exponent10 >= 0)
                digits *= BigInteger.Pow(10, exponent10);
            else
                n *= BigInteger.Pow(10, -exponent10);
            if (exponent2 >= 0)
                n <<= exponent2;
            else
                digits <<= -exponent2;
            return digits == n;
        }
    }

    static int NonFinite(double value, Span<char> destination)
    {
        var text = double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity";
        text.CopyTo(destination);
        return text.Length;
    }

    /// <summary>Re-renders .NET's shortest round-trip text ("1.5E-05") in PostgreSQL's form ("1.5e-05").</summary>
    static int Float(ReadOnlySpan<char> roundTrip, int fixedBelow, Span<char> destination)
    {
        var negative = roundTrip[0] == '-';
        var text = negative ? roundTrip[1..] : roundTrip;
        var e = text.IndexOfAny('E', 'e');
        if (e < 0 && (text.IndexOf('.') is var dot and >= 0 ? dot : text.Length) <= fixedBelow)
        {
            // Fixed notation (.NET's from 1e-4 on), no longer than PostgreSQL prints fixed: already its form.
            roundTrip.CopyTo(destination);
            return roundTrip.Length;
        }

        var exponent = e >= 0 ? int.Parse(text[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        var mantissa = e >= 0 ? text[..e] : text;
        Span<char> digitBuffer = stackalloc char[mantissa.Length];
        var count = 0;
        var point = -1;
        foreach (var c in mantissa)
        {
            if (c == '.')
                point = count;
            else
                digitBuffer[count++] = c;
        }

        // The decimal exponent of the first digit of the mantissa.
        exponent += (point >= 0 ? point : count) - 1;
        ReadOnlySpan<char> digits = digitBuffer[..count];
        var lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
            lead++;
        digits = digits[lead..];
        exponent -= lead;
        digits = digits.TrimEnd('0');
        var n = 0;
        if (negative)
            destination[n++] = '-';
        if (digits.Length == 0)
        {
            destination[n++] = '0';
            return n;
        }

        if (exponent >= -4 && exponent < fixedBelow)
        {
            if (exponent < 0)
            {
                destination[n++] = '0';
                destination[n++] = '.';
                destination.Slice(n, -exponent - 1).Fill('0');
                n += -exponent - 1;
                digits.CopyTo(destination[n..]);
                n += digits.Length;
            }
            else if (digits.Length <= exponent + 1)
            {
                digits.CopyTo(destination[n..]);
                n += digits.Length;
                destination.Slice(n, exponent + 1 - digits.Length).Fill('0');
                n += exponent + 1 - digits.Length;
            }
            else
            {
                digits[..(exponent + 1)].CopyTo(destination[n..]);
                n += exponent + 1;
                destination[n++] = '.';
                digits[(exponent + 1)..].CopyTo(destination[n..]);
                n += digits.Length - exponent - 1;
            }

            return n;
        }

        destination[n++] = digits[0];
        if (digits.Length > 1)
        {
            destination[n++] = '.';
            digits[1..].CopyTo(destination[n..]);
            n += digits.Length - 1;
        }

        destination[n++] = 'e';
        destination[n++] = exponent < 0 ? '-' : '+';
        var abs = Math.Abs(exponent);
        if (abs < 10)
            destination[n++] = '0';
        abs.TryFormat(destination[n..], out var written, default, CultureInfo.InvariantCulture);
        return n + written;
    }
}
