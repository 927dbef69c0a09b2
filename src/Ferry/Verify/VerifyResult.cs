namespace Ferry.Verify;

/// <summary>The outcome of a verification: one entry per source table.</summary>
public sealed class VerifyResult
{
    public required IReadOnlyList<TableVerification> Tables { get; init; }

    /// <summary>Every table is identical and free of integrity problems.</summary>
    public bool Ok => Tables.All(t => t.Ok);
}

/// <summary>What a table's comparison found.</summary>
public sealed class TableVerification
{
    /// <summary>The table's source name (<c>Track</c>).</summary>
    public required string Source { get; init; }

    /// <summary>The target table, schema-qualified (<c>public.track</c>).</summary>
    public required string Target { get; init; }

    public long SourceRows { get; set; }

    /// <summary>Null when the target table does not exist.</summary>
    public long? TargetRows { get; set; }

    /// <summary>Rows the source reader rejected (the copy wrote them to its reject file, not to the target): not compared.</summary>
    public long SourceRejected { get; set; }

    /// <summary>Which columns identify a row (target names); empty when the table has no key (multiset comparison).</summary>
    public IReadOnlyList<string> Key { get; set; } = [];

    /// <summary>What was compared: <c>content</c> or <c>counts</c>.</summary>
    public string Compared { get; set; } = "content";

    /// <summary>Differing rows, at most <see cref="VerifyOptions.MaxDifferences"/>, ordered by key.</summary>
    public List<RowDifference> Differences { get; } = [];

    /// <summary>Differing rows found (may exceed <see cref="Differences"/>; a lower bound when <see cref="Truncated"/>).</summary>
    public long DifferencesTotal { get; set; }

    /// <summary>More differences exist than were looked for or listed.</summary>
    public bool Truncated { get; set; }

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

/// <summary>The kinds of <see cref="RowDifference"/>.</summary>
public static class DifferenceKind
{
    /// <summary>The key is in both, the values differ.</summary>
    public const string Changed = "changed";

    /// <summary>In the source, not in the target.</summary>
    public const string Missing = "missing";

    /// <summary>In the target, not in the source.</summary>
    public const string Extra = "extra";
}

/// <summary>
/// A differing row: its key (target column → value: numbers for integer columns, else canonical text), or for a
/// table without a key the row's canonical text and how many copies differ.
/// </summary>
public sealed record RowDifference(IReadOnlyDictionary<string, object?>? Key, string Kind, string? Row = null, long Count = 1);

/// <summary>A broken relationship or a duplicated key in the target.</summary>
public sealed record IntegrityProblem(
    string Kind,
    string Constraint,
    IReadOnlyList<string> Columns,
    string? References,
    long Count,
    IReadOnlyList<IReadOnlyDictionary<string, object?>> Sample)
{
    /// <summary>Rows whose foreign key values have no referenced row.</summary>
    public const string Orphans = "orphans";

    /// <summary>Values of a declared primary or unique key that occur more than once.</summary>
    public const string Duplicates = "duplicates";
}
