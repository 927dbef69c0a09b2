namespace Ferry.Migrations;

/// <summary>What <see cref="Migrator.InitAsync"/> created.</summary>
public sealed record InitReport(string Directory, bool DirectoryCreated, string HistoryTable, bool TableCreated);
