namespace Ferry.Verify;

/// <summary>What a table's comparison found.</summary>
public sealed class TableVerification
{
    /// <summary>The table's source name (<c>Track</c>).</summary>
    public required string Source { get; init; }

    /// <summary>The target table, schema-qualified (<c>public.track</c>).</summary>
    public required string Target { get; init; }

    public long SourceRows { get; internal set; }

    /// <summary>Null when the target table does not exist.</summary>
    public long? TargetRows { get; internal set; }

    /// <summary>Rows the source reader rejected (the copy wrote them to its reject file, not to the target): not compared.</summary>
    public long SourceRejected { get; internal set; }

    /// <summary>Which columns identify a row (target names); empty when the table has no key (multiset comparison).</summary>
    public IReadOnlyList<string> Key { get; internal set; } = [];

    /// <summary>What was compared: <c>content</c> or <c>counts</c>.</summary>
    public string Compared { get; internal set; } = "content";

    /// <summary>Differing rows, at most <see cref="VerifyOptions.MaxDifferences"/>, ordered by key.</summary>
    public List<RowDifference> Differences { get; } = [];

    /// <summary>Differing rows found (may exceed <see cref="Differences"/>; a lower bound when <see cref="Truncated"/>).</summary>
    public long DifferencesTotal { get; internal set; }

    /// <summary>More differences exist than were looked for or listed.</summary>
    public bool Truncated { get; internal set; }

    /// <summary>A table-level problem: missing in the target, a column missing there.</summary>
    public List<string> Problems { get; } = [];

    public List<IntegrityProblem> Integrity { get; } = [];

    public bool Ok => Problems.Count == 0 && Integrity.Count == 0 && DifferencesTotal == 0 && SourceRows == TargetRows;

    /// <summary>One word for the summary: <c>ok</c>, <c>missing</c>, <c>different</c>, <c>integrity</c>.</summary>
    public string Status =>
        TargetRows is null ? "missing"
        : Problems.Count > 0 || DifferencesTotal > 0 || SourceRows != TargetRows ? "different"
        : Integrity.Count > 0 ? "integrity"
        : "ok";
}
