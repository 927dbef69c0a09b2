using Ferry.Check;
using Ferry.Check.Spec;
using Ferry.Tests.Infrastructure;
using Ferry.Transforms.Spec;

namespace Ferry.Tests.Check;

/// <summary>Each kind of expectation on a real PostgreSQL table, passing and failing, with the failing rows named by key.</summary>
public sealed class CheckRunnerTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("ferry-check-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    internal const string Schema = """
        CREATE TABLE owners (id int PRIMARY KEY);
        INSERT INTO owners VALUES (1), (2);
        CREATE TABLE items (
            id int PRIMARY KEY, name text, market text, location text, capacity numeric, email text, phone text, ip text,
            token text, code text, owner_id int, starts date, ends date, updated_at timestamptz);
        INSERT INTO items VALUES
            (1, 'a', 'CAISO', 'L1', 10, 'ok@x.io', '(201) 555-0123', '10.0.0.1', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'ABC-1', 1, '2024-01-01', '2024-02-01', now() - interval '1 hour'),
            (2, 'b', 'ERCOT', 'L1', 6000, 'bad@', '123', '10.0.0.300', 'nope', 'abc-1', 3, '2024-03-01', '2024-02-01', now() - interval '2 hours'),
            (3, 'a', 'NYISO', 'L2', -1, NULL, NULL, '2001:db8::1', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12', 'XYZ-22', NULL, '2024-04-01', '2024-05-01', now()),
            (4, NULL, 'CAISO', 'L1', 0, 'x@y', '+44 20 7946 0958', '::ffff:10.0.0.1', NULL, NULL, 2, NULL, NULL, NULL);
        """;

    /// <summary>A database of its own holding <see cref="Schema"/>.</summary>
    internal static async Task<TestDatabase> ItemsAsync()
    {
        var db = await TestCluster.CreateDatabaseAsync();
        await db.ExecuteAsync(Schema);
        return db;
    }

    ExpectationSpec Spec(string yaml)
    {
        var path = Path.Combine(_root, Guid.NewGuid().ToString("N") + ".yml");
        File.WriteAllText(path, yaml);
        return ExpectationFile.Load(path);
    }

    static async Task<(CheckResult Result, CheckRunner Runner)> RunAsync(TestDatabase db, ExpectationSpec spec, CheckOptions? options = null)
    {
        var runner = new CheckRunner(db.Target, options);
        return (await runner.RunAsync(spec), runner);
    }

    /// <summary>Each result as "description: status [failing keys]".</summary>
    static string[] Outcomes(CheckResult result) =>
        [.. result.Results.Select(r => $"{r.Expectation.Description}: {r.Status.ToString().ToLowerInvariant()} {r.Failing} [{string.Join(" ", r.Samples.Select(s => string.Join(",", s.Key.Values)))}]")];

    [Fact]
    public async Task Failing_keys_come_in_the_keys_own_order_not_their_texts()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE counters (id bigint PRIMARY KEY, n int); INSERT INTO counters VALUES (100, -1), (9, -1), (10, -1), (11, 1)");

        var (result, runner) = await RunAsync(db, Spec("counters:\n  range: { n: { min: 0 } }\n"));

        var range = Assert.Single(result.Results);
        Assert.Equal(["9", "10", "100"], range.Samples.Select(s => string.Join(",", s.Key.Values)));
        Assert.Contains(runner.Queries, q => q.Sql.Contains("ORDER BY t.\"id\"", StringComparison.Ordinal) || q.Sql.Contains("ORDER BY t.id", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_kind_passes_or_fails_naming_the_failing_keys()
    {
        await using var db = await ItemsAsync();
        var spec = Spec(SourceCheckTests.Expectations + "\n  references: { id: public.items.id }\n");

        var (result, _) = await RunAsync(db, spec);

        Assert.Equal([.. SourceCheckTests.Expected, "references id → public.items.id: passed 0 []"],
            Outcomes(result));
        Assert.False(result.Ok);
        var email = result.Results.Single(r => r.Expectation.Description == "match email email");
        Assert.Equal("bad@", email.Samples[0].Values!["email"]);
        Assert.Equal("the newest starts is 2024-04-01, older than 1d", result.Results.Single(r => r.Expectation.Description == "fresh starts within 1d").Message);
        Assert.Equal("2 rows, expected at least 5", result.Results[^2].Message);
        Assert.Equal(["public.items", "public.owners"], result.Results.Select(r => r.Table).Distinct());
    }

    [Fact]
    public async Task A_table_with_six_expectations_is_read_by_one_scan_and_sampled_only_where_it_failed()
    {
        await using var db = await ItemsAsync();
        var spec = Spec("""
            items:
              rows: { min: 1 }
              unique: [name, [market, location]]
              not_null: [id]
              values: { market: [CAISO, ERCOT, NYISO] }
              match: { email: email }
            """);

        var (result, runner) = await RunAsync(db, spec);

        Assert.Equal(6, result.Results.Count);
        Assert.Equal(
            [CheckQueryPurpose.Scan, CheckQueryPurpose.Sample, CheckQueryPurpose.Sample, CheckQueryPurpose.Sample],
            runner.Queries.Select(q => q.Purpose));
        Assert.Equal(3, result.Results.Count(r => r.Status == CheckStatus.Failed));
        var scan = runner.Queries[0].Sql;
        Assert.Equal(1, CountOf(scan, "FROM public.items") + CountOf(scan, "FROM items"));
        Assert.Equal(2, CountOf(scan, "OVER (PARTITION BY"));
        Assert.All(runner.Queries.Skip(1), q => Assert.EndsWith("LIMIT 10", q.Sql, StringComparison.Ordinal));
    }

    static int CountOf(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public async Task An_expectation_that_cannot_run_is_in_error_and_the_others_still_run()
    {
        await using var db = await ItemsAsync();
        var spec = Spec("""
            items:
              not_null: [name, nickname]
              range: { id: { min: abc } }
              match: { code: '(unclosed' }
              unique: [market]
              references: { owner_id: people.id }
              sql: [ "SELECT nothing FROM items" ]
            missing_table:
              rows: 1
            """);

        var (result, runner) = await RunAsync(db, spec);

        Assert.Equal(
            ["not_null name: failed 1 [4]", "not_null nickname: error 0 []", "range id abc..: error 0 []", "match code ~ (unclosed: error 0 []",
             "unique (market): failed 2 [1 4]", "references owner_id → people.id: error 0 []", "sql SELECT nothing FROM items: error 0 []", "rows = 1: error 0 []"],
            Outcomes(result));
        string Message(int i) => result.Results[i].Message!;
        Assert.StartsWith("public.items has no column 'nickname' (its columns: id, name, market", Message(1), StringComparison.Ordinal);
        Assert.Contains("invalid input syntax for type integer: \"abc\"", Message(2), StringComparison.Ordinal);
        Assert.Contains("invalid regular expression", Message(3), StringComparison.Ordinal);
        Assert.Equal("the table people it refers to does not exist", Message(5));
        Assert.Contains("column \"nothing\" does not exist", Message(6), StringComparison.Ordinal);
        Assert.Equal("the table missing_table does not exist", Message(7));
        Assert.Equal(2, runner.Queries.Count(q => q.Purpose == CheckQueryPurpose.Scan));
    }

    [Fact]
    public async Task A_quoted_table_keeps_its_case_and_a_table_without_primary_key_names_rows_by_their_values()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        await db.ExecuteAsync("""
            CREATE SCHEMA "Forecasts";
            CREATE TABLE "Forecasts".curve_definitions (curve_name text, market text);
            INSERT INTO "Forecasts".curve_definitions VALUES ('peak', 'PJM'), ('peak', 'SPP'), ('base', 'PJM');
            CREATE TABLE "Forecasts"."Curve_Definitions" (id int PRIMARY KEY);
            """);
        var spec = Spec("""
            '"Forecasts".curve_definitions':
              rows: 3
              unique: [curve_name]
            """);

        var (result, _) = await RunAsync(db, spec);

        Assert.Equal(["rows = 3: passed 0 []", "unique (curve_name): failed 2 [peak,PJM peak,SPP]"], Outcomes(result));
        Assert.All(result.Results, r => Assert.Equal("Forecasts.curve_definitions", r.Table));
    }

    sealed class SourceCounts(long? rows) : ISourceRowCounts
    {
        public string Description => "sqlite:app.db";

        public Task<long?> RowsAsync(SourceTableName table, CancellationToken cancellationToken) => Task.FromResult(rows);
    }

    [Fact]
    public async Task Rows_source_is_in_error_without_a_source_and_compares_with_one()
    {
        await using var db = await ItemsAsync();
        var spec = Spec("items: { rows: source }");

        var (alone, _) = await RunAsync(db, spec);
        var (same, _) = await RunAsync(db, spec, new CheckOptions { SourceRows = new SourceCounts(4) });
        var (fewer, _) = await RunAsync(db, spec, new CheckOptions { SourceRows = new SourceCounts(7) });
        var (none, _) = await RunAsync(db, spec, new CheckOptions { SourceRows = new SourceCounts(null) });

        Assert.Equal(CheckStatus.Error, alone.Results[0].Status);
        Assert.Contains("--compare SOURCE", alone.Results[0].Message, StringComparison.Ordinal);
        Assert.Equal((CheckStatus.Passed, 0L), (same.Results[0].Status, same.Results[0].Failing));
        Assert.Equal((CheckStatus.Failed, 3L, "4 rows, expected 7 (as in sqlite:app.db)"), (fewer.Results[0].Status, fewer.Results[0].Failing, fewer.Results[0].Message));
        Assert.Equal("rows: source: sqlite:app.db has no table items", none.Results[0].Message);
    }

    [Fact]
    public async Task Severity_warn_reports_the_keys_and_lets_the_check_pass()
    {
        await using var db = await ItemsAsync();
        var spec = Spec("""
            items:
              severity: warn
              not_null: [name]
              unique: { columns: [name], severity: error }
            """);

        var (result, _) = await RunAsync(db, spec);
        var (warnOnly, _) = await RunAsync(db, spec, new CheckOptions { Tables = ["items"], MaxSamples = 1 });

        Assert.Equal(["not_null name: warned 1 [4]", "unique (name): failed 2 [1 3]"], Outcomes(result));
        Assert.False(result.Ok);
        Assert.Equal("unique (name): failed 2 [1]", Outcomes(warnOnly)[1]);
        Assert.True(new CheckResult([result.Results[0]]).Ok);
    }

    [Fact]
    public async Task Before_and_after_stages_run_apart_when_asked()
    {
        await using var db = await ItemsAsync();
        var spec = Spec("""
            before:
              items: { rows: 4 }
            after:
              items: { rows: 5 }
            owners: { rows: 2 }
            """);

        var (before, _) = await RunAsync(db, spec, new CheckOptions { Stage = CheckStage.Before });
        var (after, _) = await RunAsync(db, spec, new CheckOptions { Stage = CheckStage.After });
        var (both, _) = await RunAsync(db, spec);

        Assert.Equal(["rows = 4: passed 0 []"], Outcomes(before));
        Assert.Equal(["rows = 5: failed 1 []", "rows = 2: passed 0 []"], Outcomes(after));
        Assert.Equal([CheckStage.Before, CheckStage.After, CheckStage.After], both.Results.Select(r => r.Stage));
    }
}
