using System.Buffers.Binary;

namespace Ferry.Internal;

/// <summary>
/// The header of a WKB geometry (byte order, then a 4-byte type) and PostGIS's EWKB extension of it: a flag in the
/// type and a 4-byte SRID after it. Only the outermost geometry carries the SRID; the rest is copied as it is.
/// </summary>
internal static class Wkb
{
    const uint SridFlag = 0x20000000;

    /// <summary><paramref name="wkb"/> as EWKB with <paramref name="srid"/>, written to <paramref name="destination"/> (4 bytes longer).</summary>
    public static ReadOnlySpan<byte> WithSrid(ReadOnlySpan<byte> wkb, int srid, Span<byte> destination)
    {
        var little = wkb[0] == 1;
        destination[0] = wkb[0];
        Write(destination[1..5], Read(wkb[1..5], little) | SridFlag, little);
        Write(destination[5..9], (uint)srid, little);
        wkb[5..].CopyTo(destination[9..]);
        return destination[..(wkb.Length + 4)];
    }

    /// <summary>The SRID of (E)WKB (0 without one), and its WKB without it in <paramref name="wkb"/> (a new array only when it had one).</summary>
    public static int Srid(ReadOnlySpan<byte> ewkb, out ReadOnlySpan<byte> wkb)
    {
        wkb = ewkb;
        if (ewkb.Length < 9)
            return 0;
        var little = ewkb[0] == 1;
        var type = Read(ewkb[1..5], little);
        if ((type & SridFlag) == 0)
            return 0;
        var plain = new byte[ewkb.Length - 4];
        plain[0] = ewkb[0];
        Write(plain.AsSpan(1, 4), type & ~SridFlag, little);
        ewkb[9..].CopyTo(plain.AsSpan(5));
        wkb = plain;
        return (int)Read(ewkb[5..9], little);
    }

    static uint Read(ReadOnlySpan<byte> bytes, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt32BigEndian(bytes);

    static void Write(Span<byte> bytes, uint value, bool little)
    {
        if (little)
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        else
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
    }
}
