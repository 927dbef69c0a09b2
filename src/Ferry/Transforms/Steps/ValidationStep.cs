using Ferry.Schema;

namespace Ferry.Transforms.Steps;

/// <summary>
/// A <c>validate:</c> step: a valid value goes on (rewritten where the rule has a canonical form), an invalid one is
/// rejected, made NULL or kept, as its <c>invalid:</c> policy says. A NULL value never reaches a step: it stays NULL.
/// </summary>
public abstract class ValidationStep : ColumnStep
{
    readonly string _reason;

    /// <param name="rule">The rule's name in the YAML (<c>email</c>).</param>
    /// <param name="invalid">What becomes of an invalid value.</param>
    /// <param name="problem">What an invalid value is, for the reject reason ("not a valid e-mail address (WHATWG HTML)").</param>
    private protected ValidationStep(string rule, ValuePolicy invalid, string problem)
    {
        Rule = rule;
        Invalid = invalid;
        _reason = $"validate {rule}: {problem}";
    }

    /// <summary>The rule's name, as <c>validate:</c> gives it.</summary>
    public string Rule { get; }

    public ValuePolicy Invalid { get; }

    public override string Description => $"validate {Rule}{Detail} (invalid: {TextColumns.Name(Invalid)})";

    /// <summary>What the description adds after the rule's name (" US → E.164").</summary>
    private protected virtual string Detail => "";

    public override bool Accepts(PgType type) => TextColumns.Accepts(type);

    /// <summary>A valid value goes on as it was unless the rule rewrites it or the column changes type; an invalid one is kept or made NULL (which a check lets through).</summary>
    public override bool KeepsValues => !Rewrites;

    /// <summary>Whether a valid value is replaced by its canonical form, or the column's type changes.</summary>
    private protected virtual bool Rewrites => false;

    public override StepResult Apply(ref string value)
    {
        if (Validate(ref value))
            return StepResult.Value;
        return Invalid switch
        {
            ValuePolicy.Reject => StepResult.Reject(_reason),
            ValuePolicy.Null => StepResult.Null,
            _ => StepResult.Value,
        };
    }

    /// <summary>What a valid value becomes; an invalid one unchanged (its policy is <see cref="Apply"/>'s).</summary>
    public override string Text(string value)
    {
        Validate(ref value);
        return value;
    }

    /// <summary>Whether <paramref name="value"/> is valid; a valid one may be replaced by its canonical form, an invalid one is left as it was.</summary>
    private protected abstract bool Validate(ref string value);
}
