using Ferry.Schema;
using Ferry.Transforms;
using Ferry.Transforms.Steps;
using static Ferry.Tests.Transforms.Steps.Stepped;
using Ferry.Types.Network;

namespace Ferry.Tests.Transforms.Steps;

/// <summary>validate: email, phone and ip, value by value: the rules, each invalid policy, and the types they give.</summary>
public sealed class ValidationStepTests
{
    [Theory]
    [InlineData("ada@example.com")]
    [InlineData("first.last+tag@sub.example.co.uk")]
    [InlineData("x@localhost")]
    [InlineData(".dots..anywhere.@example.com")]
    [InlineData("!#$%&'*+/=?^_`{|}~-@a-b.c0")]
    [InlineData("a@0123456789012345678901234567890123456789012345678901234567890ab.com")]
    public void An_email_the_whatwg_rule_takes_is_valid(string value) => Assert.True(ValidateEmailStep.IsValid(value), value);

    [Theory]
    [InlineData("")]
    [InlineData("plainaddress")]
    [InlineData("@example.com")]
    [InlineData("ada@")]
    [InlineData("ada@example.")]
    [InlineData("ada@.example.com")]
    [InlineData("ada@exa..mple.com")]
    [InlineData("ada@-example.com")]
    [InlineData("ada@example-.com")]
    [InlineData("ada@exa_mple.com")]
    [InlineData("a b@example.com")]
    [InlineData("\"quoted\"@example.com")]
    [InlineData("ada@example.com ")]
    [InlineData("ada@@example.com")]
    [InlineData("émile@example.com")]
    [InlineData("ada@bücher.de")]
    [InlineData("a@0123456789012345678901234567890123456789012345678901234567890abc.com")]
    public void An_email_the_whatwg_rule_refuses_is_invalid(string value) => Assert.False(ValidateEmailStep.IsValid(value), value);

    [Theory]
    [InlineData(ValuePolicy.Reject, StepOutcome.Reject, "validate email: not a valid e-mail address (WHATWG HTML)")]
    [InlineData(ValuePolicy.Null, StepOutcome.Null, null)]
    [InlineData(ValuePolicy.Keep, StepOutcome.Value, null)]
    public void An_invalid_value_follows_the_policy(ValuePolicy invalid, StepOutcome outcome, string? reason)
    {
        var step = new ValidateEmailStep(invalid);
        Assert.Equal((outcome, "not an email", reason), Run(step, "not an email"));
        Assert.Equal((StepOutcome.Value, "ada@example.com", (string?)null), Run(step, "ada@example.com"));
    }

    [Fact]
    public void Validations_describe_themselves_with_their_policy()
    {
        Assert.Equal("validate email (invalid: reject)", new ValidateEmailStep(ValuePolicy.Reject).Description);
        Assert.Equal("validate ip (invalid: null)", new ValidateIpStep(ValuePolicy.Null).Description);
        Assert.Equal("validate phone US → E.164 (invalid: null)", new ValidatePhoneStep("us", ValuePolicy.Null, e164: true).Description);
        Assert.Equal("validate phone GB (invalid: keep)", new ValidatePhoneStep("GB", ValuePolicy.Keep, e164: false).Description);
    }

    [Theory]
    [InlineData("US", "(201) 555-0123", "+12015550123")]
    [InlineData("US", "201.555.0123", "+12015550123")]
    [InlineData("US", "+44 20 7946 0958", "+442079460958")]
    [InlineData("GB", "020 7946 0958", "+442079460958")]
    [InlineData("DE", "030 901820", "+4930901820")]
    public void A_valid_phone_number_is_written_in_e164(string region, string value, string expected)
    {
        Assert.Equal((StepOutcome.Value, expected, (string?)null), Run(new ValidatePhoneStep(region, ValuePolicy.Reject, e164: true), value));
        Assert.Equal((StepOutcome.Value, value, (string?)null), Run(new ValidatePhoneStep(region, ValuePolicy.Reject, e164: false), value));
    }

    [Theory]
    [InlineData("555-0123")]
    [InlineData("(000) 555-0123")]
    [InlineData("call me")]
    [InlineData("")]
    [InlineData("+1 201 555 01234567")]
    public void An_invalid_phone_number_follows_the_policy(string value)
    {
        Assert.Equal((StepOutcome.Reject, value, "validate phone: not a valid phone number"), Run(new ValidatePhoneStep("US", ValuePolicy.Reject, e164: true), value));
        Assert.Equal(StepOutcome.Null, Run(new ValidatePhoneStep("US", ValuePolicy.Null, e164: true), value).Outcome);
        Assert.Equal((StepOutcome.Value, value, (string?)null), Run(new ValidatePhoneStep("US", ValuePolicy.Keep, e164: true), value));
    }

    [Fact]
    public void One_phone_step_serves_readers_in_parallel()
    {
        // A table's readers share its steps: libphonenumber's PhoneNumberUtil is one instance for all of them.
        var step = new ValidatePhoneStep("US", ValuePolicy.Null, e164: true);
        var results = new (StepOutcome, string, string?)[4000];
        Parallel.For(0, results.Length, i => results[i] = Run(step, i % 2 == 0 ? $"(201) 555-{i % 10000:D4}" : $"555-{i % 10000:D4}"));
        for (var i = 0; i < results.Length; i++)
            Assert.Equal(i % 2 == 0 ? (StepOutcome.Value, $"+1201555{i % 10000:D4}", null) : (StepOutcome.Null, $"555-{i % 10000:D4}", null), results[i]);
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("USA")]
    [InlineData("")]
    public void An_unknown_region_is_refused(string region)
    {
        var error = Assert.Throws<FerryException>(() => new ValidatePhoneStep(region, ValuePolicy.Reject, e164: true));
        Assert.Equal($"validate phone: region '{region}' is not a region libphonenumber knows; give an ISO 3166 two-letter country code such as US, GB or DE.", error.Message);
    }

    [Fact]
    public void E164_widens_a_short_column()
    {
        Assert.Equal(PgType.Text, new ValidatePhoneStep("US", ValuePolicy.Null, e164: true).ResultType(PgType.VarcharOf(14)));
        Assert.Null(new ValidatePhoneStep("US", ValuePolicy.Null, e164: true).ResultType(PgType.VarcharOf(16)));
        Assert.Null(new ValidatePhoneStep("US", ValuePolicy.Null, e164: false).ResultType(PgType.VarcharOf(5)));
    }

    [Theory]
    [InlineData("192.168.0.1", "192.168.0.1")]
    [InlineData("0.0.0.0", "0.0.0.0")]
    [InlineData("255.255.255.255", "255.255.255.255")]
    [InlineData("::1", "::1")]
    [InlineData("2001:DB8:0:0:0:0:0:1", "2001:db8::1")]
    [InlineData("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1")]
    [InlineData("::ffff:10.0.0.1", "::ffff:10.0.0.1")]
    [InlineData("fe80::0001", "fe80::1")]
    public void A_written_ip_address_becomes_the_text_inet_prints(string value, string expected) =>
        Assert.Equal((StepOutcome.Value, expected, (string?)null), Run(new ValidateIpStep(ValuePolicy.Reject), value));

    [Theory]
    [InlineData("1")]
    [InlineData("127.1")]
    [InlineData("0x7f.1")]
    [InlineData("0x7f000001")]
    [InlineData("010.0.0.1")]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("1.2.3.")]
    [InlineData(" 1.2.3.4")]
    [InlineData("10.0.0.0/8")]
    [InlineData("[::1]")]
    [InlineData("[::1]:80")]
    [InlineData("fe80::1%eth0")]
    [InlineData("2001:db8::g")]
    [InlineData("localhost")]
    [InlineData("")]
    public void What_is_not_an_address_a_person_wrote_is_invalid(string value)
    {
        Assert.Null(IpAddressText.Parse(value));
        Assert.Equal((StepOutcome.Reject, value, "validate ip: not an IPv4 or IPv6 address"), Run(new ValidateIpStep(ValuePolicy.Reject), value));
        Assert.Equal(StepOutcome.Null, Run(new ValidateIpStep(ValuePolicy.Null), value).Outcome);
    }

    [Fact]
    public void An_ip_column_becomes_inet_unless_invalid_values_are_kept()
    {
        Assert.Equal("inet", new ValidateIpStep(ValuePolicy.Reject).ResultType(PgType.Text)!.ToSql());
        Assert.Equal(PgType.Parse("inet"), new ValidateIpStep(ValuePolicy.Null).ResultType(PgType.VarcharOf(40)));
        Assert.Null(new ValidateIpStep(ValuePolicy.Keep).ResultType(PgType.Text));
        const string canonical = "10.1.2.3";
        var value = canonical;
        new ValidateIpStep(ValuePolicy.Reject).Apply(ref value);
        Assert.Same(canonical, value);
    }
}
