using System.Buffers.Binary;
using System.Numerics;

namespace Ferry.Verify.Internal;

/// <summary>
/// MD5 (RFC 1321) in managed code, for row texts of a few dozen bytes: the platform's one-shot MD5 pays a native
/// call per row that costs more than the hashing. Only the first 8 bytes of the digest are returned, big-endian,
/// as PostgreSQL's <c>('x' || substr(md5(t), 1, 16))::bit(64)::bigint</c> reads them.
/// </summary>
internal static class Md5
{
    static readonly int[] Shifts =
    [
        7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
        5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
        4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
        6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
    ];

    // K[i] = floor(2^32 × |sin(i + 1)|), as the RFC defines them.
    static readonly uint[] K = [.. Enumerable.Range(0, 64).Select(i => (uint)(long)Math.Floor(Math.Abs(Math.Sin(i + 1)) * 4294967296.0))];

    /// <summary>Bytes a buffer needs beyond the data for the padding.</summary>
    public const int Padding = 72;

    /// <summary>
    /// Hashes <paramref name="buffer"/>[0..<paramref name="length"/>), padding it in place (the buffer must have
    /// <see cref="Padding"/> spare bytes), and returns the digest's first 8 bytes as a big-endian long.
    /// </summary>
    public static long First8(byte[] buffer, int length)
    {
        var padded = (length + 8) / 64 * 64 + 64;
        buffer[length] = 0x80;
        buffer.AsSpan(length + 1, padded - length - 9).Clear();
        BinaryPrimitives.WriteUInt64LittleEndian(buffer.AsSpan(padded - 8), (ulong)length * 8);

        uint a0 = 0x67452301, b0 = 0xefcdab89, c0 = 0x98badcfe, d0 = 0x10325476;
        Span<uint> m = stackalloc uint[16];
        for (var chunk = 0; chunk < padded; chunk += 64)
        {
            for (var j = 0; j < 16; j++)
                m[j] = BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(chunk + j * 4));
            uint a = a0, b = b0, c = c0, d = d0;
            for (var i = 0; i < 64; i++)
            {
                uint f;
                int g;
                if (i < 16)
                {
                    f = (b & c) | (~b & d);
                    g = i;
                }
                else if (i < 32)
                {
                    f = (d & b) | (~d & c);
                    g = (5 * i + 1) & 15;
                }
                else if (i < 48)
                {
                    f = b ^ c ^ d;
                    g = (3 * i + 5) & 15;
                }
                else
                {
                    f = c ^ (b | ~d);
                    g = (7 * i) & 15;
                }

                f = unchecked(f + a + K[i] + m[g]);
                a = d;
                d = c;
                c = b;
                b = unchecked(b + BitOperations.RotateLeft(f, Shifts[i]));
            }

            a0 = unchecked(a0 + a);
            b0 = unchecked(b0 + b);
            c0 = unchecked(c0 + c);
            d0 = unchecked(d0 + d);
        }

        return (long)(((ulong)BinaryPrimitives.ReverseEndianness(a0) << 32) | BinaryPrimitives.ReverseEndianness(b0));
    }
}
