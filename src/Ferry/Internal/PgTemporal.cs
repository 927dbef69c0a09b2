namespace Ferry.Internal;

/// <summary>
/// date and timestamp as PostgreSQL stores them: days, or microseconds, since 2000-01-01, and the extreme values
/// for -infinity and infinity. .NET's DateOnly and DateTime have no room for infinity: their MinValue and MaxValue
/// are the real dates 0001-01-01 and 9999-12-31, so they are never taken for infinity.
/// </summary>
internal static class PgTemporal
{
    public const int DateNegativeInfinity = int.MinValue;
    public const int DateInfinity = int.MaxValue;
    public const long TimestampNegativeInfinity = long.MinValue;
    public const long TimestampInfinity = long.MaxValue;

    /// <summary>2000-01-01 in .NET ticks: PostgreSQL's epoch.</summary>
    public const long EpochTicks = 630_822_816_000_000_000;
    const int EpochDay = 730_119; // new DateOnly(2000, 1, 1).DayNumber

    public static int Days(DateOnly value) => value.DayNumber - EpochDay;

    /// <summary>Microseconds; sub-microsecond ticks truncate toward 2000-01-01, as Npgsql writes them.</summary>
    public static long Micros(DateTime value) => (value.Ticks - EpochTicks) / 10;

    /// <summary><see cref="Micros"/> of the instant: a local time is converted to UTC first (timestamptz stores UTC).</summary>
    public static long InstantMicros(DateTime value) => Micros(value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value);

    /// <summary>How PostgreSQL spells an infinite date or timestamp.</summary>
    public static string InfinityText(bool negative) => negative ? "-infinity" : "infinity";

    public static int DateInfinityOf(bool negative) => negative ? DateNegativeInfinity : DateInfinity;

    public static long TimestampInfinityOf(bool negative) => negative ? TimestampNegativeInfinity : TimestampInfinity;

    public static DateOnly Date(int days) => DateOnly.FromDayNumber(days + EpochDay);

    public static DateTime Timestamp(long micros) => new((micros * 10) + EpochTicks);

    /// <summary>The date as PostgreSQL prints it (years 1-9999), or infinity.</summary>
    public static string DateText(int days) => days switch
    {
        DateInfinity => "infinity",
        DateNegativeInfinity => "-infinity",
        _ => Date(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>The timestamp with its significant fraction (years 1-9999), or infinity.</summary>
    public static string TimestampText(long micros) => micros switch
    {
        TimestampInfinity => "infinity",
        TimestampNegativeInfinity => "-infinity",
        _ => Timestamp(micros).ToString("yyyy-MM-dd HH:mm:ss.FFFFFF", System.Globalization.CultureInfo.InvariantCulture),
    };
}
