namespace Ferry.Copy;

public sealed class TableCopyResult
{
    public required string Source { get; init; }

    public required string Target { get; init; }

    /// <summary>The source's rows: those the readers gave (written or rejected) and those the table's <c>--where</c> left out.</summary>
    public long RowsRead { get; internal set; }

    public long RowsWritten { get; internal set; }

    public long RowsRejected { get; internal set; }

    /// <summary>Rows the table's filter (<c>--where</c>) left out, counted by the source's engine: read = written + rejected + filtered.</summary>
    public long RowsFiltered { get; internal set; }

    /// <summary>Whether <see cref="RowsFiltered"/> is counted (for a table kept by --resume: whether its earlier run counted it).</summary>
    internal bool FilteredCounted { get; set; }

    /// <summary>Values changed to fit and logged (invalid UTF-8 decoded as Windows-1252).</summary>
    public long RowsRepaired { get; internal set; }

    public double Seconds { get; internal set; }

    /// <summary>Finished by an earlier run and kept (<c>--resume</c>).</summary>
    public bool Resumed { get; internal set; }

    /// <summary>The reject file, when rows were rejected.</summary>
    public string? RejectFile { get; internal set; }

    /// <summary>The rejected rows grouped by column and reason, most rows first, with samples; empty when none (or resumed).</summary>
    public IReadOnlyList<RejectGroup> Rejects { get; internal set; } = [];
}
