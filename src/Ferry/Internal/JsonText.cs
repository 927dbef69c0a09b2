using System.Text;
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

    /// <summary>
    /// JSON whose bare <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> (which DuckDB writes for such doubles, and
    /// JSON has no word for) become the strings "NaN", "Infinity", "-Infinity", as Ferry renders them in nested values;
    /// null when the text has none (then it is left as it is).
    /// </summary>
    public static string? QuoteNonFinite(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IndexOfAny((byte)'N', (byte)'I') < 0)
            return null;
        var text = Encoding.UTF8.GetString(utf8);
        StringBuilder? sb = null;
        var inString = false;
        var copied = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                    i++;
                else if (c == '"')
                    inString = false;
                continue;
            }

            if (c == '"')
            {
                inString = true;
                continue;
            }

            var word = string.CompareOrdinal(text, i, "NaN", 0, 3) == 0 ? "NaN"
                : string.CompareOrdinal(text, i, "Infinity", 0, 8) == 0 ? "Infinity"
                : string.CompareOrdinal(text, i, "-Infinity", 0, 9) == 0 ? "-Infinity"
                : null;
            if (word is null)
                continue;
            sb ??= new StringBuilder(text.Length + 8);
            sb.Append(text, copied, i - copied).Append('"').Append(word).Append('"');
            i += word.Length - 1;
            copied = i + 1;
        }

        return sb?.Append(text, copied, text.Length - copied).ToString();
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
