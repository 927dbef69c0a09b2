using Ferry.Schema;

namespace Ferry.Copy;

/// <summary>What a copy did: per table, rows read = written + rejected; problems found afterwards.</summary>
public sealed class CopyResult
{
    public required string Source { get; init; }

    /// <summary>The target without its password; null for a dry run.</summary>
    public string? Target { get; init; }

    /// <summary>The target schema as created: after a table had to be profiled during the load, its plan then.</summary>
    public SchemaPlan Plan { get; internal set; } = null!;

    public bool DryRun { get; init; }

    public double Seconds { get; set; }

    public required string RejectsDirectory { get; init; }

    public List<TableCopyResult> Tables { get; } = [];

    /// <summary>Things the user should know that did not fail the copy (a view that did not translate, an index that failed…).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Things that make the copy fail (exit 1) besides rejected rows and orphans: e.g. a primary key that could not be built.</summary>
    public List<string> Failures { get; } = [];

    public List<ForeignKeyOrphans> Orphans { get; } = [];

    /// <summary>Seconds spent in each step of the pipeline (discover, create, load, keys, foreign keys, …).</summary>
    public List<PhaseTiming> Phases { get; } = [];

    public long RowsRead => Tables.Sum(t => t.RowsRead);

    public long RowsWritten => Tables.Sum(t => t.RowsWritten);

    public long RowsRejected => Tables.Sum(t => t.RowsRejected);

    /// <summary>Nothing rejected, no orphans, nothing failed.</summary>
    public bool Ok => RowsRejected == 0 && Orphans.Count == 0 && Failures.Count == 0;
}

public sealed class TableCopyResult
{
    public required string Source { get; init; }

    public required string Target { get; init; }

    public long RowsRead { get; set; }

    public long RowsWritten { get; set; }

    public long RowsRejected { get; set; }

    /// <summary>Values changed to fit and logged (invalid UTF-8 decoded as Windows-1252).</summary>
    public long RowsRepaired { get; set; }

    public double Seconds { get; set; }

    /// <summary>Finished by an earlier run and kept (<c>--resume</c>).</summary>
    public bool Resumed { get; set; }

    /// <summary>The reject file, when rows were rejected.</summary>
    public string? RejectFile { get; set; }
}

/// <summary>A foreign key whose validation failed: it stays NOT VALID; these child keys have no parent.</summary>
public sealed record ForeignKeyOrphans(string Table, string Constraint, IReadOnlyList<string> Columns, string ReferencedTable, long Rows, IReadOnlyList<string> Keys);

public sealed record PhaseTiming(string Phase, double Seconds);

/// <summary>Progress of one table's load.</summary>
public sealed record CopyProgress(string Table, long RowsRead, long RowsWritten, long RowsRejected, long? EstimatedRows, bool Finished);
