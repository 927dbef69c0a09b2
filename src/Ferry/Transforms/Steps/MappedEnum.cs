namespace Ferry.Transforms.Steps;

/// <summary>
/// The PostgreSQL enum type <c>type: enum(name)</c> makes of a map's values: the map's distinct values in the map's
/// order, then its default when that is not one of them. <see cref="Schema"/> null: the enum goes in the schema of the
/// table whose column it types. Names are verbatim, as the file writes them (<c>--names</c> does not fold them).
/// </summary>
public sealed record MappedEnum(string? Schema, string Name, IReadOnlyList<string> Labels)
{
    /// <summary>The enum of a map's values, in the map's order (<paramref name="pairs"/> as the file gives them).</summary>
    public static MappedEnum Of(string? schema, string name, IEnumerable<KeyValuePair<string, string>> pairs, string? defaultValue)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var labels = pairs.Select(p => p.Value);
        if (defaultValue is not null)
            labels = labels.Append(defaultValue);
        return new(schema, name, [.. labels.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>The name as written: <c>name</c> or <c>schema.name</c>.</summary>
    public string Written => Schema is null ? Name : Schema + "." + Name;
}
