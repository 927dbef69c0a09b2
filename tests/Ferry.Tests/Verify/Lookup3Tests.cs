using System.Text;
using Ferry.Tests.Infrastructure;
using Ferry.Verify.Internal;
using Npgsql;

namespace Ferry.Tests.Verify;

public sealed class Lookup3Tests
{
    [Fact]
    public async Task Hashes_agree_with_PostgreSQL_hashtextextended_for_every_tail_length()
    {
        var random = new Random(11);
        string[] pieces = ["a", "b", "c", "X", "Z", "0", "9", "|", "\\", " ", "é", "€", "𝄞", "\t"];
        var texts = new List<string> { "", "a", "hello world!", "exactly 12 b", "exactly 24 bytes of text" };
        for (var length = 0; length <= 80; length++)
        {
            var sb = new StringBuilder();
            while (Encoding.UTF8.GetByteCount(sb.ToString()) < length)
                sb.Append(pieces[random.Next(pieces.Length)]);
            texts.Add(sb.ToString());
        }

        texts.Add("é€𝄞 and more: " + new string('x', 1000));
        await using var db = await TestCluster.CreateDatabaseAsync("lookup3");
        await using var connection = await db.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT hashtextextended(t COLLATE \"C\", 0) FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n", connection);
        command.Parameters.Add(new() { Value = texts.ToArray() });
        var expected = new List<long>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
                expected.Add(reader.GetInt64(0));
        }

        var actual = texts.Select(t => Lookup3.Hash64(Encoding.UTF8.GetBytes(t))).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(texts.Distinct().Count(), actual.Distinct().Count());
    }

    [Fact]
    public void A_text_fed_in_pieces_hashes_as_the_whole_text()
    {
        // Lengths around lookup3's 12-byte blocks and TextHash's 2,048-character chunks, characters of 1 to 4 bytes
        // (a surrogate pair on a chunk boundary too).
        var random = new Random(7);
        string[] pieces = ["a", "|", "é", "€", "𝄞", "\\"];
        foreach (var length in (int[])[0, 1, 11, 12, 13, 2047, 2048, 2049, 4095, 6145, 100_003])
        {
            var sb = new StringBuilder();
            while (sb.Length < length)
                sb.Append(pieces[random.Next(pieces.Length)]);
            var text = sb.ToString();
            var utf8 = Encoding.UTF8.GetBytes(text);
            var hexOfUtf8 = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(utf8));
            Assert.Equal(Lookup3.Hash64(utf8), TextHash.OfChars(text, utf8Database: true));
            Assert.Equal(Lookup3.Hash64(hexOfUtf8), TextHash.OfChars(text, utf8Database: false));
            Assert.Equal(Lookup3.Hash64(hexOfUtf8), TextHash.OfUtf8(utf8, utf8Database: false));
            Assert.Equal(Lookup3.Hash64(hexOfUtf8), TextHash.OfHexDigits(utf8, utf8Database: true));
            Assert.Equal(Lookup3.Hash64(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(hexOfUtf8))), TextHash.OfHexDigits(utf8, utf8Database: false));

            // Pieces of any size, as a value arrives in parts.
            var hash = new TextHash(utf8.Length, utf8Database: true);
            for (var at = 0; at < utf8.Length;)
            {
                var take = Math.Min(random.Next(1, 40), utf8.Length - at);
                hash.AppendUtf8(utf8.AsSpan(at, take));
                at += take;
            }

            Assert.Equal(Lookup3.Hash64(utf8), hash.Finish());
        }
    }
}
