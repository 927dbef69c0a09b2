using Ferry.Copy.Internal;

namespace Ferry.Types;

/// <summary>
/// One column of a batch: a typed array of values (no boxing), a null flag per row, and the binary COPY
/// writer for the column's PostgreSQL type, resolved once when the batch is created.
/// </summary>
internal abstract class ColumnSlots(int capacity)
{
    public bool[] Nulls { get; } = new bool[capacity];

    /// <summary>Writes row <paramref name="row"/>'s value (or NULL) through the direct binary COPY encoder.</summary>
    public void Write(BinaryCopyWriter writer, int row)
    {
        if (Nulls[row])
            writer.WriteNull();
        else
            WriteValue(writer, row);
    }

    protected abstract void WriteValue(BinaryCopyWriter writer, int row);

    /// <summary>The value as text, for the reject log (not on the hot path).</summary>
    public string? Render(int row) => Nulls[row] ? null : RenderValue(row);

    protected abstract string RenderValue(int row);

    /// <summary>Drops references held for a row so a flushed batch keeps nothing alive.</summary>
    public virtual void Reset() { }

    /// <summary>Forgets what row <paramref name="row"/> (the batch's last, rejected) stored beyond its slot, e.g. bytes in an arena.</summary>
    public virtual void TruncateFrom(int row) { }

    /// <summary>Whether the slots take a value given as text (a registered type read from text; not the built-in text types).</summary>
    public virtual bool TakesText => false;

    /// <summary>Stores a value given as text (see <see cref="TakesText"/>); why PostgreSQL would refuse it, or null.</summary>
    public virtual string? SetText(int row, string value) => throw new NotSupportedException($"{GetType().Name} takes no text.");
}
