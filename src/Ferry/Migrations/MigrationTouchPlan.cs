namespace Ferry.Migrations;

/// <summary>
/// What the pending migrations touch (<see cref="Migrator.TouchedTablesAsync"/>): per migration, and together the
/// existing tables a backup before them keeps (<see cref="Tables"/>, in the order first touched). When a migration may
/// touch tables it does not name (a <c>DO</c> block…), <see cref="Schemas"/> holds the schemas to back up whole instead:
/// the session's search_path (the history table's schema when that is empty).
/// </summary>
public sealed record MigrationTouchPlan(IReadOnlyList<MigrationTouches> Migrations, IReadOnlyList<ObjectName> Tables, IReadOnlyList<string> Schemas)
{
    public bool TouchesUnknownTables => Migrations.Any(m => m.Unknown.Count > 0);
}
