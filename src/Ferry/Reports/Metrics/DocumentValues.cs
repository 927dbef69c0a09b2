using System.Text.Json;

namespace Ferry.Reports.Metrics;

/// <summary>
/// Reading a run's <c>--json</c> document as the journal kept it: a field missing or of another type (a document of
/// another Ferry version) reads as absent, and its metric is left out, rather than failing the file.
/// </summary>
internal static class DocumentValues
{
    public static JsonElement? Object(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    public static IEnumerable<JsonElement> Array(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array
            ? value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.Object)
            : [];

    /// <summary>How many items the array holds; null when there is none.</summary>
    public static int? Length(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Array ? value.GetArrayLength() : null;

    public static double? Number(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : null;

    public static string? Text(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static bool? Flag(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False ? value.GetBoolean() : null;

    /// <summary>One sample per element that has the number: labelled by <paramref name="labels"/> of it.</summary>
    public static IEnumerable<Sample> Samples(this IEnumerable<JsonElement> elements, Func<JsonElement, double?> value, Func<JsonElement, Label[]> labels) =>
        elements.Select(e => (Value: value(e), Element: e)).Where(x => x.Value is not null).Select(x => new Sample(x.Value!.Value, labels(x.Element)));
}
