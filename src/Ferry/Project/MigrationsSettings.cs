using System.Globalization;

namespace Ferry.Project;

/// <summary>The project file's <c>migrations</c> section: the folder (relative to the project root), the history table and the lock timeout in seconds.</summary>
public sealed record MigrationsSettings(ProjectValue? Dir = null, ProjectValue? HistoryTable = null, ProjectValue? LockTimeout = null)
{
    internal static readonly string[] Keys = ["dir", "history_table", "lock_timeout"];

    /// <summary>The lock timeout in seconds (checked when the file was read).</summary>
    public double? LockTimeoutSeconds => LockTimeout is null ? null : double.Parse(LockTimeout.Text, CultureInfo.InvariantCulture);

    internal static MigrationsSettings Read(YamlMap? map)
    {
        if (map is null)
            return new MigrationsSettings();
        _ = map.Seconds("lock_timeout");
        return new MigrationsSettings(map.Text("dir"), map.Text("history_table"), map.Text("lock_timeout"));
    }

    /// <summary>These settings with what <paramref name="over"/> (an environment's section) gives instead.</summary>
    internal MigrationsSettings With(MigrationsSettings over) =>
        new(over.Dir ?? Dir, over.HistoryTable ?? HistoryTable, over.LockTimeout ?? LockTimeout);

    internal IEnumerable<ProjectValue?> Values => [Dir, HistoryTable, LockTimeout];
}
