using System.Diagnostics;
using Ferry.Schema;
using Ferry.Transforms.Steps;
using Xunit.Abstractions;

namespace Ferry.Tests.Transforms.Steps;

/// <summary>hash: bcrypt: hashes a password once, keeps a hash, verifies, refuses a cost bcrypt does not define.</summary>
public sealed class BcryptStepTests(ITestOutputHelper output)
{
    [Fact]
    public void A_password_becomes_a_salted_2b_hash_that_verifies()
    {
        var step = new BcryptStep(4);
        var hash = step.Text("hunter2");
        Assert.Matches(@"^\$2b\$04\$[./A-Za-z0-9]{53}$", hash);
        Assert.True(BcryptStep.IsHash(hash));
        Assert.True(BCrypt.Net.BCrypt.Verify("hunter2", hash));
        Assert.NotEqual(hash, step.Text("hunter2"));
        Assert.True(step.Matches("hunter2", hash));
        Assert.False(step.Matches("hunter3", hash));
        Assert.False(step.Matches("hunter2", "hunter2"));
        Assert.True(step.Matches("", step.Text("")));
    }

    [Theory]
    [InlineData("$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy")]
    [InlineData("$2b$12$KIXQJmQ0bqvJ8Ul5sdvvyOT5tRqD3H1cI2n5nBKn2l/mWYdHRoE4W")]
    [InlineData("$2y$04$abcdefghijklmnopqrstuu.ABCDEFGHIJKLMNOPQRSTUVWXYZ0123")]
    public void A_value_already_bcrypt_is_kept_and_matches_only_itself(string hash)
    {
        var step = new BcryptStep(12);
        Assert.Same(hash, step.Text(hash));
        Assert.True(step.Matches(hash, hash));
        Assert.False(step.Matches(hash, hash.Replace('$', '!')));
    }

    [Theory]
    [InlineData("$2x$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy")]
    [InlineData("$2a$03$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy")]
    [InlineData("$2a$32$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy")]
    [InlineData("$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhW")]
    [InlineData("$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lh+y")]
    [InlineData("$1$saltsalt$abcdefghijklmnopqrstuv")]
    public void A_value_not_shaped_as_bcrypt_is_hashed(string value)
    {
        Assert.False(BcryptStep.IsHash(value));
        var hash = new BcryptStep(4).Text(value);
        Assert.NotEqual(value, hash);
        Assert.True(new BcryptStep(4).Matches(value, hash));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(32)]
    [InlineData(-1)]
    public void A_cost_bcrypt_does_not_define_is_refused(int cost)
    {
        var error = Assert.Throws<FerryException>(() => new BcryptStep(cost));
        Assert.Equal($"hash: bcrypt: cost {cost} is outside bcrypt's 4..31 (each step doubles the time; 10 to 12 is usual).", error.Message);
    }

    [Fact]
    public void The_step_is_masked_salted_described_and_fits_its_hash_in_the_column()
    {
        var step = new BcryptStep(12);
        Assert.Equal("bcrypt cost 12", step.Description);
        Assert.True(step.Masks);
        Assert.False(step.Deterministic);
        Assert.True(step.Accepts(PgType.VarcharOf(255)));
        Assert.False(step.Accepts(PgType.Bytea));
        Assert.Equal(PgType.Text, step.ResultType(PgType.VarcharOf(32)));
        Assert.Null(step.ResultType(PgType.VarcharOf(60)));
        Assert.Null(step.ResultType(PgType.Text));
    }

    /// <summary>Hashes a few passwords at cost 10 and 12 on one thread and prints the rate (the README's figures come from here).</summary>
    [Theory]
    [InlineData(10, 10)]
    [InlineData(12, 3)]
    public void Hashing_rate_per_core_is_printed(int cost, int count)
    {
        var step = new BcryptStep(cost);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
            Assert.True(BcryptStep.IsHash(step.Text("password" + i)));
        output.WriteLine($"bcrypt cost {cost}: {count / clock.Elapsed.TotalSeconds:F1} rows/s on one core");
    }
}
