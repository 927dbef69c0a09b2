using Ferry.Schema;

namespace Ferry.Transforms;

/// <summary>
/// A change made to one column's values between the source's reader and the target: the copy writes what the steps
/// give, and verify hashes the source's values after the same steps, so a transformed copy verifies identical.
/// A step kind is one class deriving from this; a <see cref="PlannedColumn"/> lists its steps in order, and
/// <c>--dry-run</c> shows each step's <see cref="Description"/> in the column's notes. One instance serves every
/// reader of the table, in parallel: a step keeps no per-value state.
/// </summary>
public abstract class ColumnStep
{
    /// <summary>What the step does, as <c>--dry-run</c> shows it (e.g. "upper-cased").</summary>
    public abstract string Description { get; }

    /// <summary>Whether the step takes values of a column of <paramref name="type"/>; the planner refuses it on one it does not.</summary>
    public abstract bool Accepts(PgType type);

    /// <summary>
    /// The step on one text value (text, varchar, char, json, enum columns): <paramref name="value"/> replaced by what
    /// the step makes of it, or the value made NULL, or the row rejected for a reason naming the rule (never the value
    /// of a <see cref="Masks"/> step). By default, <see cref="Text"/>'s value.
    /// </summary>
    public virtual StepResult Apply(ref string value)
    {
        value = Text(value);
        return StepResult.Value;
    }

    /// <summary>A text value after the step, for a step that only changes values (see <see cref="Apply"/>).</summary>
    public virtual string Text(string value) => value;

    /// <summary>The column's type after the step (<c>validate: ip</c> gives <c>inet</c>); null when the step keeps the planned type.</summary>
    public virtual PgType? ResultType(PgType planned) => null;

    /// <summary>
    /// The step costs far more than reading a value (a password hash): a table with one is split into as many ranges as
    /// the copy has jobs, whatever its size, so the step runs on every core.
    /// </summary>
    public virtual bool Expensive => false;

    /// <summary>
    /// Whether a value the step lets through is the value it was given, of the same type (a validation that rewrites
    /// nothing): a check constraint on the column still holds after the step. Otherwise such a check is not made.
    /// </summary>
    public virtual bool KeepsValues => false;

    /// <summary>The column's source values are secret (a password): never written to a rejects file, a log or a report.</summary>
    public virtual bool Masks => false;

    /// <summary>
    /// Whether the same value always gives the same result, so verify applies the step to the source side and compares.
    /// A step that is not (a salted hash) says instead whether a target value <see cref="Matches"/> its source value.
    /// </summary>
    public virtual bool Deterministic => true;

    /// <summary>For a step that is not <see cref="Deterministic"/>: whether <paramref name="target"/> is what the step could make of <paramref name="source"/>.</summary>
    public virtual bool Matches(string source, string target) => string.Equals(Text(source), target, StringComparison.Ordinal);
}
