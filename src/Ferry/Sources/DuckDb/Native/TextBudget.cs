using System.Text;

namespace Ferry.Sources.DuckDb.Native;

/// <summary>
/// How large a value <see cref="ValueText"/> renders may grow, checked before each string is copied in, so that a value
/// PostgreSQL cannot take stops there with a <see cref="ValueException"/> instead of being built whole: its text within
/// one field; for jsonb also each string, and all its strings together (less than its binary form takes), within
/// jsonb's limit.
/// </summary>
internal sealed class TextBudget(ValueLimits limits, bool jsonb)
{
    long _strings;

    /// <summary>For the value shown in a reject: the start of it is enough.</summary>
    public static TextBudget ForPreview() => new(new ValueLimits(64 * 1024, 64 * 1024), jsonb: false);

    /// <summary>Starts the next value.</summary>
    public void Reset() => _strings = 0;

    /// <summary>Before a string of <paramref name="bytes"/> (UTF-8, unescaped) is written after what <paramref name="sb"/> holds.</summary>
    public void String(StringBuilder sb, long bytes)
    {
        if (jsonb)
        {
            _strings += bytes;
            if ((limits.JsonbString(bytes) ?? limits.JsonbDocument(_strings)) is { } problem)
                throw new ValueException(problem);
        }

        Text(sb, bytes);
    }

    /// <summary>Before <paramref name="bytes"/> more are written after what <paramref name="sb"/> holds (each character at least a byte).</summary>
    public void Text(StringBuilder sb, long bytes = 0)
    {
        if (sb.Length + bytes > limits.FieldBytes)
            throw new ValueException(limits.FieldPassed(jsonb ? "the jsonb document's text" : "the value's text"));
    }
}
