namespace Ferry.Transforms.Spec;

/// <summary>What a column step does with a value it cannot take (<c>invalid:</c>, <c>unmapped:</c>).</summary>
public enum TransformPolicy
{
    /// <summary>The row is rejected, naming the rule and the value.</summary>
    Reject,

    /// <summary>The value becomes NULL.</summary>
    Null,

    /// <summary>The value is kept as it is.</summary>
    Keep,
}
