using Ferry.Project;

namespace Ferry.Tests.Project;

/// <summary>The project file read through the library: found from a subfolder, checked strictly, its references read when used.</summary>
public sealed class FerryProjectTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("ferry-project-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Write(string yaml)
    {
        var path = Path.Combine(_root, FerryProject.FileName);
        File.WriteAllText(path, yaml);
        return path;
    }

    const string ThreeEnvironments = """
        default_environment: dev
        migrations: { dir: db/migrations, history_table: public.schema_migrations }
        environments:
          dev:     {}                                  # the managed local cluster
          staging: { database: "${STAGING_DATABASE_URL}" }
          prod:    { database: "postgres://app:${PROD_PASSWORD}@db.internal/app", protected: true,
                     migrations: { lock_timeout: 10 } }
        copy: { source: "sqlite:dev.db", names: snake, jobs: 4 }
        """;

    [Fact]
    public void The_nearest_file_is_found_from_a_subfolder_and_its_root_resolves_paths()
    {
        var path = Write(ThreeEnvironments);
        var deep = Directory.CreateDirectory(Path.Combine(_root, "src", "app")).FullName;

        Assert.Equal(path, FerryProject.Find(deep));
        var project = FerryProject.Load(FerryProject.Find(deep)!);
        Assert.Equal(_root, project.Root);
        Assert.Equal(Path.Combine(_root, "db", "migrations"), project.ResolvePath(project.Migrations.Dir!.Text));
        Assert.Null(FerryProject.Find(Path.GetTempPath() + "/../"));
    }

    [Fact]
    public void Environments_take_the_files_sections_with_their_own_overrides()
    {
        var project = FerryProject.Load(Write(ThreeEnvironments));

        Assert.Equal(["dev", "staging", "prod"], project.Environments.Keys);
        var dev = project.Environment(null)!;
        Assert.Equal(("dev", null, false, null), (dev.Name, dev.Database, dev.Protected, dev.Migrations.LockTimeoutSeconds));
        var prod = project.Environment("prod")!;
        Assert.True(prod.Protected);
        Assert.Equal((10d, "public.schema_migrations", 4, "snake"), (prod.Migrations.LockTimeoutSeconds!.Value, prod.Migrations.HistoryTable!.Text, prod.Copy.JobCount!.Value, prod.Copy.Names!.Text));
        var unknown = Assert.Throws<FerryException>(() => project.Environment("production"));
        Assert.Contains("no environment 'production'. Its environments are: dev, staging, prod", unknown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void References_read_variables_defaults_and_files_and_a_missing_variable_names_itself_and_its_line()
    {
        var secret = Path.Combine(_root, "db_password");
        File.WriteAllText(secret, "Zq7xWv4k\n");
        var project = FerryProject.Load(Write($$"""
            environments:
              a: { database: "postgres://app:${file:{{secret}}}@${DB_HOST:-localhost}:5432/${DB_NAME}" }
              b: { database: "${MISSING_URL}" }
            """));
        var variables = new Dictionary<string, string> { ["DB_NAME"] = "app$1" };

        Assert.Equal("postgres://app:Zq7xWv4k@localhost:5432/app$1", project.Environments["a"].Database!.Resolve(n => variables.GetValueOrDefault(n)));
        var missing = Assert.Throws<FerryException>(() => project.Environments["b"].Database!.Resolve(n => variables.GetValueOrDefault(n)));
        Assert.Equal($"{project.Path}, line 3 (environments.b.database) needs the environment variable MISSING_URL, which is not set. Set it (or give a default: ${{MISSING_URL:-…}}).", missing.Message);
    }

    [Theory]
    [InlineData("postgres://app:Zq7xWv4k@db/app")]
    [InlineData("host=db dbname=app password=Zq7xWv4k")]
    [InlineData("Host=db;Database=app;Password=Zq7xWv4k")]
    public void A_password_written_in_the_file_is_refused_naming_its_line_unless_allowed(string database)
    {
        var path = Write($"environments:\n  dev: {{}}\n  prod:\n    database: \"{database}\"\n");

        var refused = Assert.Throws<FerryException>(() => FerryProject.Load(path));

        Assert.StartsWith($"{path}, line 4 (environments.prod.database) holds a password written in the file.", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Zq7xWv4k", refused.Message, StringComparison.Ordinal);
        File.WriteAllText(path, $"allow_plaintext_secrets: true\nenvironments:\n  prod:\n    database: \"{database}\"\n");
        Assert.Equal(database, FerryProject.Load(path).Environments["prod"].Database!.Text);
        File.WriteAllText(path, "environments:\n  prod:\n    database: \"postgres://app:${DB_PASSWORD}@db/app\"\n");
        Assert.NotNull(FerryProject.Load(path).Environments["prod"].Database);
    }

    [Theory]
    [InlineData("migration: { dir: x }\n", 1, "unknown key 'migration' in the file: did you mean 'migrations'?")]
    [InlineData("environments:\n  prod:\n    protect: true\n", 3, "unknown key 'protect' in environments.prod: did you mean 'protected'?")]
    [InlineData("migrations:\n  dir: x\n  lock_timout: 3\n", 3, "unknown key 'lock_timout' in migrations: did you mean 'lock_timeout'?")]
    [InlineData("copy: { jobs: many }\n", 1, "copy.jobs must be a whole number, 1 or more, not 'many'.")]
    [InlineData("default_environment: prod\nenvironments: { dev: {} }\n", 1, "no environment is named 'prod'. The file's environments are: dev.")]
    [InlineData("environments:\n  - dev\n", 2, "environments must be a mapping of keys (key: value), not a list.")]
    public void A_wrong_key_or_value_is_refused_with_its_line_and_what_to_write(string yaml, int line, string problem)
    {
        var path = Write(yaml);

        var refused = Assert.Throws<FerryException>(() => FerryProject.Load(path));

        Assert.Contains($"{path}, line {line}", refused.Message, StringComparison.Ordinal);
        Assert.Contains(problem, refused.Message, StringComparison.Ordinal);
    }
}
