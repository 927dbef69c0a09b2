namespace Ferry.Transforms;

/// <summary>What a <see cref="ColumnStep"/> made of one value: the value (changed or not), NULL, or the row rejected.</summary>
public readonly struct StepResult
{
    StepResult(StepOutcome outcome, string? reason)
    {
        Outcome = outcome;
        Reason = reason;
    }

    public StepOutcome Outcome { get; }

    /// <summary>Why the row is rejected, naming the rule (for <see cref="StepOutcome.Reject"/>); else null.</summary>
    public string? Reason { get; }

    public static StepResult Value => new(StepOutcome.Value, null);

    public static StepResult Null => new(StepOutcome.Null, null);

    public static StepResult Reject(string reason) => new(StepOutcome.Reject, reason);
}

/// <summary>See <see cref="StepResult"/>.</summary>
public enum StepOutcome
{
    /// <summary>The (possibly changed) value goes on to the next step, then to the target.</summary>
    Value,

    /// <summary>The value becomes NULL; later steps do not see it.</summary>
    Null,

    /// <summary>The row is rejected (recorded in the rejects file with the reason).</summary>
    Reject,
}
