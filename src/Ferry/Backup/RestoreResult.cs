namespace Ferry.Backup;

/// <summary>A restore: per table whether it is proven identical to the backup; notes on what was done beyond the tables.</summary>
public sealed record RestoreResult(string Name, string? Into, IReadOnlyList<RestoredTable> Tables, IReadOnlyList<string> Notes)
{
    public bool Ok => Tables.All(t => t.Proven);

    /// <summary>The tables whose restored content differs from the backup's.</summary>
    public IEnumerable<string> Unproven => Tables.Where(t => !t.Proven).Select(t => t.Table);
}
