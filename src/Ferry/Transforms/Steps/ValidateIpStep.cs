using Ferry.Schema;
using Ferry.Types.Network;

namespace Ferry.Transforms.Steps;

/// <summary>
/// <c>validate: ip</c>: an IPv4 or IPv6 host address, parsed by <see cref="System.Net.IPAddress"/>, as a person writes
/// it (see <see cref="IpAddressText"/>: four decimal parts for IPv4; no inet_aton shorthand such as <c>1</c> or
/// <c>0x7f.1</c>, no prefix, zone or brackets). The column becomes <c>inet</c>; a valid value is written as the
/// text inet prints (<c>2001:DB8:0::1</c> → <c>2001:db8::1</c>), so verify compares it as PostgreSQL shows it.
/// </summary>
public sealed class ValidateIpStep(ValuePolicy invalid = ValuePolicy.Reject) : ValidationStep("ip", invalid, "not an IPv4 or IPv6 address")
{
    /// <summary>An invalid value kept (<c>invalid: keep</c>) cannot go into inet: the column stays text then.</summary>
    private protected override bool Rewrites => true;

    public override PgType? ResultType(PgType planned) => Invalid == ValuePolicy.Keep ? null : InetType.Type;

    private protected override bool Validate(ref string value)
    {
        if (IpAddressText.Parse(value) is not { } address)
            return false;
        value = IpAddressText.Canonical(address, value);
        return true;
    }
}
