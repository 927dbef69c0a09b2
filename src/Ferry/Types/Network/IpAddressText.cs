using System.Net;
using System.Net.Sockets;

namespace Ferry.Types.Network;

/// <summary>
/// An IP address as a person writes it: IPv4 as four decimal parts 0–255 without leading zeros (<c>192.168.0.1</c>),
/// IPv6 in any RFC 4291 text form (<c>2001:DB8::1</c>, <c>::ffff:1.2.3.4</c>). Refused, though
/// <see cref="IPAddress.TryParse(string?, out IPAddress?)"/> takes them: the inet_aton shorthands (<c>1</c>,
/// <c>127.1</c>, <c>0x7f.1</c>, octal <c>010.0.0.1</c>), surrounding spaces, brackets, ports, zone ids (<c>%eth0</c>)
/// and prefixes (<c>/24</c>: a network, not an address).
/// </summary>
internal static class IpAddressText
{
    /// <summary>The address <paramref name="text"/> writes, or null when it is not one by the rule above.</summary>
    public static IPAddress? Parse(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.ContainsAny(Refused) || !IPAddress.TryParse(text, out var address))
            return null;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return text.Contains(':') ? address : null;
        return address.AddressFamily == AddressFamily.InterNetwork && IsDottedQuad(text) ? address : null;
    }

    /// <summary>The text PostgreSQL's inet prints for an address (RFC 5952 for IPv6), as .NET formats it.</summary>
    public static string Canonical(IPAddress address) => address.ToString();

    /// <summary><see cref="Canonical(IPAddress)"/>, as <paramref name="text"/> itself when it is already that text (no new string).</summary>
    public static string Canonical(IPAddress address, string text)
    {
        Span<char> formatted = stackalloc char[64];
        if (!address.TryFormat(formatted, out var length))
            return address.ToString();
        return formatted[..length].SequenceEqual(text) ? text : new string(formatted[..length]);
    }

    static readonly System.Buffers.SearchValues<char> Refused = System.Buffers.SearchValues.Create("[]%/ \t\r\n");

    /// <summary>Exactly four decimal parts of one to three digits, 0–255, no leading zero.</summary>
    static bool IsDottedQuad(ReadOnlySpan<char> text)
    {
        var parts = 0;
        var i = 0;
        while (i <= text.Length)
        {
            var start = i;
            var value = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                value = (value * 10) + (text[i] - '0');
                i++;
                if (i - start > 3)
                    return false;
            }

            var length = i - start;
            if (length == 0 || value > 255 || (length > 1 && text[start] == '0'))
                return false;
            parts++;
            if (i == text.Length)
                return parts == 4;
            if (text[i] != '.' || parts == 4)
                return false;
            i++;
        }

        return false;
    }
}
