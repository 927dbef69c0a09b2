namespace Ferry.Transforms.Steps;

/// <summary>The forms of <c>normalize:</c> on text (see <see cref="NormalizeStep"/>; <c>e164</c> is <see cref="ValidatePhoneStep"/>'s).</summary>
public enum TextNormalization
{
    /// <summary><c>lower_trim</c>: trimmed, then lower-cased.</summary>
    LowerTrim,

    /// <summary><c>trim</c>: Unicode whitespace removed at both ends.</summary>
    Trim,

    /// <summary><c>lower</c>.</summary>
    Lower,

    /// <summary><c>upper</c>.</summary>
    Upper,
}
