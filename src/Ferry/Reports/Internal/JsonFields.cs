using System.Text.Json;

namespace Ferry.Reports.Internal;

/// <summary>
/// Tolerant reads of a run's document: a field that is missing (an older run) or of another kind reads as absent,
/// never as an error, so a section skips what it cannot show.
/// </summary>
internal static class JsonFields
{
    public static JsonElement? Field(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    public static string? String(this JsonElement element, string name) => element.Field(name) is { } value ? Scalar(value) : null;

    public static long? Long(this JsonElement element, string name) =>
        element.Field(name) is { ValueKind: JsonValueKind.Number } value
            ? value.TryGetInt64(out var l) ? l : (long)Math.Round(value.GetDouble())
            : null;

    public static double? Double(this JsonElement element, string name) =>
        element.Field(name) is { ValueKind: JsonValueKind.Number } value ? value.GetDouble() : null;

    public static bool? Bool(this JsonElement element, string name) =>
        element.Field(name) is { ValueKind: JsonValueKind.True or JsonValueKind.False } value ? value.GetBoolean() : null;

    /// <summary>The items of an array field; none when it is missing or not an array.</summary>
    public static JsonElement.ArrayEnumerator Array(this JsonElement element, string name) =>
        element.Field(name) is { ValueKind: JsonValueKind.Array } value ? value.EnumerateArray() : default;

    /// <summary>The items of an array field, to index; none when it is missing or not an array.</summary>
    public static JsonElement[] Items(this JsonElement element, string name)
    {
        var items = new JsonElement[element.Length(name)];
        var i = 0;
        foreach (var item in element.Array(name))
            items[i++] = item;
        return items;
    }

    public static int Length(this JsonElement element, string name) =>
        element.Field(name) is { ValueKind: JsonValueKind.Array } value ? value.GetArrayLength() : 0;

    public static bool HasArray(this JsonElement element, string name) =>
        element.Field(name) is { ValueKind: JsonValueKind.Array };

    /// <summary>A scalar as text (a string as is, a number or boolean as written); an object or array as compact JSON.</summary>
    public static string Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null or JsonValueKind.Undefined => "NULL",
        _ => value.GetRawText(),
    };

    /// <summary>An object's members as <c>a=1, b=x</c> (a key of a row); any other value as <see cref="Scalar"/>.</summary>
    public static string Pairs(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
            return Scalar(value);
        var text = new System.Text.StringBuilder();
        foreach (var member in value.EnumerateObject())
        {
            if (text.Length > 0)
                text.Append(", ");
            text.Append(member.Name).Append('=').Append(Scalar(member.Value));
        }

        return text.ToString();
    }

    /// <summary>The strings of an array field joined with <paramref name="separator"/>.</summary>
    public static string Join(this JsonElement element, string name, string separator = ", ")
    {
        return string.Join(separator, element.Strings(name));
    }

    /// <summary>The items of an array field as text; none when it is missing.</summary>
    public static List<string> Strings(this JsonElement element, string name)
    {
        var items = new List<string>();
        foreach (var item in element.Array(name))
            items.Add(Pairs(item));
        return items;
    }
}
