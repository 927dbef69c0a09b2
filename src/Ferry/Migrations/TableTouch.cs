namespace Ferry.Migrations;

/// <summary>
/// One statement's touch of a table (<see cref="MigrationAnalyzer"/>). <paramref name="Column"/>: the column dropped or
/// renamed. <paramref name="NewName"/>: the table's name after a rename or <c>SET SCHEMA</c>. <paramref name="Cascade"/>:
/// <c>TRUNCATE … CASCADE</c>, which empties the tables whose foreign keys reference it too. <paramref name="SearchPath"/>:
/// the schemas of the script's own <c>SET search_path</c> in effect there (null: the session's).
/// <paramref name="Line"/>: the statement's first line in the script (1-based). <paramref name="Via"/>: resolved against a
/// database (<see cref="Migrator.TouchedTablesAsync"/>), the table whose foreign keys' <c>ON DELETE|UPDATE CASCADE|SET
/// NULL|SET DEFAULT</c> (or <c>TRUNCATE … CASCADE</c>) carry the statement to this one; null when it names this table.
/// </summary>
public sealed record TableTouch(
    ObjectName Table,
    TableTouchKind Kind,
    int Line,
    string? Column = null,
    ObjectName? NewName = null,
    bool Cascade = false,
    IReadOnlyList<string>? SearchPath = null,
    ObjectName? Via = null)
{
    /// <summary>Whether the statement destroys data that only a snapshot brings back (drops the table or a column, empties or changes rows).</summary>
    public bool LosesData => Kind is TableTouchKind.Drop or TableTouchKind.DropColumn or TableTouchKind.Truncate or TableTouchKind.Update or TableTouchKind.Delete or TableTouchKind.Merge;
}
