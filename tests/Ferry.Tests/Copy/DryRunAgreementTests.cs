using System.Text.RegularExpressions;
using Ferry.Copy;
using Ferry.Schema;
using Ferry.Tests.Infrastructure;
using static Ferry.Tests.Copy.FakeSource;

namespace Ferry.Tests.Copy;

/// <summary>
/// <c>--dry-run</c> prints the steps a run executes: its script against the statements the server logged
/// (<c>log_statement = 'all'</c> on the test's own database) while a real run copied the same source.
/// </summary>
public sealed partial class DryRunAgreementTests : IDisposable
{
    readonly string _dir = Path.Combine(Path.GetTempPath(), "ferry-dryrun-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_dir))
            Directory.Delete(_dir, recursive: true);
    }

    /// <summary>What a run sends that the script does not show, each with why: none of it is a step of the copy's objects.</summary>
    static readonly (Regex Pattern, string Why)[] Allowed =
    [
        // The driver's own: the types it loads on a data source's first connection and after the enum is made, and the
        // reset of a pooled connection before its next use.
        (new(@"^(SELECT version\(\)|DISCARD ALL)$|FROM pg_type|pg_catalog\.pg_type"), "Npgsql's type loading and pool reset"),
        // One transaction for the create steps (and the state rows with them), one per batch of rows.
        (new("^(BEGIN|COMMIT|ROLLBACK)"), "transaction control"),
        (new(@"^SELECT txid_current\(\)$|txid_status"), "a transaction's id, asked to know after a lost connection whether it committed"),
        // The run's claim on its scope and the end of an earlier run's sessions, on a connection of its own.
        (new("pg_try_advisory_lock|pg_stat_activity|pg_terminate_backend|pg_cancel_backend"), "the run's claim and an earlier run's sessions"),
        // What the catalog holds decides --resume and --replace: a dry run does not connect.
        (new("FROM pg_class c JOIN pg_namespace|FROM pg_type t JOIN pg_namespace|FROM pg_extension|^SELECT nspname FROM pg_namespace$"), "catalog reads: existing relations, types and schemas"),
        (new("pg_available_extensions"), "the target asked whether it can have the source's extensions, before anything is written"),
        // docs/copy.md: --dry-run writes nothing, not even the state table; its rows carry the run's counts.
        (new("ferry\\.copy_state|^CREATE SCHEMA IF NOT EXISTS ferry$"), "ferry.copy_state, the resume state"),
        // Each batch commits without waiting for its WAL flush (LoadSession).
        (new("^SET synchronous_commit = off$"), "the load's session setting"),
        (new(@"^SELECT pg_read_file\(current_setting\('data_directory'\)"), "this test reading the log (logged as it starts)"),
    ];

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task The_dry_run_script_is_what_a_run_sends_in_the_same_order(bool replace)
    {
        await using var db = await TestCluster.CreateDatabaseAsync("dryrun");
        await db.ExecuteAsync($"ALTER DATABASE \"{db.Name}\" SET log_statement = 'all'");
        var options = new CopyOptions { Source = "fake:shop", Target = db.Target, RejectsDirectory = Path.Combine(_dir, "rejects"), Jobs = 2, TargetSchema = "shop" };
        if (replace)
        {
            // --replace over an earlier copy: its drops are steps of the script too.
            var earlier = await new CopyRunner(options).RunAsync(Shop(), default);
            Assert.True(earlier.Ok, string.Join("\n", earlier.Failures));
            options = options with { Replace = true };
        }

        await AssertScriptIsSentAsync(db, options, runner => runner.RunAsync(Shop(), default));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_PostgreSQL_source_s_dry_run_is_what_a_run_sends(bool replace)
    {
        await using var source = await TestCluster.CreateDatabaseAsync("dryrun_source");
        await Sources.Postgres.PostgresObjectsTests.CreateAsync(source);
        await using var db = await TestCluster.CreateDatabaseAsync("dryrun");
        await db.ExecuteAsync($"ALTER DATABASE \"{db.Name}\" SET log_statement = 'all'");
        var options = new CopyOptions
        {
            Source = source.Url, Target = db.Target, RejectsDirectory = Path.Combine(_dir, "rejects"), Jobs = 2, Names = NamingRule.Preserve,
            EngineOptions = [new Ferry.Sources.Postgres.PostgresOptions { SchemaMap = new Dictionary<string, string> { ["Forecasts"] = "Archive" }, WithFunctions = true }],
        };
        if (replace)
        {
            // --replace over an earlier copy: the types, functions and sequences are dropped and made again.
            var earlier = await new CopyRunner(options).RunAsync(default);
            Assert.True(earlier.Ok, string.Join("\n", earlier.Failures));
            options = options with { Replace = true };
        }

        await AssertScriptIsSentAsync(db, options, runner => runner.RunAsync(default));
    }

    /// <summary>A dry run's script against what a run with <paramref name="options"/> sent, as the server logged it.</summary>
    static async Task AssertScriptIsSentAsync(TestDatabase db, CopyOptions options, Func<CopyRunner, Task<CopyResult>> runWith)
    {
        var dryRun = await runWith(new CopyRunner(options with { DryRun = true }));
        var script = Sections(dryRun.Plan.Script());

        var start = await db.ScalarAsync<long>($"SELECT size FROM pg_stat_file({LogFile})");
        var run = await runWith(new CopyRunner(options));
        Assert.True(run.Ok, string.Join("\n", run.Failures.Concat(run.Warnings)));
        var logged = await LoggedAsync(db, start);

        // Every logged statement is a step of the script, or explained above; every step was sent.
        var sent = logged.Where(l => !Allowed.Any(a => a.Pattern.IsMatch(l.Sql))).ToList();
        var section = script.SelectMany((s, i) => s.Statements.Select(x => (x, i))).GroupBy(p => p.x).ToDictionary(g => g.Key, g => g.Select(p => p.i).Distinct().Single());
        Assert.Empty(sent.Where(l => !section.ContainsKey(l.Sql)).Select(l => l.Sql));
        Assert.Empty(section.Keys.Except(sent.Select(l => l.Sql)));

        // The sections run in the script's order: the statistics and the count check together, as the script says.
        var together = script.FindIndex(s => s.Heading.StartsWith("row counts", StringComparison.Ordinal));
        int Order(string sql) => section[sql] == together ? together - 1 : section[sql];
        var orders = sent.Select(l => Order(l.Sql)).ToList();
        Assert.True(orders.SequenceEqual(orders.Order()), string.Join("\n", sent.Select(l => $"{Order(l.Sql)} {l.Sql}")));

        for (var i = 0; i < script.Count; i++)
        {
            var expected = script[i].Statements;
            var actual = sent.Where(l => section[l.Sql] == i).Select(l => l.Sql).ToList();
            if (script[i].Heading.StartsWith("data:", StringComparison.Ordinal))
                Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Distinct().Order(StringComparer.Ordinal)); // one COPY per batch, jobs in parallel
            else if (Parallel(script[i].Heading))
                Assert.Equal(expected.Order(StringComparer.Ordinal), actual.Order(StringComparer.Ordinal)); // in parallel: the executor's order
            else
                Assert.Equal(expected, actual); // one after another: the script's order, exactly (one foreign key: its validation follows)
        }

        // A parallel step's statements go together, in order, on one connection.
        foreach (var session in sent.GroupBy(l => l.Pid).Select(g => g.Select(l => l.Sql).ToList()))
        {
            for (var i = 0; i < session.Count; i++)
            {
                if (session[i].StartsWith("ALTER TABLE IF EXISTS", StringComparison.Ordinal))
                    Assert.StartsWith("ANALYZE ", session[i - 1], StringComparison.Ordinal);
                if (session[i].StartsWith("SELECT count(*)", StringComparison.Ordinal))
                    Assert.Equal("SET max_parallel_workers_per_gather = 0", session[i - 1]);
            }
        }
    }

    sealed record Section(string Heading, List<string> Statements);

    /// <summary>The script's sections: under each heading its statements (a commented section's lines are statements too).</summary>
    static List<Section> Sections(string script)
    {
        var sections = new List<Section>();
        foreach (var part in script.Split("\n\n-- ").Skip(1))
        {
            if (!part.Contains('\n', StringComparison.Ordinal))
            {
                sections.Add(new Section(part, [])); // a group with nothing to do (a PostgreSQL source's without foreign keys)
                continue;
            }

            var heading = part[..part.IndexOf('\n', StringComparison.Ordinal)];
            var body = part[(heading.Length + 1)..].TrimEnd('\n') + "\n"; // the blank line before a heading is the split's
            var statements = body.StartsWith("-- ", StringComparison.Ordinal)
                ? body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l[3..]).ToList()
                : body.Split(";\n", StringSplitOptions.RemoveEmptyEntries).ToList();
            sections.Add(new Section(heading, statements));
        }

        return sections;
    }

    static bool Parallel(string heading) => heading.StartsWith("primary keys", StringComparison.Ordinal) || heading.StartsWith("statistics", StringComparison.Ordinal) || heading.StartsWith("row counts", StringComparison.Ordinal);

    /// <summary>The server's log: the test cluster writes it beside its data directory.</summary>
    const string LogFile = "current_setting('data_directory') || '/../postgres.log'";

    sealed record Logged(int Pid, string Sql);

    /// <summary>The statements log_statement wrote from <paramref name="start"/> on (only this test's database logs them).</summary>
    static async Task<List<Logged>> LoggedAsync(TestDatabase db, long start)
    {
        var text = await db.ScalarAsync<string>($"SELECT pg_read_file({LogFile}, {start}, (SELECT size FROM pg_stat_file({LogFile})) - {start})");
        var logged = new List<Logged>();
        Logged? current = null;
        foreach (var line in text.Split('\n'))
        {
            if (current is not null && line.StartsWith('\t'))
            {
                current = current with { Sql = current.Sql + "\n" + line[1..] };
                logged[^1] = current;
                continue;
            }

            var match = LogLine().Match(line);
            current = match.Success ? new Logged(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), match.Groups[2].Value) : null;
            if (current is not null)
                logged.Add(current);
        }

        return logged;
    }

    [GeneratedRegex(@"^\S+ \S+ \S+ \[(\d+)\] LOG:  (?:statement|execute [^:]+): (.*)$")]
    private static partial Regex LogLine();

    /// <summary>The pipeline tests' shop with an enum column; its views made for the shop schema (none fails).</summary>
    static FakeSource Shop()
    {
        var moods = new TableModel { SourceName = "Moods", Columns = [Column("Id", PgType.BigInt, notNull: true), Column("Mood", PgType.EnumOf("public.mood"))] };
        var source = CopyPipelineTests.Shop(more: new FakeTable(moods, 2, (id, s) =>
        {
            s.SetInt64(0, id);
            s.SetText(1, id == 1 ? "sad" : "happy");
        }));
        source.Enums.Add(new EnumModel("public", "mood", ["sad", "happy"]));
        source.Views.RemoveAll(v => v.TargetSql is not null);
        source.Views.Insert(0, new ViewModel { SourceName = "BigOrders", SourceSql = "…", TargetSql = "SELECT orderid, total FROM \"order\" WHERE total > 100" });
        return source;
    }
}
