namespace Ferry.Migrations;

/// <summary>
/// What one pending migration touches, resolved against the target's catalog (<see cref="Migrator.TouchedTablesAsync"/>):
/// <see cref="Touches"/> with schema-qualified names (tables its foreign keys' cascades reach too, with
/// <see cref="TableTouch.Via"/>); <see cref="Tables"/>, the tables that exist now among them (what a backup before it
/// keeps); <see cref="Created"/>, what it creates; <see cref="NotFound"/>, names that neither exist nor are created by a
/// pending migration (so nothing of them can be kept); <see cref="Unknown"/>, why it may touch tables it does not name.
/// </summary>
public sealed record MigrationTouches(
    string? Version,
    string Name,
    string File,
    IReadOnlyList<TableTouch> Touches,
    IReadOnlyList<ObjectName> Tables,
    IReadOnlyList<CreatedObject> Created,
    IReadOnlyList<ObjectName> NotFound,
    IReadOnlyList<string> Unknown);
