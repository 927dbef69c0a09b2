namespace Ferry.Check.Spec;

/// <summary>
/// One expectation of a table, as one line of <c>ferry check</c>'s results reports it: its kind (<c>unique</c>), the
/// columns it is about, its severity and where the file wrote it. The kinds are the records deriving from it.
/// </summary>
public abstract record Expectation
{
    public CheckSeverity Severity { get; init; }

    /// <summary>The file that wrote it, absolute.</summary>
    public string File { get; init; } = "";

    public int Line { get; init; }

    /// <summary>Its key in the file: <c>rows</c>, <c>unique</c>, <c>not_null</c>, <c>values</c>, <c>range</c>, <c>match</c>, <c>references</c>, <c>fresh</c>, <c>sql</c>.</summary>
    public abstract string Kind { get; }

    /// <summary>The columns it is about (none for <c>rows</c> and <c>sql</c>).</summary>
    public virtual IReadOnlyList<string> Columns => [];

    /// <summary>What it expects, for people: <c>unique (market, location)</c>, <c>range capacity_mw 0..5000</c>.</summary>
    public abstract string Description { get; }

    /// <summary>Where the file wrote it: <c>ferry.yml, line 7</c>.</summary>
    public string Origin => $"{File}, line {Line}";
}
