namespace Ferry.Project;

/// <summary>The project file's <c>migrations</c> section: the folder (absolute, from the project root), the history table and the lock timeout in seconds.</summary>
public sealed record MigrationsSettings(ProjectValue? Dir = null, ProjectValue? HistoryTable = null, double? LockTimeout = null)
{
    internal static readonly string[] Keys = ["dir", "history_table", "lock_timeout"];

    internal static MigrationsSettings Read(YamlMap? map)
    {
        if (map is null)
            return new MigrationsSettings();
        double? timeout = null;
        if (map.Text("lock_timeout") is { } text)
        {
            timeout = double.TryParse(text.Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0
                ? seconds
                : throw map.Problem(map.Node("lock_timeout")!, $"{text.Key} must be a number of seconds, 0 or more, not '{text.Text}'.");
        }

        return new MigrationsSettings(map.Text("dir"), map.Text("history_table"), timeout);
    }

    /// <summary>These settings with what <paramref name="over"/> (an environment's section) gives instead.</summary>
    internal MigrationsSettings With(MigrationsSettings over) =>
        new(over.Dir ?? Dir, over.HistoryTable ?? HistoryTable, over.LockTimeout ?? LockTimeout);
}
