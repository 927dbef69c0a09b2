using Ferry.Tests.Infrastructure;
using Ferry.Tests.Migrations;
using Ferry.Tests.Sqlite;

namespace Ferry.Tests.Cli;

/// <summary>
/// A password written in the target (<c>--to</c>, <c>--database</c>, <c>DATABASE_URL</c>) or in a source never
/// reaches stdout, stderr, the <c>--json</c> document, reject files or the target's state tables, whatever is wrong
/// with the text around it; a password on the command line is warned about once.
/// </summary>
public sealed class TargetPasswordCliTests
{
    // The password's two halves: neither may appear, so a password cut at its '/', '@', quote or space is caught too.
    const string A = "Zq7x";
    const string B = "Wv4k";
    const string Warning = "is visible to other users of this machine";

    /// <summary>Every error path of a target's text, each with a password in it, and the part its message must name.</summary>
    public static TheoryData<string, string> BadTargets => new()
    {
        // URLs
        { $"postgres://u:{A}%2F{B}@h/db?password={A}{B}&sslmode=bad", "the URL's sslmode is not one of" },
        { $"postgres://u:{A}@{B}@h/db?colour=blue", "unknown parameter 'colour' in the URL" },
        { $"postgres://u@h/db?password={A}%26{B}&colour=blue", "does not know after the password" },
        { $"postgres://u:{A}{B}@h/db?connect_timeout=soon", "the URL's connect_timeout" },
        { $"postgres://u@h/db?password={A}&{B}", "a parameter without '='" },
        { $"postgres://u:{A}{B}@h/db?password", "the URL's parameter 'password' has no value" },
        { $"postgres://u:{A}/{B}@h/db", "the URL's port is not a number" },
        { $"postgres://u:5432/{A}{B}@h/db", "an '@' after the host" },
        { $"postgres://u:{A}\"{B}@h:99999/db", "the URL's port is not a number" },
        { $"postgres://u:{A}{B}@[::1/db", "no closing ']'" },
        { $"postgres://u:{A}%ZZ{B}@h/db", "the password in the URL has an invalid percent-escape" },
        { $"postgresql:/u:{A} {B}@h/db", "starts with postgresql:// (two slashes)" },
        { $"u:{A}'{B}@h/db", "a URL without its scheme" },
        { $"mysql://u:{A}{B}@h/db", "'mysql://' is not a PostgreSQL URL" },
        // libpq keyword strings
        { $"host=h port=abc password='{A} {B}'", "the keyword string's port" },
        { $"host=h password={A} {B} dbname=d", "a word without '=' after it, after the password" },
        { $"host=h password='{A}\\'{B}", "the keyword string's password has a quote that is not closed" },
        { $"host=h password={A}/{B} sslmode=sometimes", "the keyword string's sslmode" },
        { $"host=h colour=blue password={A}@{B}", "unknown parameter 'colour' in the keyword string" },
        { $"host=127.0.0.1 port=1 dbname=d password='{A} {B}'", "Cannot connect to PostgreSQL at 127.0.0.1:1, database 'd'" },
        // Npgsql connection strings
        { $"Host=h;Port=abc;Password={A}/{B}", "the connection string's port is not a number" },
        { $"Host=h;Password=\"{A};{B}", "the connection string is malformed" },
        { $"Host=h;Password={A};{B}=1", "does not know after the password" },
        { $"Host=h;SSL Mode=Sometimes;Password={A}@{B}", "the connection string's ssl mode" },
        { $"Host=h password={A}%2F{B}", "separates settings with spaces" },
        { $"Host=h password={A};Database={B}", "its host holds what looks like a password setting" },
        { $"Host=h;Pooling=false;Multiplexing=true;Password={A}'{B}", "Npgsql refuses these settings together" },
    };

    [Theory]
    [MemberData(nameof(BadTargets))]
    public async Task A_bad_target_names_the_part_at_fault_and_never_shows_the_password(string target, string part)
    {
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY)", "INSERT INTO t VALUES (1)");
        using var work = new MigrationFolder();
        var rejects = Path.Combine(work.Path, "rejects");
        var noEnvironment = new Dictionary<string, string>();
        var runs = new List<(string How, Dictionary<string, string> Environment, string[] Args)>
        {
            ("--to", noEnvironment, ["copy", "sqlite:" + file.Path, "--to", target, "--rejects", rejects]),
            ("--database", noEnvironment, ["migrate", "status", "--database", target, "--dir", work.Path]),
            ("DATABASE_URL", new() { ["DATABASE_URL"] = target }, ["verify", "sqlite:" + file.Path]),
        };
        foreach (var (how, environment, args) in runs)
        {
            foreach (var json in new[] { false, true })
            {
                var result = await CliRunner.RunAsync(environment, work.Path, json ? [.. args, "--json"] : args);
                var what = $"{how}{(json ? " --json" : "")}: {result}";
                Assert.True(result.ExitCode == 2, what);
                Assert.Equal(json ? "usage" : null, json ? result.Json().GetProperty("error").GetProperty("code").GetString() : null);
                Assert.True(json || result.Stdout.Length == 0, what);
                Assert.Contains(part, result.Stderr, StringComparison.Ordinal);
                Assert.StartsWith(part.StartsWith("Cannot connect", StringComparison.Ordinal) ? "error: Cannot connect" : $"error: Invalid target ({how}): ", result.Stderr.Split('\n').Last(l => l.Length > 0), StringComparison.Ordinal);
                AssertNoPassword(result.Stdout + result.Stderr, what);
                // The warning is for a password that was read from the command line: only a target that parsed has one.
                var warnings = Count(result.Stderr, Warning);
                Assert.True(warnings == (how != "DATABASE_URL" && part.StartsWith("Cannot connect", StringComparison.Ordinal) ? 1 : 0), what);
            }
        }

        Assert.False(Directory.Exists(rejects) && Directory.EnumerateFileSystemEntries(rejects).Any());

        // The same text given as the source.
        foreach (var json in new[] { false, true })
        {
            string[] args = ["copy", target, "--to", "postgres://nobody@127.0.0.1:1/none", "--rejects", rejects];
            var result = await CliRunner.RunAsync(noEnvironment, work.Path, json ? [.. args, "--json"] : args);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.True(json ? !result.Json().GetProperty("ok").GetBoolean() : result.Stdout.Length == 0, result.ToString());
            Assert.Contains("ource", result.Stderr, StringComparison.Ordinal);
            AssertNoPassword(result.Stderr, "source: " + result);
        }
    }

    [Fact]
    public async Task A_password_in_the_target_reaches_no_output_reject_file_or_state_table_and_is_warned_about_once()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var file = new SqliteTestFile(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, qty INTEGER)",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO t SELECT i, i FROM n",
            "UPDATE t SET qty = 'lots-of-it' WHERE id = 7");
        using var migrations = new MigrationFolder();
        migrations.Write("001_create.up.sql", "CREATE TABLE m (id int);");
        migrations.Write("002_broken.up.sql", "SELECT * FROM no_such_table;");
        var rejects = Path.Combine(migrations.Path, "rejects");
        // The test cluster trusts local connections: any password is accepted, and must still never be shown.
        var password = $"{A}/{B}@{A}'{B} \"{A}%2F";
        var (host, port) = (db.Target.Host, db.Target.Port);
        var url = $"postgres://postgres:{Uri.EscapeDataString(password)}@{host}:{port}/{db.Name}";
        var keywords = $"host={host} port={port} user=postgres dbname={db.Name} password='{password.Replace("'", "\\'", StringComparison.Ordinal)}'";
        var npgsql = $"Host={host};Port={port};Username=postgres;Database={db.Name};Password=\"{password.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
        var noEnvironment = new Dictionary<string, string>();

        var copy = await CliRunner.RunAsync(noEnvironment, migrations.Path, "copy", "sqlite:" + file.Path, "--to", url, "--rejects", rejects, "--json");
        Assert.True(copy.ExitCode == 1, copy.ToString()); // one row rejected
        Assert.Equal(1, copy.Json().GetProperty("tables")[0].GetProperty("rows_rejected").GetInt64());
        var verify = await CliRunner.RunAsync(noEnvironment, migrations.Path, "verify", "sqlite:" + file.Path, "--to", keywords, "--json");
        Assert.True(verify.ExitCode == 0, verify.ToString()); // the rejected row is accounted for
        var up = await CliRunner.RunAsync(noEnvironment, migrations.Path, "migrate", "up", "--database", npgsql, "--dir", migrations.Path, "--json");
        Assert.True(up.ExitCode == 1, up.ToString()); // 002 fails: its error is in the output
        var status = await CliRunner.RunAsync(noEnvironment, migrations.Path, "migrate", "status", "--database", keywords, "--dir", migrations.Path);
        Assert.True(status.ExitCode == 0, status.ToString());

        foreach (var (result, option) in new[] { (copy, "--to"), (verify, "--to"), (up, "--database"), (status, "--database") })
        {
            AssertNoPassword(result.Stdout + result.Stderr, result.ToString());
            Assert.True(Count(result.Stderr, Warning) == 1, result.ToString());
            Assert.Contains($"the password in {option} {Warning}", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("PGPASSWORD or ~/.pgpass", result.Stderr, StringComparison.Ordinal);
        }

        var rejectFiles = Directory.GetFiles(rejects, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(rejectFiles);
        foreach (var rejectFile in rejectFiles)
            AssertNoPassword(await File.ReadAllTextAsync(rejectFile), rejectFile);
        var state = await db.ScalarAsync<string>("SELECT string_agg(s::text, ' ') FROM ferry.copy_state s");
        var history = await db.ScalarAsync<string>("SELECT string_agg(h::text, ' ') FROM public.schema_migrations h");
        Assert.Contains("create", history, StringComparison.Ordinal);
        AssertNoPassword(state + history, "state tables");
    }

    [Fact]
    public async Task No_warning_without_a_password_on_the_command_line()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        using var migrations = new MigrationFolder();
        var withPassword = $"postgres://postgres:{A}{B}@{db.Target.Host}:{db.Target.Port}/{db.Name}";
        var runs = new (Dictionary<string, string> Environment, string[] Args)[]
        {
            (new() { ["PGPASSWORD"] = A + B }, ["migrate", "status", "--database", db.Url, "--dir", migrations.Path]),
            (new() { ["DATABASE_URL"] = withPassword }, ["migrate", "status", "--dir", migrations.Path]),
            (new(), ["migrate", "status", "--database", $"postgres://postgres:@{db.Target.Host}:{db.Target.Port}/{db.Name}", "--dir", migrations.Path]),
        };
        foreach (var (environment, args) in runs)
        {
            var result = await CliRunner.RunAsync(environment, migrations.Path, args);
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.DoesNotContain(Warning, result.Stderr, StringComparison.Ordinal);
            AssertNoPassword(result.Stdout + result.Stderr, result.ToString());
        }
    }

    static void AssertNoPassword(string text, string where)
    {
        Assert.False(text.Contains(A, StringComparison.Ordinal), $"'{A}' shown in {where}");
        Assert.False(text.Contains(B, StringComparison.Ordinal), $"'{B}' shown in {where}");
    }

    static int Count(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
            count++;
        return count;
    }
}
