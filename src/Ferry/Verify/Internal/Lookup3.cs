using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Ferry.Verify.Internal;

/// <summary>
/// Bob Jenkins' lookup3 hash, 64-bit form with seed 0, as PostgreSQL computes it for <c>hashtextextended(text, 0)</c>
/// on a little-endian server (<c>hash_bytes_extended</c>: the final <c>b</c> and <c>c</c> as one 64-bit value).
/// Hashing a row text costs the server a fraction of <c>md5()</c> and this side a fraction of MD5.
/// </summary>
internal static class Lookup3
{
    public static long Hash64(ReadOnlySpan<byte> key)
    {
        var length = key.Length;
        uint a, b, c;
        a = b = c = Initial(length);
        while (length >= 12)
        {
            Block(ref a, ref b, ref c, key);
            key = key[12..];
            length -= 12;
        }

        return Finish(a, b, c, key);
    }

    /// <summary>The state before the first block: lookup3 mixes the key's length in first, so it must be known up front.</summary>
    internal static uint Initial(long length) => unchecked(0x9e3779b9u + (uint)length + 3923095u);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Block(ref uint a, ref uint b, ref uint c, ReadOnlySpan<byte> block)
    {
        a += BinaryPrimitives.ReadUInt32LittleEndian(block);
        b += BinaryPrimitives.ReadUInt32LittleEndian(block[4..]);
        c += BinaryPrimitives.ReadUInt32LittleEndian(block[8..]);
        Mix(ref a, ref b, ref c);
    }

    /// <summary>The last 0–11 bytes, little-endian into a, b and c (the lowest byte of c stays for the length), then the final mix.</summary>
    internal static long Finish(uint a, uint b, uint c, ReadOnlySpan<byte> tail)
    {
        var length = tail.Length;
        if (length > 8)
        {
            c += Tail(tail[8..length]) << 8;
            b += BinaryPrimitives.ReadUInt32LittleEndian(tail[4..]);
            a += BinaryPrimitives.ReadUInt32LittleEndian(tail);
        }
        else if (length > 4)
        {
            b += Tail(tail[4..length]);
            a += BinaryPrimitives.ReadUInt32LittleEndian(tail);
        }
        else if (length > 0)
        {
            a += Tail(tail[..length]);
        }

        Final(ref a, ref b, ref c);
        return unchecked((long)(((ulong)b << 32) | c));
    }

    /// <summary>1–4 bytes as a little-endian word.</summary>
    static uint Tail(ReadOnlySpan<byte> bytes)
    {
        uint word = 0;
        for (var i = bytes.Length - 1; i >= 0; i--)
            word = (word << 8) | bytes[i];
        return word;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Mix(ref uint a, ref uint b, ref uint c)
    {
        unchecked
        {
            a -= c; a ^= BitOperations.RotateLeft(c, 4); c += b;
            b -= a; b ^= BitOperations.RotateLeft(a, 6); a += c;
            c -= b; c ^= BitOperations.RotateLeft(b, 8); b += a;
            a -= c; a ^= BitOperations.RotateLeft(c, 16); c += b;
            b -= a; b ^= BitOperations.RotateLeft(a, 19); a += c;
            c -= b; c ^= BitOperations.RotateLeft(b, 4); b += a;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    static void Final(ref uint a, ref uint b, ref uint c)
    {
        unchecked
        {
            c ^= b; c -= BitOperations.RotateLeft(b, 14);
            a ^= c; a -= BitOperations.RotateLeft(c, 11);
            b ^= a; b -= BitOperations.RotateLeft(a, 25);
            c ^= b; c -= BitOperations.RotateLeft(b, 16);
            a ^= c; a -= BitOperations.RotateLeft(c, 4);
            b ^= a; b -= BitOperations.RotateLeft(a, 14);
            c ^= b; c -= BitOperations.RotateLeft(b, 24);
        }
    }
}
