namespace Ferry.Project;

/// <summary>
/// One environment of the project file (dev, staging, prod): its database (none: the managed local cluster), whether
/// it is protected, and the sections as it sees them (the file's, with what it overrides).
/// </summary>
public sealed record ProjectEnvironment(string Name, ProjectValue? Database, bool Protected, MigrationsSettings Migrations, CopySettings Copy)
{
    internal static readonly string[] Keys = ["database", "protected", "migrations", "copy", "transform", "expect"];

    /// <summary>The transform it copies with: the file's tables, each one it names replaced by its own (docs/transform.md).</summary>
    public Transforms.Spec.TransformSpec Transform { get; init; } = Transforms.Spec.TransformSpec.Empty;

    /// <summary>The expectations it checks: the file's tables, each one it names (in a stage) replaced by its own (docs/check.md).</summary>
    public Check.Spec.ExpectationSpec Expect { get; init; } = Check.Spec.ExpectationSpec.Empty;

    /// <summary>
    /// The settings it runs with, each as written (a reference, never its value; a password the file holds masked) and
    /// where it comes from.
    /// </summary>
    public IEnumerable<ProjectSetting> Settings()
    {
        yield return Database is null
            ? new ProjectSetting("database", "(none: the managed local cluster, unless --database, DATABASE_URL, POSTGRES_* or PG* name one)", "default")
            : new ProjectSetting("database", Shown(Database.Text), OriginOf(Database));
        yield return new ProjectSetting("protected", Protected ? "true" : "false", Protected ? "file" : "default");
        foreach (var value in Migrations.Values.Concat(Copy.Values).OfType<ProjectValue>())
            yield return new ProjectSetting(Local(value.Key), value.Text, OriginOf(value));
    }

    /// <summary>The value's file and line, and what its references read: <c>…, reads STAGING_URL</c>.</summary>
    static string OriginOf(ProjectValue value) =>
        value.Reads.ToList() is { Count: > 0 } reads ? $"{value.Origin}, reads {string.Join(", ", reads)}" : value.Origin;

    /// <summary>A key as the environment sees it: <c>environments.prod.migrations.lock_timeout</c> is its <c>migrations.lock_timeout</c>.</summary>
    string Local(string key) => key.StartsWith($"environments.{Name}.", StringComparison.Ordinal) ? key[$"environments.{Name}.".Length..] : key;

    /// <summary>A connection as written, its password masked when the file holds one (<c>allow_plaintext_secrets</c>).</summary>
    static string Shown(string text) => ProjectSecrets.HoldsLiteralPassword(text) ? Connections.Redaction.RedactText(text) : text;
}

/// <summary>A setting of an environment as <c>ferry env show</c> prints it: its key, its value as written, and its origin.</summary>
public sealed record ProjectSetting(string Key, string Value, string Origin);
