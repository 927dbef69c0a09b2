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

    public double Seconds { get; internal set; }

    public required string RejectsDirectory { get; init; }

    public List<TableCopyResult> Tables { get; } = [];

    /// <summary>What this run created in the target (empty for a dry run).</summary>
    public CreatedByCopy Created { get; } = new();

    /// <summary>--replace: the tables, views and types (<c>schema.name</c>) the target had that the run dropped and created again.</summary>
    public List<string> Replaced { get; } = [];

    /// <summary>What the user's own options did (a filter, a rename, a derived table): told as plain notes.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Things the user should know that did not fail the copy (a view that did not translate, an index that failed…).</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Things that make the copy fail (exit 1) besides rejected rows and orphans: e.g. a primary key that could not be built.</summary>
    public List<string> Failures { get; } = [];

    public List<ForeignKeyOrphans> Orphans { get; } = [];

    /// <summary>Seconds spent in each step of the pipeline (discover, create, load, keys, foreign keys, …).</summary>
    public List<PhaseTiming> Phases { get; } = [];

    public long RowsRead => Tables.Sum(t => t.RowsRead);

    public long RowsFiltered => Tables.Sum(t => t.RowsFiltered);

    public long RowsWritten => Tables.Sum(t => t.RowsWritten);

    public long RowsRejected => Tables.Sum(t => t.RowsRejected);

    /// <summary>Nothing rejected, no orphans, nothing failed.</summary>
    public bool Ok => RowsRejected == 0 && Orphans.Count == 0 && Failures.Count == 0;
}
