namespace Ferry.Transforms.Steps;

/// <summary>
/// What becomes of a value a step cannot take: an invalid one (<c>invalid:</c> of a validation) or one with no
/// mapping (<c>unmapped:</c> of a map).
/// </summary>
public enum ValuePolicy
{
    /// <summary>The row is rejected, with a reason naming the rule.</summary>
    Reject,

    /// <summary>The value becomes NULL.</summary>
    Null,

    /// <summary>The value is kept as it is.</summary>
    Keep,
}
