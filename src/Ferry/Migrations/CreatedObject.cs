namespace Ferry.Migrations;

/// <summary>
/// An object a migration statement creates (<see cref="MigrationAnalyzer"/>): a rollback by snapshot drops it, and a
/// backup before the migration has nothing of it to keep. <paramref name="MayExist"/>: <c>IF NOT EXISTS</c> or
/// <c>OR REPLACE</c>, so an object of that name already there is kept, not created. <paramref name="SearchPath"/> and
/// <paramref name="Line"/> as in <see cref="TableTouch"/>.
/// </summary>
public sealed record CreatedObject(ObjectName Name, CreatedObjectKind Kind, int Line, bool MayExist = false, IReadOnlyList<string>? SearchPath = null);
