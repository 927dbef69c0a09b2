using Ferry.Project;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Project;

/// <summary>The command line takes its target from the project file's environment, in its place in the precedence, and shows no secret.</summary>
public sealed class ProjectCliTests : IDisposable
{
    const string Secret = "Zq7xWv4k";

    readonly string _root = Directory.CreateTempSubdirectory("ferry-project-cli-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Subfolder()
    {
        File.WriteAllText(Path.Combine(_root, FerryProject.FileName), """
            default_environment: dev
            environments:
              dev: {}
              staging: { database: "${STAGING_URL}", migrations: { lock_timeout: 5 } }
              prod:    { database: "postgres://app:${PROD_PASSWORD}@db.internal/app", protected: true }
            migrations: { dir: db/migrations }
            """);
        return Directory.CreateDirectory(Path.Combine(_root, "src", "deep")).FullName;
    }

    [Fact]
    public async Task Env_list_and_show_run_from_a_subfolder_and_print_references_never_their_values()
    {
        var folder = Subfolder();
        var environment = new Dictionary<string, string> { ["PROD_PASSWORD"] = Secret, ["STAGING_URL"] = $"postgres://app:{Secret}@staging/app" };

        var list = await CliRunner.RunAsync(environment, folder, "env", "list", "--json");
        var show = await CliRunner.RunAsync(environment, folder, "env", "show", "prod");
        var showJson = await CliRunner.RunAsync(environment, folder, "env", "show", "staging", "--json");

        foreach (var result in new[] { list, show, showJson })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.DoesNotContain(Secret, result.Stdout + result.Stderr, StringComparison.Ordinal);
        }

        var environments = list.Json().GetProperty("environments").EnumerateArray().ToList();
        Assert.Equal(["dev", "staging", "prod"], environments.Select(e => e.GetProperty("name").GetString()));
        Assert.Equal("postgres://app:${PROD_PASSWORD}@db.internal/app", environments[2].GetProperty("database").GetString());
        Assert.True(environments[2].GetProperty("protected").GetBoolean());
        Assert.True(environments[0].GetProperty("default").GetBoolean());
        var settings = showJson.Json().GetProperty("settings").EnumerateArray().ToDictionary(s => s.GetProperty("key").GetString()!, s => (s.GetProperty("value").GetString(), s.GetProperty("origin").GetString()));
        Assert.Equal(("${STAGING_URL}", $"{Path.Combine(_root, FerryProject.FileName)}, line 4 (environments.staging.database), reads STAGING_URL"), settings["database"]);
        Assert.Equal("5", settings["migrations.lock_timeout"].Item1);
        Assert.Equal("db/migrations", settings["migrations.dir"].Item1);
    }

    [Fact]
    public async Task The_environments_database_comes_after_the_command_line_and_before_DATABASE_URL()
    {
        var folder = Subfolder();
        await using var staging = await TestCluster.CreateDatabaseAsync("env_staging");
        await using var fromUrl = await TestCluster.CreateDatabaseAsync("env_url");
        await using var given = await TestCluster.CreateDatabaseAsync("env_given");
        var environment = new Dictionary<string, string> { ["STAGING_URL"] = staging.Url, ["DATABASE_URL"] = fromUrl.Url };

        async Task<string> DatabaseOf(Dictionary<string, string> variables, params string[] args)
        {
            var result = await CliRunner.RunAsync(variables, folder, ["doctor", "--json", .. args]);
            Assert.True(result.ExitCode == 0, result.ToString());
            return result.Json().GetProperty("database").GetString()!;
        }

        Assert.Equal(given.Name, await DatabaseOf(environment, "--env", "staging", "--database", given.Url));
        Assert.Equal(staging.Name, await DatabaseOf(environment, "--env", "staging"));
        Assert.Equal(staging.Name, await DatabaseOf(new(environment) { ["FERRY_ENV"] = "staging" }));
        Assert.Equal(fromUrl.Name, await DatabaseOf(environment)); // dev, the default, names no database
    }

    [Fact]
    public async Task A_missing_variable_an_unknown_environment_and_env_without_a_project_are_refused_before_connecting()
    {
        var folder = Subfolder();

        var missing = await CliRunner.RunAsync(new Dictionary<string, string>(), folder, "doctor", "--env", "staging");
        var unknown = await CliRunner.RunAsync(new Dictionary<string, string>(), folder, "doctor", "--env", "production");
        var noProject = await CliRunner.RunAsync(new Dictionary<string, string>(), _root + "/..", "doctor", "--env", "prod");

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("line 4 (environments.staging.database) needs the environment variable STAGING_URL, which is not set", missing.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("has no environment 'production'. Its environments are: dev, staging, prod", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, noProject.ExitCode);
        Assert.Contains("--env prod: no ferry.yml in", noProject.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_takes_its_folder_and_history_table_from_the_environment_and_the_command_line_beats_them()
    {
        File.WriteAllText(Path.Combine(_root, FerryProject.FileName), """
            environments:
              dev: { database: "${DEV_URL}", migrations: { history_table: app.migrations_done } }
            default_environment: dev
            migrations: { dir: db/migrations, lock_timeout: 5 }
            """);
        var migrations = Directory.CreateDirectory(Path.Combine(_root, "db", "migrations")).FullName;
        File.WriteAllText(Path.Combine(migrations, "001_create_t.up.sql"), "CREATE TABLE t (id int);\n");
        var folder = Directory.CreateDirectory(Path.Combine(_root, "src")).FullName;
        await using var db = await TestCluster.CreateDatabaseAsync("env_migrate");
        var environment = new Dictionary<string, string> { ["DEV_URL"] = db.Url };

        var up = await CliRunner.RunAsync(environment, folder, "migrate", "up", "--json");

        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM app.migrations_done"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 't'"));
        var given = await CliRunner.RunAsync(environment, folder, "migrate", "status", "--json", "--history-table", "public.other_history");
        Assert.True(given.ExitCode == 0, given.ToString());
        Assert.Equal("public.other_history", given.Json().GetProperty("history_table").GetString());
    }

    [Fact]
    public async Task A_protected_environment_refuses_migrate_down_without_a_terminal_unless_yes_is_given()
    {
        File.WriteAllText(Path.Combine(_root, FerryProject.FileName), """
            environments:
              prod: { database: "${PROD_URL}", protected: true }
            migrations: { dir: migrations }
            """);
        var migrations = Directory.CreateDirectory(Path.Combine(_root, "migrations")).FullName;
        File.WriteAllText(Path.Combine(migrations, "001_create_t.up.sql"), "CREATE TABLE t (id int);\n");
        File.WriteAllText(Path.Combine(migrations, "001_create_t.down.sql"), "DROP TABLE t;\n");
        await using var db = await TestCluster.CreateDatabaseAsync("env_protected");
        var environment = new Dictionary<string, string> { ["PROD_URL"] = db.Url, ["FERRY_ENV"] = "prod" };
        Assert.Equal(0, (await CliRunner.RunAsync(environment, _root, "migrate", "up")).ExitCode);

        var refused = await CliRunner.RunAsync(environment, _root, "migrate", "down");
        using var file = new Ferry.Tests.Sqlite.SqliteTestFile("CREATE TABLE s (id INTEGER PRIMARY KEY)");
        var replace = await CliRunner.RunAsync(environment, _root, "copy", "sqlite:" + file.Path, "--replace");

        Assert.Equal(2, refused.ExitCode);
        Assert.Contains("ferry migrate down on the protected environment 'prod' needs confirmation: give --yes", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 't'"));
        Assert.Equal(2, replace.ExitCode);
        Assert.Contains("ferry copy --replace on the protected environment 'prod' needs confirmation", replace.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 's'"));
        var reverted = await CliRunner.RunAsync(environment, _root, "migrate", "down", "--yes");
        Assert.True(reverted.ExitCode == 0, reverted.ToString());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 't'"));
        Assert.Equal(0, (await CliRunner.RunAsync(environment, _root, "migrate", "status")).ExitCode); // reading never asks
    }

    [Fact]
    public async Task Init_writes_a_project_file_that_loads_with_the_folders_migrations_and_database_and_never_twice()
    {
        Directory.CreateDirectory(Path.Combine(_root, "db", "migrations"));
        File.WriteAllText(Path.Combine(_root, "app.db"), "");

        var init = await CliRunner.RunAsync(new Dictionary<string, string>(), _root, "init", "--json");
        var again = await CliRunner.RunAsync(new Dictionary<string, string>(), _root, "init");

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Equal(("db/migrations", "sqlite:app.db"), (init.Json().GetProperty("migrations_dir").GetString(), init.Json().GetProperty("source").GetString()));
        var project = FerryProject.Load(Path.Combine(_root, FerryProject.FileName));
        Assert.Equal(("db/migrations", "sqlite:app.db", "dev"), (project.Migrations.Dir!.Text, project.Copy.Source!.Text, project.DefaultEnvironment));
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("exists already", again.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_init_without_a_project_file_writes_one_the_next_commands_follow_and_never_overwrites_one()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        var environment = new Dictionary<string, string> { ["DATABASE_URL"] = db.Url };

        var init = await CliRunner.RunAsync(environment, _root, "migrate", "init", "--dir", "sql/schema", "--history-table", "app.Schema History", "--json");

        Assert.True(init.ExitCode == 0, init.ToString());
        var written = Path.Combine(_root, FerryProject.FileName);
        Assert.Equal(written, init.Json().GetProperty("project_file").GetString());
        var project = FerryProject.Load(written);
        Assert.Equal(("sql/schema", "app.Schema History"), (project.Migrations.Dir!.Text, project.Migrations.HistoryTable!.Text));
        File.WriteAllText(Path.Combine(_root, "sql", "schema", "001_t.up.sql"), "CREATE TABLE t (id int);");

        var up = await CliRunner.RunAsync(environment, Directory.CreateDirectory(Path.Combine(_root, "src")).FullName, "migrate", "up", "--json");
        Assert.True(up.ExitCode == 0, up.ToString());
        Assert.Equal("001", Assert.Single(up.Json().GetProperty("steps").EnumerateArray()).GetProperty("version").GetString());
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM app.\"Schema History\""));

        var before = File.ReadAllText(written);
        var again = await CliRunner.RunAsync(environment, _root, "migrate", "init", "--dir", "elsewhere", "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, again.Json().GetProperty("project_file").ValueKind);
        Assert.Equal(before, File.ReadAllText(written));
    }

    [Fact]
    public async Task Copy_takes_its_source_schema_names_and_jobs_from_the_file_relative_to_the_projects_folder()
    {
        using var file = new Ferry.Tests.Sqlite.SqliteTestFile("CREATE TABLE InvoiceLine (LineId INTEGER PRIMARY KEY, UnitPrice REAL)", "INSERT INTO InvoiceLine VALUES (1, 2.5), (2, 3.5)");
        File.Copy(file.Path, Path.Combine(_root, "app.db"));
        File.WriteAllText(Path.Combine(_root, FerryProject.FileName), """
            environments:
              dev: { database: "${DEV_URL}" }
            default_environment: dev
            copy: { source: "sqlite:app.db", schema: app, names: snake, jobs: 1 }
            """);
        var folder = Directory.CreateDirectory(Path.Combine(_root, "src")).FullName;
        await using var db = await TestCluster.CreateDatabaseAsync("env_copy");

        var copy = await CliRunner.RunAsync(new Dictionary<string, string> { ["DEV_URL"] = db.Url }, folder, "copy", "--json", "--rejects", Path.Combine(_root, "rejects"));

        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal("sqlite:app.db", copy.Json().GetProperty("source").GetString());
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM app.invoice_line WHERE unit_price > 0"));
        var missing = await CliRunner.RunAsync(new Dictionary<string, string>(), _root + "/..", "copy");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("ferry copy needs a SOURCE", missing.Stderr, StringComparison.Ordinal);
    }
}
