using Ferry.Sync.Internal;

namespace Ferry.Tests.Sync;

/// <summary>A SQLite watermark's bound keeps the stored text's form; a watermark's text read as the newest change.</summary>
public sealed class WatermarkTests
{
    [Theory]
    [InlineData("2026-12-07 09:00:00", 300, "2026-12-07 08:55:00")]
    [InlineData("2026-12-07T09:00:00.500Z", 300, "2026-12-07T08:55:00.500Z")]
    [InlineData("2026-12-07 00:02", 300, "2026-12-06 23:57")]
    [InlineData("2026-12-07", 300, "2026-12-06")]
    [InlineData("2026-12-07 09:00:00", 0, "2026-12-07 09:00:00")]
    public void A_sqlite_bound_is_written_as_the_value_is(string value, int seconds, string bound) =>
        Assert.Equal(bound, Watermark.SqliteTextMinus(value, TimeSpan.FromSeconds(seconds)));

    [Theory]
    [InlineData("1733570000")]
    [InlineData("07/12/2026 09:00")]
    [InlineData("2026-12-07X09:00")]
    public void Text_that_is_not_iso_8601_gives_no_bound(string value) => Assert.Null(Watermark.SqliteTextMinus(value, TimeSpan.FromMinutes(5)));

    [Theory]
    [InlineData("2026-12-01 12:00:00+00", "2026-12-01T12:00:00.0000000+00:00")]
    [InlineData("2026-12-01 12:00:00.25-05", "2026-12-01T17:00:00.2500000+00:00")]
    [InlineData("2026-12-01 12:00:00", "2026-12-01T12:00:00.0000000+00:00")]
    [InlineData("2026-12-01", "2026-12-01T00:00:00.0000000+00:00")]
    public void The_newest_change_is_read_from_postgresql_and_sqlite_text(string value, string expected)
    {
        var watermark = new Watermark(null!, WatermarkKind.Time);
        Assert.Equal(expected, watermark.NewestChange(value)?.ToString("o", System.Globalization.CultureInfo.InvariantCulture));
    }
}
