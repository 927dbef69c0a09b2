using Ferry.Transforms;

namespace Ferry.Tests.Transforms.Steps;

/// <summary>One value through one step, as the sink gives it: what it became and why, if rejected.</summary>
internal static class Stepped
{
    public static (StepOutcome Outcome, string Value, string? Reason) Run(ColumnStep step, string value)
    {
        var result = step.Apply(ref value);
        return (result.Outcome, value, result.Reason);
    }
}
