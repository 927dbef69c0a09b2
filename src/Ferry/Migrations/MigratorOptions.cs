namespace Ferry.Migrations;

/// <summary>How a runner finds its migrations and history, and what it may do.</summary>
public sealed record MigratorOptions
{
    /// <summary>The default history table.</summary>
    public const string DefaultHistoryTable = "public.schema_migrations";

    /// <summary>The migrations folder (default <c>migrations</c>, relative to the current directory).</summary>
    public string Directory { get; init; } = "migrations";

    /// <summary><c>schema.table</c> or <c>table</c> (in <c>public</c>).</summary>
    public string HistoryTable { get; init; } = DefaultHistoryTable;

    /// <summary>How long to wait for another runner's lock before giving up (default 60 s).</summary>
    public TimeSpan LockTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Run <c>up</c> even when applied files were edited or removed.</summary>
    public bool IgnoreDrift { get; init; }

    /// <summary>Apply a pending file whose version is older than the newest applied one.</summary>
    public bool AllowOutOfOrder { get; init; }
}
