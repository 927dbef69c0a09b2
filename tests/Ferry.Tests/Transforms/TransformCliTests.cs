using Ferry.Project;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Ferry.Transforms.Steps;

namespace Ferry.Tests.Transforms;

/// <summary><c>ferry copy --transform FILE</c> and the project file's <c>transform:</c>, through the command line, then verified.</summary>
public sealed class TransformCliTests : IDisposable
{
    static readonly Dictionary<string, string> NoEnvironment = [];

    readonly string _folder = Directory.CreateTempSubdirectory("ferry-transform-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static SqliteTestFile WebApp() => new(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT, password TEXT, role TEXT, phone TEXT, last_ip TEXT, legacy TEXT, name TEXT)",
        """
        INSERT INTO users VALUES
          (1, '  Ada@Example.COM ', 'hunter2', 'admin', '(201) 555-0123', '10.0.0.1', 'x', 'Ada'),
          (2, 'grace@example.com', 'secret', 'user', 'not a phone', '::1', 'y', 'Grace'),
          (3, 'not-an-email', 'pw', 'guest', NULL, '192.168.1.1', 'z', 'Eve')
        """,
        "CREATE TABLE visitors (id INTEGER PRIMARY KEY, user_agent TEXT)",
        "INSERT INTO visitors VALUES (1, 'Mozilla/5.0'), (2, 'Googlebot/2.1'), (3, 'curl crawler'), (4, 'Safari')",
        "CREATE TABLE sessions (id INTEGER PRIMARY KEY, started_at TEXT)",
        "INSERT INTO sessions VALUES (1, '2024-01-01 10:00:00'), (2, '2024-01-01 11:00:00'), (3, '2024-01-02 09:00:00')");

    const string Transform = """
        transform:
          users:
            rename: members
            columns:
              password: { hash: bcrypt, cost: 4 }
              email:    { normalize: lower_trim, validate: email, invalid: reject }
              phone:    { validate: phone, region: US, normalize: e164, invalid: null }
              role:     { map: { admin: ADMIN, user: MEMBER, guest: MEMBER }, unmapped: reject }
              last_ip:  { validate: ip }
              legacy:   { drop: true }
              name:     { rename: full_name }
          visitors:
            where: "user_agent NOT LIKE '%bot%' AND user_agent NOT LIKE '%crawl%'"
          sessions_daily:
            query: "SELECT date(started_at) AS day, count(*) AS sessions FROM sessions GROUP BY 1"
            primary_key: [day]
        """;

    /// <summary>Writes <paramref name="text"/> to <paramref name="name"/> in the test's folder; its path.</summary>
    async Task<string> WriteAsync(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        await File.WriteAllTextAsync(path, text);
        return path;
    }

    [Fact]
    public async Task A_transform_file_renames_hashes_validates_maps_filters_and_derives_and_the_copy_verifies_identical()
    {
        using var file = WebApp();
        await using var db = await TestCluster.CreateDatabaseAsync("transform_cli");
        var transform = await WriteAsync("transform.yml", Transform);

        var copy = await CliRunner.RunAsync(NoEnvironment, _folder, "copy", "sqlite:" + file.Path, "--to", db.Url, "--transform", transform, "--verify", "--json");

        Assert.True(copy.ExitCode == 1, copy.ToString()); // one user rejected: not an e-mail address
        var tables = copy.Json().GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("target").GetString()!);
        Assert.Equal((3L, 2L, 1L), (tables["public.members"].GetProperty("rows_read").GetInt64(), tables["public.members"].GetProperty("rows_written").GetInt64(), tables["public.members"].GetProperty("rows_rejected").GetInt64()));
        Assert.Equal((4L, 2L, 2L), (tables["public.visitors"].GetProperty("rows_read").GetInt64(), tables["public.visitors"].GetProperty("rows_written").GetInt64(), tables["public.visitors"].GetProperty("rows_filtered").GetInt64()));
        Assert.True(copy.Json().GetProperty("verify").GetProperty("ok").GetBoolean(), copy.Stdout);
        // What the transform asked for is told as notes, not warnings.
        var notes = copy.Json().GetProperty("notes").EnumerateArray().Select(n => n.GetString()!).ToList();
        Assert.Contains("visitors: Rows read WHERE (user_agent NOT LIKE '%bot%' AND user_agent NOT LIKE '%crawl%') (the transform's where); those it leaves out are counted as filtered.", notes);
        Assert.Contains(notes, n => n.StartsWith("users: renamed by the transform to ", StringComparison.Ordinal));
        Assert.Contains(notes, n => n.StartsWith("sessions_daily: Derived table: read from the source's query", StringComparison.Ordinal));
        Assert.DoesNotContain(copy.Json().GetProperty("warnings").EnumerateArray(), w => notes.Contains(w.GetString()!));
        var rows = await db.RowsAsync("SELECT id, email, password, role, phone, last_ip::text, full_name FROM members ORDER BY id");
        Assert.Equal([1L, 2L], rows.Select(r => (long)r[0]!));
        Assert.Equal(["ada@example.com", "grace@example.com"], rows.Select(r => (string)r[1]!));
        Assert.True(new BcryptStep(4).Matches("hunter2", (string)rows[0][2]!));
        Assert.Equal(["ADMIN", "MEMBER"], rows.Select(r => (string)r[3]!));
        Assert.Equal(["+12015550123", null], rows.Select(r => (string?)r[4]));
        Assert.Equal(["10.0.0.1/32", "::1/128"], rows.Select(r => (string)r[5]!));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.columns WHERE table_name = 'members' AND column_name = 'legacy'"));
        Assert.Equal("2024-01-01:2|2024-01-02:1", await db.ScalarAsync<string>("SELECT string_agg(day || ':' || sessions, '|' ORDER BY day) FROM sessions_daily"));
        var rejects = await File.ReadAllTextAsync(Path.Combine(_folder, "ferry-rejects", "members.jsonl"));
        Assert.Contains("validate email", rejects, StringComparison.Ordinal);
        Assert.DoesNotContain("\"pw\"", rejects, StringComparison.Ordinal);

        // ferry verify takes the same file and reads the source as the copy did.
        var verify = await CliRunner.RunAsync(NoEnvironment, _folder, "verify", "sqlite:" + file.Path, "--to", db.Url, "--transform", transform);
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }

    [Fact]
    public async Task The_project_files_transform_section_is_applied_and_a_fold_of_a_column_the_table_lacks_is_refused_naming_its_line()
    {
        using var file = WebApp();
        await using var db = await TestCluster.CreateDatabaseAsync("transform_project");
        await File.WriteAllTextAsync(Path.Combine(_folder, FerryProject.FileName), $"environments:\n  dev: {{ database: \"{db.Url}\" }}\ndefault_environment: dev\n" + Transform);

        var copy = await CliRunner.RunAsync(NoEnvironment, _folder, "copy", "sqlite:" + file.Path, "--tables", "visitors", "--json");

        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM visitors"));

        var fold = Path.Combine(_folder, "fold.yml");
        await File.WriteAllTextAsync(fold, "users:\n  add:\n    tracking: { json: [role, phonez] }\n");
        var refused = await CliRunner.RunAsync(NoEnvironment, _folder, "copy", "sqlite:" + file.Path, "--transform", fold, "--tables", "users");
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains($"{fold}, line 3", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("the table has no column 'phonez' (did you mean 'phone'?)", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 'users'"));
    }

    [Fact]
    public async Task A_hashed_key_columns_value_is_in_no_output_of_a_copy_that_rejects_its_row()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE vault (secret TEXT PRIMARY KEY, email TEXT)",
            "INSERT INTO vault VALUES ('open-sesame', 'ada@example.org'), ('swordfish', 'not an e-mail')");
        await using var db = await TestCluster.CreateDatabaseAsync("transform_masked_key");
        var transform = Path.Combine(_folder, "vault.yml");
        await File.WriteAllTextAsync(transform, "vault:\n  columns:\n    secret: { hash: bcrypt, cost: 4 }\n    email: { validate: email, invalid: reject }\n");
        var report = Path.Combine(_folder, "copy.html");

        var json = await CliRunner.RunAsync(NoEnvironment, _folder, "copy", "sqlite:" + file.Path, "--to", db.Url, "--transform", transform, "--json", "--report", report);
        var human = await CliRunner.RunAsync(NoEnvironment, _folder, "copy", "sqlite:" + file.Path, "--to", db.Url, "--transform", transform, "--replace");

        Assert.True(json.ExitCode == 1, json.ToString());
        Assert.True(human.ExitCode == 1, human.ToString());
        var sample = Assert.Single(json.Json().GetProperty("tables")[0].GetProperty("rejects")[0].GetProperty("samples").EnumerateArray());
        Assert.Equal("***", sample.GetProperty("key").GetProperty("secret").GetString());
        var journal = await db.ScalarAsync<string>("SELECT string_agg(r::text, E'\\n') FROM ferry.runs r");
        string[] outputs = [json.Stdout, json.Stderr, human.Stdout, human.Stderr, await File.ReadAllTextAsync(report), await File.ReadAllTextAsync(Path.Combine(_folder, "ferry-rejects", "vault.jsonl")), journal];
        Assert.Contains("\"secret\":\"***\"", outputs[5], StringComparison.Ordinal);
        Assert.Contains("***", journal, StringComparison.Ordinal);
        Assert.All(outputs, output => Assert.DoesNotContain("swordfish", output, StringComparison.Ordinal));
        Assert.All(outputs, output => Assert.DoesNotMatch(@"\$2[aby]\$04\$", output)); // nor its hash
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM vault WHERE secret LIKE '$2%'"));
    }

    [Fact]
    public async Task Resuming_under_a_changed_transform_is_refused_and_under_the_same_one_keeps_the_loaded_tables()
    {
        using var file = WebApp();
        await using var db = await TestCluster.CreateDatabaseAsync("transform_resume");
        var transform = await WriteAsync("transform.yml", Transform);
        string[] copy = ["copy", "sqlite:" + file.Path, "--to", db.Url, "--transform", transform];
        Assert.Equal(1, (await CliRunner.RunAsync(NoEnvironment, _folder, copy)).ExitCode); // one user rejected
        await db.ExecuteAsync("UPDATE ferry.copy_state SET status = 'loading' WHERE table_name = 'public.sessions'");

        // Only the map changed (and a comment, which changes nothing): members was loaded with the old one.
        await File.WriteAllTextAsync(transform, "# roles as of 2024\n" + Transform.Replace("guest: MEMBER", "guest: GUEST", StringComparison.Ordinal));
        var refused = await CliRunner.RunAsync(NoEnvironment, _folder, [.. copy, "--resume"]);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.Contains("public.members", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("under other filters or another transform", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal("loading", await db.ScalarAsync<string>("SELECT status FROM ferry.copy_state WHERE table_name = 'public.sessions'"));

        await File.WriteAllTextAsync(transform, "# roles as of 2024\n" + Transform);
        var resumed = await CliRunner.RunAsync(NoEnvironment, _folder, [.. copy, "--resume", "--json"]);
        Assert.True(resumed.ExitCode == 1, resumed.ToString()); // the kept table's reject still counts
        var tables = resumed.Json().GetProperty("tables").EnumerateArray().ToDictionary(t => t.GetProperty("target").GetString()!);
        Assert.True(tables["public.members"].GetProperty("resumed").GetBoolean());
        Assert.Equal(1L, tables["public.members"].GetProperty("rows_rejected").GetInt64());
        Assert.Equal((4L, 2L, 2L), (tables["public.visitors"].GetProperty("rows_read").GetInt64(), tables["public.visitors"].GetProperty("rows_written").GetInt64(), tables["public.visitors"].GetProperty("rows_filtered").GetInt64()));
        Assert.False(tables["public.sessions"].GetProperty("resumed").GetBoolean());
    }

    [Theory]
    [InlineData("userz:\n  columns:\n    email: { normalize: lower }\n", 1, "(userz): no table 'userz' is being copied (its tables: ")]
    [InlineData("userz:\n  rename: members\n", 1, "(userz): the source has no such table (did you mean 'users'?)")]
    [InlineData("userz:\n  where: \"id > 1\"\n", 2, "has no table 'userz' among those copied")]
    [InlineData("users:\n  columns:\n    emial: { normalize: lower }\n", 3, "(users.columns.emial): table 'users' has no column 'emial'")]
    [InlineData("users:\n  columns:\n    emial: { drop: true }\n", 3, "(users.columns.emial): the table has no column 'emial' (did you mean 'email'?)")]
    [InlineData("users:\n  columns:\n    ip: { type: inet }\n", 3, "(users.columns.ip): table 'users' has no column 'ip'")]
    [InlineData("users:\n  columns:\n    id: { validate: email }\n", 3, "(users.columns.id): validate email (invalid: reject) cannot take users.id's values (bigint)")]
    [InlineData("users:\n  columns:\n    role: { map: [admin, user] }\n", 3, "users.columns.role.map must be a mapping of old value to new value")]
    [InlineData("visitors:\n  where: \"agent NOT LIKE '%bot%'\"\n", 2, "cannot read table visitors with it: SQLite Error 1: 'no such column: agent'")]
    public async Task A_transform_naming_what_the_source_lacks_is_refused_naming_the_files_line_before_anything_is_written(string yaml, int line, string expected)
    {
        using var file = WebApp();
        await using var db = await TestCluster.CreateDatabaseAsync("transform_unknown");
        var transform = Path.Combine(_folder, "typo.yml");
        await File.WriteAllTextAsync(transform, yaml);

        var copy = await CliRunner.RunAsync(NoEnvironment, _folder, "copy", "sqlite:" + file.Path, "--to", db.Url, "--transform", transform);

        Assert.True(copy.ExitCode == 2, copy.ToString());
        Assert.Contains($"{transform}, line {line}", copy.Stderr, StringComparison.Ordinal);
        Assert.Contains(expected, copy.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"));
    }

    [Fact]
    public async Task A_where_duckdb_rejects_is_refused_with_duckdbs_message_and_the_files_line()
    {
        var path = Path.Combine(_folder, "app.duckdb");
        DuckDb.DuckDbTestFiles.Execute(path, "CREATE TABLE visitors (id BIGINT PRIMARY KEY, user_agent VARCHAR)", "INSERT INTO visitors VALUES (1, 'Firefox'), (2, 'bot')");
        await using var db = await TestCluster.CreateDatabaseAsync("transform_duckdb_where");
        var transform = Path.Combine(_folder, "bots.yml");
        await File.WriteAllTextAsync(transform, "transform:\n  visitors:\n    where: \"agent NOT LIKE '%bot%'\"\n");

        var copy = await CliRunner.RunAsync(NoEnvironment, _folder, "copy", "duckdb:" + path, "--to", db.Url, "--transform", transform);

        Assert.True(copy.ExitCode == 2, copy.ToString());
        Assert.Contains($"{transform}, line 3 (transform.visitors.where): duckdb:", copy.Stderr, StringComparison.Ordinal);
        Assert.Contains("cannot read table main.visitors with it: Binder Error: Referenced column \"agent\" not found", copy.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"));
    }
}
