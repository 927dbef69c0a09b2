using System.Buffers.Binary;
using System.Security.Cryptography;
using Ferry.Verify.Internal;

namespace Ferry.Tests.Verify;

public sealed class Md5Tests
{
    [Fact]
    public void Managed_md5_matches_the_platform_for_every_padding_boundary()
    {
        var random = new Random(3);
        for (var length = 0; length <= 300; length++)
        {
            var data = new byte[length];
            random.NextBytes(data);
            var buffer = new byte[length + Md5.Padding];
            data.CopyTo(buffer, 0);
            var expected = BinaryPrimitives.ReadInt64BigEndian(MD5.HashData(data));
            Assert.True(expected == Md5.First8(buffer, length), $"length {length}");
        }
    }
}
