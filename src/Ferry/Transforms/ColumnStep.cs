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

    /// <summary>A text value (text, varchar, char, json, enum columns) after the step.</summary>
    public virtual string Text(string value) => value;
}
