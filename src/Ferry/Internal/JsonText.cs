using System.Text.Json;

namespace Ferry.Internal;

/// <summary>Whether text is one JSON value, as PostgreSQL's json and jsonb input take it.</summary>
internal static class JsonText
{
    public static bool IsValid(ReadOnlySpan<byte> utf8)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
            while (reader.Read())
            {
            }

            return reader.BytesConsumed > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
