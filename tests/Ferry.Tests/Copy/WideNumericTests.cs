using Ferry.Copy.Internal;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Copy;

/// <summary>Numerics beyond System.Decimal go through binary COPY in numeric's own form and arrive digit for digit.</summary>
public sealed class WideNumericTests
{
    [Theory]
    [InlineData("170141183460469231731687303715884105727", "170141183460469231731687303715884105727")]
    [InlineData("-170141183460469231731687303715884105728", "-170141183460469231731687303715884105728")]
    [InlineData("340282366920938463463374607431768211455", "340282366920938463463374607431768211455")]
    [InlineData("1234567890123456789012345678.0123456789", "1234567890123456789012345678.0123456789")]
    [InlineData("-9999999999999999999999999999.9999999999", "-9999999999999999999999999999.9999999999")]
    [InlineData("-0.0000000001", "-0.0000000001")]
    [InlineData("0.0000000000", "0.0000000000")]
    [InlineData("+10000", "10000")]
    [InlineData("0012.30", "12.30")]
    [InlineData("100000000.00000001", "100000000.00000001")]
    [InlineData("-0", "0")]
    // An exponent moves the point as numeric_in does, scale included.
    [InlineData("1e10", "10000000000")]
    [InlineData("-2.50E+3", "-2500")]
    [InlineData("1.5e-30", "0.0000000000000000000000000000015")]
    [InlineData("123456789012345678901234567890.5e-2", "1234567890123456789012345678.905")]
    public async Task Arrives_exactly_through_binary_copy(string input, string expected)
    {
        Assert.True(WideNumeric.TryParse(input, out var value));
        await using var db = await TestCluster.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE n (v numeric)");
        await using (var connection = await db.OpenAsync())
        {
            using var writer = BinaryCopyWriter.Begin(connection, "COPY n (v) FROM STDIN (FORMAT binary)");
            writer.StartRow(1);
            writer.WriteNumeric(value);
            writer.Complete();
        }

        Assert.Equal(expected, await db.ScalarAsync<string>("SELECT v::text FROM n"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("-")]
    [InlineData("1e")]
    [InlineData("e5")]
    [InlineData("1e999999")]
    [InlineData("NaN")]
    [InlineData("1.2.3")]
    [InlineData("12a")]
    public void Refuses_what_is_not_a_plain_decimal(string input) => Assert.False(WideNumeric.TryParse(input, out _));

    [Fact]
    public void Counts_integer_digits_for_the_precision_check()
    {
        Assert.True(WideNumeric.TryParse("-00123.4500", out var value));
        Assert.Equal(3, value.IntegerDigits);
        Assert.Equal(4, value.Scale);
        Assert.Equal("-00123.4500", value.Text);
    }
}
