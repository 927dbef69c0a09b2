namespace Ferry.Project;

/// <summary>
/// <c>ferry init</c>'s project file: commented, for a folder, with its migrations folder and its application database
/// (a SQLite or DuckDB file) when it has them.
/// </summary>
public static class ProjectTemplate
{
    /// <summary>What <see cref="Write"/> made: the file, and what it found in the folder (null for what it did not).</summary>
    public sealed record Written(string Path, string? MigrationsDir, string? Source);

    /// <summary>
    /// Writes <c>ferry.yml</c> in <paramref name="folder"/>; refused when the folder has one. <paramref name="migrationsDir"/>
    /// (a folder, absolute or relative to <paramref name="folder"/>) and <paramref name="historyTable"/> are what the caller
    /// already uses (<c>ferry migrate init --dir … --history-table …</c>); without them the folder is searched.
    /// </summary>
    public static Written Write(string folder, string? migrationsDir = null, string? historyTable = null)
    {
        var root = System.IO.Path.GetFullPath(folder);
        var path = System.IO.Path.Combine(root, FerryProject.FileName);
        if (File.Exists(path))
            throw new FerryException($"{path} exists already: edit it, or remove it to write a new one.", FailureKind.Configuration);
        var migrations = migrationsDir is not null
            ? RelativeTo(root, migrationsDir)
            : new[] { "migrations", "db/migrations", "db/migrate", "sql/migrations" }.FirstOrDefault(d => Directory.Exists(System.IO.Path.Combine(root, d)));
        var history = historyTable is null || historyTable == Migrations.MigratorOptions.DefaultHistoryTable
            ? "# history_table: " + Migrations.MigratorOptions.DefaultHistoryTable
            : "history_table: " + Quoted(historyTable);
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
              dir: {{Quoted(migrations ?? "migrations")}}                 # relative to this file's folder
              {{history}}
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

    /// <summary><paramref name="path"/> relative to <paramref name="root"/> with forward slashes when it is inside it, else absolute.</summary>
    static string RelativeTo(string root, string path)
    {
        var full = System.IO.Path.GetFullPath(path, root);
        var relative = System.IO.Path.GetRelativePath(root, full);
        return relative == ".." || relative.StartsWith(".." + System.IO.Path.DirectorySeparatorChar, StringComparison.Ordinal) || System.IO.Path.IsPathRooted(relative)
            ? full
            : relative.Replace(System.IO.Path.DirectorySeparatorChar, '/');
    }

    /// <summary>A YAML scalar: plain when it is safe so, else double-quoted.</summary>
    static string Quoted(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.' or '/') && !value.StartsWith('-')
            ? value
            : "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
