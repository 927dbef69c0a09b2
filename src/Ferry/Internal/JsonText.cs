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

    /// <summary>
    /// The bytes of the longest string (key or value) of JSON text, once unescaped: PostgreSQL's jsonb refuses a
    /// string longer than its limit, whatever else the document holds.
    /// </summary>
    public static long LongestString(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow, MaxDepth = 4096 });
        long longest = 0;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName)
                    longest = Math.Max(longest, reader.ValueIsEscaped ? UnescapedLength(reader.ValueSpan) : reader.ValueSpan.Length);
            }
        }
        catch (JsonException)
        {
            // Not valid JSON after all (PostgreSQL refuses it): the strings up to there.
        }

        return longest;
    }

    /// <summary>UTF-8 bytes of an escaped JSON string's content once unescaped (\uXXXX as one to three bytes, a surrogate pair as four).</summary>
    static long UnescapedLength(ReadOnlySpan<byte> escaped)
    {
        long length = 0;
        for (var i = 0; i < escaped.Length; i++)
        {
            if (escaped[i] != '\\')
            {
                length++;
                continue;
            }

            i++;
            if (escaped[i] != 'u')
            {
                length++;
                continue;
            }

            var unit = int.Parse(escaped.Slice(i + 1, 4), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            i += 4;
            length += unit < 0x80 ? 1 : unit < 0x800 || char.IsSurrogate((char)unit) ? 2 : 3; // A surrogate pair: 2 + 2.
        }

        return length;
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
