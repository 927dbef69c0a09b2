using System.Text;
using Ferry.Schema;
using Ferry.Types.Text;

namespace Ferry.Transforms.Folding;

/// <summary>How a folded column's canonical text goes into the JSON object: a number, a boolean, JSON as it is, or a string.</summary>
internal enum JsonShape
{
    String,
    Number,
    Boolean,
    Json,
}

/// <summary>A folded value's piece of the object: its column's shape decides how its canonical text is written.</summary>
internal static class JsonMember
{
    public static JsonShape ShapeOf(PgType type) => type.Kind switch
    {
        PgTypeKind.Array => JsonShape.Json,
        PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt or PgTypeKind.Numeric or PgTypeKind.Real or PgTypeKind.DoublePrecision => JsonShape.Number,
        PgTypeKind.Boolean => JsonShape.Boolean,
        PgTypeKind.Json or PgTypeKind.Jsonb => JsonShape.Json,
        _ => JsonShape.String,
    };

    /// <summary>
    /// Writes <paramref name="text"/> (a value's canonical text) as <paramref name="shape"/> says; a number JSON cannot
    /// hold (NaN, Infinity) is written as a string, as PostgreSQL's <c>to_jsonb</c> writes it.
    /// </summary>
    public static void Write(StringBuilder json, JsonShape shape, string text)
    {
        switch (shape)
        {
            case JsonShape.Number when text.Length > 0 && char.IsAsciiDigit(text[^1]):
            case JsonShape.Json:
                json.Append(text);
                break;
            case JsonShape.Boolean:
                json.Append(text == "t" ? "true" : "false");
                break;
            default:
                JsonbText.WriteString(json, text);
                break;
        }
    }
}
