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
}
