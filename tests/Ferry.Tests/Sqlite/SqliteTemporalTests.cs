using System.Text;
using Ferry.Sources.Sqlite;

namespace Ferry.Tests.Sqlite;

public sealed class SqliteTemporalTests
{
    [Theory]
    [InlineData("2024-03-05", "2024-03-05T00:00:00.0000000", null)]
    [InlineData("2024-03-05 14:30", "2024-03-05T14:30:00.0000000", null)]
    [InlineData("2024-03-05T14:30:15", "2024-03-05T14:30:15.0000000", null)]
    [InlineData("2024-03-05 14:30:15.1", "2024-03-05T14:30:15.1000000", null)]
    // Beyond microseconds, rounded as PostgreSQL's input rounds: rint(fraction as a double × 10^6), carrying up.
    [InlineData("2024-03-05 14:30:15.123456789", "2024-03-05T14:30:15.1234570", null)]
    [InlineData("2024-03-05 14:30:15.1234565", "2024-03-05T14:30:15.1234560", null)]
    [InlineData("2024-03-05 14:30:15.0001255", "2024-03-05T14:30:15.0001250", null)]
    [InlineData("2024-03-05T14:30:15.999999999Z", "2024-03-05T14:30:16.0000000", "00:00:00")]
    [InlineData("2024-12-31 23:59:59.9999995", "2025-01-01T00:00:00.0000000", null)]
    [InlineData(" 2024-03-05 14:30:15 ", "2024-03-05T14:30:15.0000000", null)]
    [InlineData("2024-03-05T14:30:15Z", "2024-03-05T14:30:15.0000000", "00:00:00")]
    [InlineData("2024-03-05T14:30:15+02:00", "2024-03-05T14:30:15.0000000", "02:00:00")]
    [InlineData("2024-03-05 14:30:15 -0530", "2024-03-05T14:30:15.0000000", "-05:30:00")]
    [InlineData("2024-03-05 14:30:15+01", "2024-03-05T14:30:15.0000000", "01:00:00")]
    public void Parses_every_SQLite_text_form(string text, string expected, string? offset)
    {
        Assert.True(SqliteTemporal.TryParseDateTime(Encoding.UTF8.GetBytes(text), out var value, out var zone));
        Assert.Equal(expected, value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(offset, zone?.ToString());
    }

    [Theory]
    [InlineData("2024-13-01")]
    [InlineData("2024-02-30")]
    [InlineData("24-01-01")]
    [InlineData("2024-01-01X10:00")]
    [InlineData("2024-01-01 25:00")]
    [InlineData("2024-01-01 10:00:00+99:00")]
    [InlineData("9999-12-31 23:59:59.9999995")]
    [InlineData("9999-12-31 24:00")]
    [InlineData("yesterday")]
    [InlineData("")]
    public void Refuses_what_is_not_a_date(string text) =>
        Assert.False(SqliteTemporal.TryParseDateTime(Encoding.UTF8.GetBytes(text), out _, out _));

    [Theory]
    [InlineData(0L, "1970-01-01T00:00:00.0000000")]
    [InlineData(1700000000L, "2023-11-14T22:13:20.0000000")]
    [InlineData(-86400L, "1969-12-31T00:00:00.0000000")]
    [InlineData(1700000000123L, "2023-11-14T22:13:20.1230000")]
    [InlineData(1700000000123456L, "2023-11-14T22:13:20.1234560")]
    public void Epochs_in_seconds_milliseconds_and_microseconds(long epoch, string expected)
    {
        Assert.True(SqliteTemporal.TryFromEpoch(epoch, out var value));
        Assert.Equal(expected, value.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Julian_days_and_times()
    {
        Assert.True(SqliteTemporal.TryFromJulianDay(2440587.5, out var epoch));
        Assert.Equal(DateTime.UnixEpoch.Ticks, epoch.Ticks);
        Assert.True(SqliteTemporal.TryFromJulianDay(2460000.25, out var morning));
        Assert.Equal(new DateTime(2023, 2, 24, 18, 0, 0), morning);
        Assert.False(SqliteTemporal.TryFromJulianDay(double.NaN, out _));
        Assert.True(SqliteTemporal.TryParseTime("07:05"u8, out var t));
        Assert.Equal(new TimeSpan(7, 5, 0), t);
        Assert.False(SqliteTemporal.TryParseTime("07:05Z"u8, out _));
        Assert.True(SqliteTemporal.TryParseTime("03:04:59.9999996"u8, out var carried));
        Assert.Equal(new TimeSpan(3, 5, 0), carried);
        Assert.True(SqliteTemporal.TryParseTime("23:59:59.9999995"u8, out var endOfDay));
        Assert.Equal(TimeSpan.FromDays(1), endOfDay);
    }
}
