using System.Net;
using System.Net.Sockets;
using Ferry.Copy.Internal;
using Ferry.Schema;

namespace Ferry.Types.Network;

/// <summary>
/// inet, for a host address given as text (<see cref="IpAddressText"/>): <c>validate: ip</c>'s result, or a
/// <c>--cast</c> to inet. Written in inet's binary form; verify compares <c>abbrev(inet)</c>, the text inet prints.
/// </summary>
internal sealed class InetType : PgTypeHandler
{
    public static readonly InetType Instance = new();

    /// <summary>The inet type, as a step's result or a parsed <c>inet</c>.</summary>
    public static readonly PgType Type = new(PgTypeKind.Text) { Handler = Instance };

    public override IReadOnlyList<string> CatalogNames => ["inet"];

    public override string ToSql(PgType type) => "inet";

    public override uint Oid(PgType type) => 869;

    public override ColumnSlots CreateSlots(PgType type, int capacity) => new InetSlots(capacity);

    public override bool PlainText => true;

    /// <summary>inet::text always adds the prefix length (<c>/32</c>); abbrev prints what inet's output does.</summary>
    public override string CanonicalSql(string x, string typeName, bool hasTrimScale) => $"abbrev({x})";

    public override string CanonicalText(string value) => IpAddressText.Parse(value) is { } address ? IpAddressText.Canonical(address) : value;
}

/// <summary>inet's binary form a row: family, prefix bits, is-cidr, byte count, then the 4 or 16 address bytes.</summary>
internal sealed class InetSlots(int capacity) : ColumnSlots(capacity)
{
    const int Width = 20;
    const byte PgFamilyInet = 2;
    const byte PgFamilyInet6 = 3;

    readonly byte[] _bytes = new byte[capacity * Width];

    public override bool TakesText => true;

    public override string? SetText(int row, string value)
    {
        if (IpAddressText.Parse(value) is not { } address)
            return $"'{value}' is not an IP address";
        var slot = _bytes.AsSpan(row * Width, Width);
        var v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        slot[0] = v6 ? PgFamilyInet6 : PgFamilyInet;
        slot[1] = v6 ? (byte)128 : (byte)32;
        slot[2] = 0;
        slot[3] = v6 ? (byte)16 : (byte)4;
        address.TryWriteBytes(slot[4..], out _);
        return null;
    }

    protected override void WriteValue(BinaryCopyWriter writer, int row) => writer.WriteBytes(Address(row, header: true));

    protected override string RenderValue(int row) => IpAddressText.Canonical(new IPAddress(Address(row, header: false)));

    ReadOnlySpan<byte> Address(int row, bool header)
    {
        var slot = _bytes.AsSpan(row * Width, Width);
        return header ? slot[..(4 + slot[3])] : slot.Slice(4, slot[3]);
    }
}
