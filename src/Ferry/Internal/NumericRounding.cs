namespace Ferry.Internal;

/// <summary>How numeric(p,s) stores a value: rounded half away from zero to its scale, as PostgreSQL does.</summary>
internal static class NumericRounding
{
    /// <summary>
    /// <paramref name="value"/> rounded to <paramref name="scale"/> fractional digits; unchanged when it has no more
    /// than that (decimal keeps at most 28).
    /// </summary>
    public static decimal ToScale(decimal value, int scale) =>
        value.Scale > scale ? Math.Round(value, Math.Min(scale, 28), MidpointRounding.AwayFromZero) : value;
}
