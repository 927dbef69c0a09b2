using System.Text;
using System.Text.Json;
using Ferry.Types.Numeric;

namespace Ferry.Types.Text;

/// <summary>
/// JSON text as PostgreSQL prints it back from a jsonb column: object keys de-duplicated (the last wins) and
/// sorted by byte length then bytes, <c>", "</c> and <c>": "</c> separators, numbers as numeric, strings
/// re-escaped (only <c>"</c>, <c>\</c> and control characters).
/// </summary>
internal static class JsonbText
{
    public static string Normalize(string json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 4096 });
        var sb = new StringBuilder(json.Length + 16);
        Write(sb, document.RootElement);
        return sb.ToString();
    }

    static void Write(StringBuilder sb, JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var members = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var property in element.EnumerateObject())
                    members[property.Name] = property.Value;
                var keys = members.Keys.Select(k => (Key: k, Bytes: Encoding.UTF8.GetBytes(k))).ToList();
                keys.Sort((a, b) => a.Bytes.Length != b.Bytes.Length ? a.Bytes.Length.CompareTo(b.Bytes.Length) : a.Bytes.AsSpan().SequenceCompareTo(b.Bytes));
                sb.Append('{');
                for (var i = 0; i < keys.Count; i++)
                {
                    if (i > 0)
                        sb.Append(", ");
                    WriteString(sb, keys[i].Key);
                    sb.Append(": ");
                    Write(sb, members[keys[i].Key]);
                }

                sb.Append('}');
                break;
            }

            case JsonValueKind.Array:
            {
                sb.Append('[');
                var first = true;
                foreach (var item in element.EnumerateArray())
                {
                    if (!first)
                        sb.Append(", ");
                    first = false;
                    Write(sb, item);
                }

                sb.Append(']');
                break;
            }

            case JsonValueKind.String:
                WriteString(sb, element.GetString()!);
                break;
            case JsonValueKind.Number:
                sb.Append(NumericValue.Parse(element.GetRawText()).ToString());
                break;
            case JsonValueKind.True:
                sb.Append("true");
                break;
            case JsonValueKind.False:
                sb.Append("false");
                break;
            default:
                sb.Append("null");
                break;
        }
    }

    internal static void WriteString(StringBuilder sb, string value)
    {
        sb.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < ' ')
                        sb.Append("\\u").Append(((int)c).ToString("x4", System.Globalization.CultureInfo.InvariantCulture));
                    else
                        sb.Append(c);
                    break;
            }
        }

        sb.Append('"');
    }
}
