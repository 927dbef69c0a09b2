using System.Diagnostics;
using System.Text.RegularExpressions;
using Ferry.Tests.DuckDb;
using Ferry.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Ferry.Tests.Cli;

/// <summary>
/// The release (<c>dotnet publish -r linux-x64</c>: one executable compiled ahead of time, where reflection-based
/// serialization and run-time code generation do not exist) against the in-process command the other tests run:
/// the same commands, on the same files, into two fresh databases, must give the same exit codes, the same
/// <c>--json</c> documents and the same reject files.
/// </summary>
public sealed partial class ReleaseBuildTests
{
    [Fact]
    public async Task The_release_gives_what_the_in_process_command_gives()
    {
        // The release is about 130 MB: it and the runs' folders go when the test ends.
        string[] folders = [.. new[] { "ferry-release-", "ferry-release-a-", "ferry-release-b-" }.Select(p => Directory.CreateTempSubdirectory(p).FullName)];
        try
        {
            await CompareAsync(await PublishAsync(folders[0]), folders[1], folders[2]);
        }
        finally
        {
            foreach (var folder in folders)
                Directory.Delete(folder, recursive: true);
        }
    }

    static async Task CompareAsync(string ferry, string inProcessDir, string releaseDir)
    {
        await using var inProcessDb = await TestCluster.CreateDatabaseAsync("rel_a");
        await using var releaseDb = await TestCluster.CreateDatabaseAsync("rel_b");
        foreach (var dir in new[] { inProcessDir, releaseDir })
            WriteSources(dir);

        // (--version in process is the test host's.)
        var version = await CliRunner.RunExecutableAsync(ferry, null, releaseDir, TimeSpan.FromMinutes(1), "--version");
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Stdout);

        string[][] steps =
        [
            ["copy", "--help"],
            ["doctor", "--json", "--database", "DB"],
            ["copy", "sqlite:app.db", "--dry-run", "--json", "--database", "DB"],
            ["copy", "sqlite:app.db", "--json", "--verify", "--rejects", "rejects", "--database", "DB"],
            ["verify", "sqlite:app.db", "--json", "--database", "DB"],
            ["copy", "duckdb:wh.duckdb", "--json", "--verify", "--schema", "wh", "--database", "DB"],
            ["copy", "csv:visits.csv", "--table", "visits", "--json", "--verify", "--database", "DB"],
            ["copy", "parquet:events.parquet", "--table", "events", "--json", "--verify", "--database", "DB"],
            // The transform's libraries (libphonenumber's embedded metadata, BCrypt.Net) in the trimmed native build.
            ["copy", "sqlite:app.db", "--transform", "transform.yml", "--schema", "transformed", "--json", "--verify", "--database", "DB"],
            ["migrate", "init", "--dir", "migrations", "--json", "--database", "DB"],
            ["migrate", "up", "--dir", "migrations", "--json", "--database", "DB"],
            ["migrate", "status", "--dir", "migrations", "--json", "--database", "DB"],
            ["migrate", "validate", "--dir", "migrations", "--json", "--database", "DB"],
            ["migrate", "down", "--steps", "1", "--dry-run", "--json", "--dir", "migrations", "--database", "DB"],
            ["migrate", "down", "--steps", "1", "--json", "--dir", "migrations", "--database", "DB"],
            ["migrate", "new", "add_flag", "--dir", "migrations", "--json"],
            ["report", "last", "--html", "last.html", "--json", "--database", "DB"],
            // Cronos in the trimmed native build: an expression parsed and its next occurrence looked for (30 February has none).
            ["sync", "sqlite:app.db", "--cron", "0 0 30 2 *", "--json", "--database", "DB"],
            ["sync", "status", "--json", "--database", "DB"],
        ];

        foreach (var step in steps)
        {
            var expected = await CliRunner.RunAsync(new Dictionary<string, string>(), inProcessDir, Resolve(step, inProcessDb.Url));
            var actual = await CliRunner.RunExecutableAsync(ferry, null, releaseDir, TimeSpan.FromMinutes(2), Resolve(step, releaseDb.Url));
            var what = string.Join(' ', step);
            Assert.True(expected.ExitCode == actual.ExitCode, $"{what}: exit {expected.ExitCode} in process, {actual.ExitCode} from the release\n{actual}");
            Assert.Equal(Normalize(expected.Stdout, inProcessDir, inProcessDb.Name), Normalize(actual.Stdout, releaseDir, releaseDb.Name));
        }

        // A failing migration: the error document, line and column included.
        foreach (var dir in new[] { inProcessDir, releaseDir })
            await File.WriteAllTextAsync(Path.Combine(dir, "migrations", "004_broken.up.sql"), "CREATE TABLE broken (id int);\nSELECT 1/0;\n");
        string[] up = ["migrate", "up", "--dir", "migrations", "--json", "--database", "DB"];
        var failed = await CliRunner.RunAsync(new Dictionary<string, string>(), inProcessDir, Resolve(up, inProcessDb.Url));
        var failedRelease = await CliRunner.RunExecutableAsync(ferry, null, releaseDir, TimeSpan.FromMinutes(2), Resolve(up, releaseDb.Url));
        Assert.Equal(1, failed.ExitCode);
        Assert.Equal(1, failedRelease.ExitCode);
        Assert.Equal(2, failedRelease.Json().GetProperty("error").GetProperty("line").GetInt32());
        Assert.Equal(Normalize(failed.Stdout, inProcessDir, inProcessDb.Name), Normalize(failedRelease.Stdout, releaseDir, releaseDb.Name));

        // The rows each run rejected, the same in the same words.
        var rejects = Directory.GetFiles(Path.Combine(inProcessDir, "rejects")).Select(Path.GetFileName).Order().ToList();
        Assert.NotEmpty(rejects);
        Assert.Equal(rejects, Directory.GetFiles(Path.Combine(releaseDir, "rejects")).Select(Path.GetFileName).Order().ToList());
        foreach (var file in rejects)
        {
            Assert.Equal(
                Normalize(await File.ReadAllTextAsync(Path.Combine(inProcessDir, "rejects", file!)), inProcessDir, inProcessDb.Name),
                Normalize(await File.ReadAllTextAsync(Path.Combine(releaseDir, "rejects", file!)), releaseDir, releaseDb.Name));
        }

        // And the data itself.
        foreach (var sql in new[]
        {
            "SELECT string_agg(t::text, '|' ORDER BY id) FROM public.items t",
            "SELECT string_agg(t::text, '|' ORDER BY id) FROM wh.fact t",
            "SELECT string_agg(t::text, '|' ORDER BY id) FROM public.visits t",
            "SELECT string_agg(t::text, '|' ORDER BY id) FROM public.events t",
        })
        {
            Assert.Equal(await inProcessDb.ScalarAsync<string>(sql), await releaseDb.ScalarAsync<string>(sql));
        }
    }

    static string[] Resolve(string[] step, string url) => [.. step.Select(a => a == "DB" ? url : a)];

    /// <summary>
    /// What differs between two runs of the same command: directories, database names, timings, the moments things
    /// were applied, and the program's name in help (in process it is the test host's).
    /// </summary>
    static string Normalize(string text, string directory, string database) =>
        Timing().Replace(
            text.Replace(directory, "DIR", StringComparison.Ordinal).Replace(database, "DB", StringComparison.Ordinal).Replace("  testhost ", "  ferry ", StringComparison.Ordinal),
            "\"$1\": 0");

    [GeneratedRegex("\"(seconds|started|applied_at|execution_ms)\": (\"[^\"]*\"|[0-9.]+|null)")]
    private static partial Regex Timing();

    /// <summary>The same source files in each run's directory: SQLite, DuckDB, CSV, Parquet and migrations.</summary>
    static void WriteSources(string dir)
    {
        using (var sqlite = new SqliteConnection($"Data Source={Path.Combine(dir, "app.db")};Pooling=false;Foreign Keys=False"))
        {
            sqlite.Open();
            using var create = sqlite.CreateCommand();
            create.CommandText = """
                CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT NOT NULL, joined DATETIME DEFAULT CURRENT_TIMESTAMP);
                CREATE TABLE items (
                    id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES customers(id), label TEXT, qty INTEGER,
                    price NUMERIC(10,2), ratio REAL, active BOOLEAN, at DATETIME, body BLOB);
                CREATE INDEX items_label ON items(label);
                CREATE VIEW expensive AS SELECT id, label FROM items WHERE price > 10;
                INSERT INTO customers VALUES (1, 'Ada', '2024-01-02 03:04:05'), (2, 'Bob', '2024-02-03 04:05:06.25');
                INSERT INTO items VALUES
                    (1, 1, 'tea', 3, 12.5, 0.25, 1, '2024-03-04 05:06:07', x'00ff'),
                    (2, 2, 'café', 1, 9.99, 1e300, 0, '2024-03-04', NULL),
                    (3, 1, 'bad', 'lots-of-it', 1, 1, 1, NULL, NULL),
                    (4, 99, 'orphan', 1, 1, 1, 1, NULL, NULL);
                """;
            create.ExecuteNonQuery();
        }

        DuckDbTestFiles.Execute(Path.Combine(dir, "wh.duckdb"),
            "CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')",
            "CREATE TABLE fact (id INTEGER PRIMARY KEY, m mood, ms mood[], amount DECIMAL(38,10), big HUGEINT, ts TIMESTAMPTZ, d DATE, u UUID, s STRUCT(a INTEGER, b VARCHAR), tags VARCHAR[])",
            "INSERT INTO fact VALUES (1, 'ok', ['sad', 'happy'], 12345678901234567890.0123456789, 170141183460469231731687303715884105727, '2024-01-02 03:04:05+02', '0001-01-01', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', {'a': 1, 'b': 'x'}, ['a', 'b'])",
            "INSERT INTO fact VALUES (2, NULL, NULL, NULL, NULL, 'infinity', '9999-12-31', NULL, NULL, NULL)");
        File.WriteAllText(Path.Combine(dir, "transform.yml"), """
            customers:
              columns:
                name: { validate: phone, region: US, normalize: e164, invalid: keep }
            items:
              columns:
                label: { normalize: lower_trim, hash: bcrypt, cost: 4 }
            """);
        File.WriteAllText(Path.Combine(dir, "visits.csv"), "id,page,seen,ms\n1,/home,2024-05-01 10:00:00,1.5\n2,\"/a,b\",2024-05-02 11:00:00,\n3,,,7\n");
        DuckDbTestFiles.Execute(null,
            $"COPY (SELECT range AS id, 'e' || range AS name, range * 0.5 AS score, DATE '2024-01-01' + range::INTEGER AS day FROM range(1, 50)) TO '{Path.Combine(dir, "events.parquet")}' (FORMAT parquet)");

        var migrations = Directory.CreateDirectory(Path.Combine(dir, "migrations")).FullName;
        File.WriteAllText(Path.Combine(migrations, "001_create_users.up.sql"), "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n");
        File.WriteAllText(Path.Combine(migrations, "001_create_users.down.sql"), "DROP TABLE users;\n");
        File.WriteAllText(Path.Combine(migrations, "002_index_users.up.sql"), "-- no directive: CONCURRENTLY runs outside a transaction\nCREATE INDEX CONCURRENTLY users_email ON users (email);\n");
        File.WriteAllText(Path.Combine(migrations, "002_index_users.down.sql"), "DROP INDEX CONCURRENTLY users_email;\n");
    }

    /// <summary>Publishes the release into <paramref name="output"/> as README says (<c>dotnet publish src/Ferry.Cli -c Release -r linux-x64 -o OUT</c>); the path of its ferry.</summary>
    static async Task<string> PublishAsync(string output)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Ferry.sln")))
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Ferry.sln not found above " + AppContext.BaseDirectory);
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var arg in new[] { "publish", Path.Combine(root, "src", "Ferry.Cli", "Ferry.Cli.csproj"), "-c", "Release", "-r", "linux-x64", "-o", output, "--nologo", "-v", "quiet" })
            info.ArgumentList.Add(arg);
        // The test host's own MSBuild settings are not the publish's.
        foreach (var name in info.Environment.Keys.Where(n => n.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase) || n.StartsWith("VSTEST", StringComparison.OrdinalIgnoreCase)).ToList())
            info.Environment.Remove(name);
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        var ferry = Path.Combine(output, "ferry");
        if (process.ExitCode != 0 || !File.Exists(ferry))
            throw new InvalidOperationException($"dotnet publish exited {process.ExitCode}:\n{await stdout}\n{await stderr}");
        return ferry;
    }
}
