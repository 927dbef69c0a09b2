namespace Ferry.Migrations;

/// <summary>Every migration, from the folder and the history table together.</summary>
public sealed record MigrationStatusReport(string HistoryTable, IReadOnlyList<MigrationStatusEntry> Migrations)
{
    /// <summary>Entries that make <c>validate</c> fail: changed, missing or failed.</summary>
    public IReadOnlyList<MigrationStatusEntry> Problems =>
        Migrations.Where(m => m.State is MigrationState.Changed or MigrationState.Missing or MigrationState.Failed).ToList();
}
