using System.Text.Json;

namespace Ferry.Internal;

/// <summary>JSON read without reflection (the release is compiled ahead of time): validity, and arrays of strings.</summary>
internal static class JsonText
{
    /// <summary>Whether text is one JSON value, as PostgreSQL's json and jsonb input take it.</summary>
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

    /// <summary>A JSON array of strings (DuckDB's <c>to_json</c> of a list of names); <c>null</c> gives an empty array.</summary>
    /// <exception cref="JsonException">The text is not such an array.</exception>
    public static string[] StringArray(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind switch
        {
            JsonValueKind.Null => [],
            JsonValueKind.Array => [.. document.RootElement.EnumerateArray().Select(e => e.GetString() ?? throw new JsonException($"a null in the array {json}"))],
            _ => throw new JsonException($"not an array of strings: {json}"),
        };
    }
}
