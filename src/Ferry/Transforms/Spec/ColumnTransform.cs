using Ferry.Project;

namespace Ferry.Transforms.Spec;

/// <summary>
/// What a transform says of one source column (<c>columns: { email: { normalize: lower_trim, … } }</c>), as written
/// and checked for consistency; the step kinds it names are bound to step classes when the copy is planned. Null
/// (or empty, false) is a key the file does not give.
/// </summary>
public sealed record ColumnTransform(string Column, ProjectValue Origin)
{
    /// <summary>The target name, taken verbatim (not through <c>--names</c>): the file names the target.</summary>
    public string? Rename { get; init; }

    /// <summary>The column is not copied (nor read from the source).</summary>
    public bool Drop { get; init; }

    /// <summary>The hash algorithm (<c>bcrypt</c>).</summary>
    public string? Hash { get; init; }

    /// <summary>The hash's cost (bcrypt's work factor); only with <see cref="Hash"/>.</summary>
    public int? Cost { get; init; }

    /// <summary>The normalization (<c>lower_trim</c>, <c>e164</c>, …).</summary>
    public string? Normalize { get; init; }

    /// <summary>The validation (<c>email</c>, <c>phone</c>, <c>ip</c>).</summary>
    public string? Validate { get; init; }

    /// <summary>The region phone numbers are read in (<c>US</c>); only with <c>validate: phone</c>.</summary>
    public string? Region { get; init; }

    /// <summary>What an invalid value becomes; only with <see cref="Validate"/> (null: the step's default).</summary>
    public TransformPolicy? Invalid { get; init; }

    /// <summary>Old value → new value, in the file's order; null when the column is not mapped.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? Map { get; init; }

    /// <summary>What a value the map lacks becomes; only with <see cref="Map"/>, not with <see cref="Default"/>.</summary>
    public TransformPolicy? Unmapped { get; init; }

    /// <summary>The value a value the map lacks becomes; only with <see cref="Map"/>, not with <see cref="Unmapped"/>.</summary>
    public string? Default { get; init; }

    /// <summary>The target type as written (<c>inet</c>, <c>jsonb</c>, <c>enum(role)</c>).</summary>
    public string? Type { get; init; }

    /// <summary>The enum type <c>type: enum(name)</c> creates from the map's values; null for another type.</summary>
    public string? EnumName => Type is { } type && type.StartsWith("enum(", StringComparison.Ordinal) ? type[5..^1].Trim() : null;

    /// <summary>Whether the column's values go through a step (anything besides a rename or a drop).</summary>
    public bool HasSteps => Hash is not null || Normalize is not null || Validate is not null || Map is not null || Type is not null;
}
