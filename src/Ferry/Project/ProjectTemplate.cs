namespace Ferry.Project;

/// <summary>
/// <c>ferry init</c>'s project file: commented, for a folder, with its migrations folder and its application database
/// (a SQLite or DuckDB file) when it has them.
/// </summary>
public static class ProjectTemplate
{
    /// <summary>What <see cref="Write"/> made: the file, and what it found in the folder (null for what it did not).</summary>
    public sealed record Written(string Path, string? MigrationsDir, string? Source);

    /// <summary>Writes <c>ferry.yml</c> in <paramref name="folder"/>; refused when the folder has one.</summary>
    public static Written Write(string folder)
    {
        var root = System.IO.Path.GetFullPath(folder);
        var path = System.IO.Path.Combine(root, FerryProject.FileName);
        if (File.Exists(path))
            throw new FerryException($"{path} exists already: edit it, or remove it to write a new one.", FailureKind.Configuration);
        var migrations = new[] { "migrations", "db/migrations", "db/migrate", "sql/migrations" }.FirstOrDefault(d => Directory.Exists(System.IO.Path.Combine(root, d)));
        var source = Directory.EnumerateFiles(root)
            .Select(System.IO.Path.GetFileName)
            .Order(StringComparer.Ordinal)
            .Select(f => System.IO.Path.GetExtension(f) switch
            {
                ".db" or ".sqlite" or ".sqlite3" => "sqlite:" + f,
                ".duckdb" => "duckdb:" + f,
                _ => null,
            })
            .FirstOrDefault(s => s is not null);
        File.WriteAllText(path, $$"""
            # Ferry's project file: the databases this project runs against (docs/project.md).
            # Values may read ${VAR}, ${VAR:-default} and ${file:/run/secrets/x}; never write a password here.
            default_environment: dev

            migrations:
              dir: {{migrations ?? "migrations"}}                 # relative to this file's folder
              # history_table: public.schema_migrations
              # lock_timeout: 60

            environments:
              dev: {}                           # no database: the managed local cluster in .ferry/postgres
              # staging:
              #   database: "${STAGING_DATABASE_URL}"
              # prod:
              #   database: "${PROD_DATABASE_URL}"
              #   protected: true              # migrate down, repair, baseline and copy --replace ask first

            {{(source is null ? "# copy:\n#   source: \"sqlite:app.db\"\n" : $"copy:\n  source: \"{source}\"\n")}}
            """.Replace("\n\n\n", "\n\n", StringComparison.Ordinal));
        return new Written(path, migrations, source);
    }
}
