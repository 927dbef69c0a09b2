using System.Text.Json;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Cli;

public sealed class CliBasicsTests
{
    [Fact]
    public async Task Version_prints_the_version()
    {
        var result = await CliRunner.RunAsync("--version");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", result.Stdout.Trim());
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("doctor", "--help")]
    [InlineData("local", "--help")]
    [InlineData("local", "start", "--help")]
    public async Task Every_command_has_help(params string[] args)
    {
        var result = await CliRunner.RunAsync(args);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_option_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync("doctor", "--frobnicate");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--frobnicate", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("ferry doctor --help", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task Under_json_a_usage_error_prints_the_error_document()
    {
        var result = await CliRunner.RunAsync("doctor", "--frobnicate", "--json");

        Assert.Equal(2, result.ExitCode);
        var document = result.Json();
        Assert.Equal(["ok", "error"], document.EnumerateObject().Select(p => p.Name));
        Assert.False(document.GetProperty("ok").GetBoolean());
        Assert.Equal(["code", "message"], document.GetProperty("error").EnumerateObject().Select(p => p.Name));
        Assert.Equal("usage", document.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("--frobnicate", document.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("migrate down --steps abc", "Cannot parse argument 'abc' for option '--steps' as a whole number.")]
    [InlineData("copy sqlite:x.db --jobs x", "Cannot parse argument 'x' for option '--jobs' as a whole number.")]
    [InlineData("verify sqlite:x.db --max-differences 1.5", "Cannot parse argument '1.5' for option '--max-differences' as a whole number.")]
    public async Task A_value_of_the_wrong_kind_is_named_in_the_users_terms(string args, string message)
    {
        var result = await CliRunner.RunAsync(args.Split(' '));
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: " + message, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_command_is_a_usage_error()
    {
        var result = await CliRunner.RunAsync("teleport");
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task Unreachable_target_is_one_line_naming_host_port_and_database()
    {
        var result = await CliRunner.RunAsync("doctor", "--database", "postgres://app:hunter2@127.0.0.1:1/orders?connect_timeout=3");
        Assert.Equal(2, result.ExitCode);
        var lines = result.Stderr.Trim().Split('\n');
        Assert.StartsWith("warning: the password in --database is visible", lines[0], StringComparison.Ordinal);
        var line = Assert.Single(lines[1..]);
        Assert.Contains("127.0.0.1:1", line, StringComparison.Ordinal);
        Assert.Contains("'orders'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_database_is_reported_without_the_password()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE ROLE app LOGIN PASSWORD 'right-one'");
        try
        {
            var result = await CliRunner.RunAsync("doctor", "--database", $"postgres://app:wrong-one@127.0.0.1:{db.Target.Port}/no_such_db");
            Assert.Equal(2, result.ExitCode);
            Assert.Contains("no_such_db", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("wrong-one", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            await db.ExecuteAsync("DROP ROLE app");
        }
    }

    [Fact]
    public async Task Doctor_json_describes_the_server()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        var result = await CliRunner.RunAsync("doctor", "--database", db.Url, "--json");
        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.Equal(db.Url, json.GetProperty("target").GetString());
        Assert.Equal("argument", json.GetProperty("origin").GetString());
        Assert.StartsWith("PostgreSQL ", json.GetProperty("server_version").GetString(), StringComparison.Ordinal);
        Assert.True(json.GetProperty("server_version_number").GetInt32() >= 120000);
        Assert.Equal(db.Name, json.GetProperty("database").GetString());
        Assert.Equal("postgres", json.GetProperty("user").GetString());
        Assert.True(json.GetProperty("can_create_schemas").GetBoolean());
        Assert.True(json.GetProperty("can_create_tables").GetBoolean());
        var settings = json.GetProperty("settings");
        foreach (var name in new[] { "max_wal_size", "shared_buffers", "maintenance_work_mem" })
            Assert.False(string.IsNullOrEmpty(settings.GetProperty(name).GetString()), name);
        Assert.True(json.GetProperty("duck_db_available").GetBoolean(), json.GetProperty("duck_db").GetString());
    }

    [Fact]
    public async Task Doctor_reads_the_target_from_database_url()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        var env = new Dictionary<string, string> { ["DATABASE_URL"] = db.Url };
        var result = await CliRunner.RunAsync(env, null, "doctor");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("from DATABASE_URL", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(db.Name, result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_for_a_limited_user_says_what_it_cannot_do()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        var role = "limited_" + db.Name;
        await db.ExecuteAsync($"CREATE ROLE {role} LOGIN; REVOKE CREATE ON SCHEMA public FROM PUBLIC; REVOKE CREATE ON DATABASE \"{db.Name}\" FROM PUBLIC");
        try
        {
            var result = await CliRunner.RunAsync("doctor", "--json", "--database", $"postgres://{role}@127.0.0.1:{db.Target.Port}/{db.Name}");
            Assert.True(result.ExitCode == 0, result.ToString());
            var json = result.Json();
            Assert.False(json.GetProperty("superuser").GetBoolean());
            Assert.False(json.GetProperty("can_create_schemas").GetBoolean());
            Assert.False(json.GetProperty("can_create_tables").GetBoolean());
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await db.ExecuteAsync($"DROP ROLE {role}");
        }
    }

    [Fact]
    public async Task Json_goes_to_stdout_alone()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        var result = await CliRunner.RunAsync("doctor", "--json", "--database", db.Url);
        Assert.Equal(JsonValueKind.Object, result.Json().ValueKind);
    }
}
