namespace Ferry.Project;

/// <summary>The project file's <c>migrations</c> section: the folder (absolute, from the project root), the history table and the lock timeout in seconds.</summary>
public sealed record MigrationsSettings(ProjectValue? Dir = null, ProjectValue? HistoryTable = null, double? LockTimeout = null)
{
    internal static readonly string[] Keys = ["dir", "history_table", "lock_timeout"];

    internal static MigrationsSettings Read(YamlMap? map) =>
        map is null ? new MigrationsSettings() : new MigrationsSettings(map.Text("dir"), map.Text("history_table"), map.Seconds("lock_timeout"));

    /// <summary>These settings with what <paramref name="over"/> (an environment's section) gives instead.</summary>
    internal MigrationsSettings With(MigrationsSettings over) =>
        new(over.Dir ?? Dir, over.HistoryTable ?? HistoryTable, over.LockTimeout ?? LockTimeout);
}
