namespace Ferry.Internal;

/// <summary>How numeric(p,s) stores a value: rounded half away from zero to its scale, as PostgreSQL does.</summary>
internal static class NumericRounding
{
    /// <summary>
    /// <paramref name="value"/> rounded to <paramref name="scale"/> fractional digits; unchanged when it has no more
    /// than that (decimal keeps at most 28). A negative scale rounds to tens, hundreds, … (numeric(5,-2) keeps
    /// 12,345 as 12,300); a value that rounds beyond decimal's range (7.95e28 to a scale of -27 is 8e28) throws
    /// <see cref="OverflowException"/>: no numeric(p,s) that decimal's checks cover can hold it.
    /// </summary>
    public static decimal ToScale(decimal value, int scale)
    {
        if (scale >= 0)
            return value.Scale > scale ? Math.Round(value, Math.Min(scale, 28), MidpointRounding.AwayFromZero) : value;
        if (-scale > 28)
            return -scale > 29 || Math.Abs(value) < 5 * Pow10(28) ? 0m : throw new OverflowException();
        var factor = Pow10(-scale);
        return Math.Round(value / factor, 0, MidpointRounding.AwayFromZero) * factor;
    }

    /// <summary>Whether <paramref name="value"/>, rounded to <paramref name="scale"/>, reaches <paramref name="limit"/> (10^integer digits) in magnitude.</summary>
    public static bool Overflows(decimal value, int scale, decimal limit)
    {
        try
        {
            return Math.Abs(ToScale(value, scale)) >= limit;
        }
        catch (OverflowException)
        {
            return true;
        }
    }

    /// <summary>10^<paramref name="n"/>, for n from -28 to 28.</summary>
    public static decimal Pow10(int n)
    {
        var v = 1m;
        for (var i = 0; i < Math.Abs(n); i++)
            v *= 10m;
        return n < 0 ? 1m / v : v;
    }
}
