namespace Ferry.Project;

/// <summary>
/// One environment of the project file (dev, staging, prod): its database (none: the managed local cluster), whether
/// it is protected, and the sections as it sees them (the file's, with what it overrides).
/// </summary>
public sealed record ProjectEnvironment(string Name, ProjectValue? Database, bool Protected, MigrationsSettings Migrations, CopySettings Copy)
{
    internal static readonly string[] Keys = ["database", "protected", "migrations", "copy"];
}
