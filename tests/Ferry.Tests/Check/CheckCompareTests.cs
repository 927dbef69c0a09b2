using Ferry.Check;
using Ferry.Check.Spec;
using Ferry.Tests.Infrastructure;
using Ferry.Transforms.Spec;

namespace Ferry.Tests.Check;

/// <summary>
/// Expectations on a PostgreSQL source (<c>--on</c>) and on source and target together (<c>--compare</c>): failures the
/// target alone has marked introduced, those both have pre-existing, <c>rows: source</c>, names mapped by a transform.
/// </summary>
public sealed class CheckCompareTests : IDisposable
{
    internal const string Users = """
        CREATE TABLE users (id int PRIMARY KEY, email text, name text);
        INSERT INTO users VALUES (1, 'a@x.io', 'Ann'), (2, 'b@x.io', NULL), (4, 'd@x.io', 'Dee');
        CREATE TABLE teams (id int PRIMARY KEY, title text);
        INSERT INTO teams VALUES (1, 'red'), (2, 'blue');
        """;

    readonly string _root = Directory.CreateTempSubdirectory("ferry-check-compare-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Write(string yaml)
    {
        var path = Path.Combine(_root, Guid.NewGuid().ToString("N") + ".yml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>A source holding <see cref="Users"/>, and a target that copied it and then gained a duplicate email (id 3) and lost team 2.</summary>
    internal static async Task<(TestDatabase Source, TestDatabase Target)> CopiedAsync()
    {
        var source = await TestCluster.CreateDatabaseAsync();
        var target = await TestCluster.CreateDatabaseAsync();
        await source.ExecuteAsync(Users);
        await target.ExecuteAsync(Users + "INSERT INTO users VALUES (3, 'a@x.io', 'Al'); DELETE FROM teams WHERE id = 2;");
        return (source, target);
    }

    static string Keys(IEnumerable<CheckSample> samples) => string.Join(" ", samples.Select(s => string.Join(",", s.Key.Values)));

    [Fact]
    public async Task On_a_source_the_expectations_name_its_failing_keys()
    {
        await using var source = await CheckRunnerTests.ItemsAsync();
        var runner = CheckRunner.OnSource(source.Url);

        var result = await runner.RunAsync(ExpectationFile.Load(Write("items: { unique: [name], not_null: [name], values: { market: [CAISO, ERCOT] } }")));

        Assert.Equal(source.Url, runner.Source);
        Assert.Equal(
            ["unique (name): Failed 2 [1 3]", "not_null name: Failed 1 [4]", "values market in [CAISO, ERCOT]: Failed 1 [3]"],
            result.Results.Select(r => $"{r.Expectation.Description}: {r.Status} {r.Failing} [{Keys(r.Samples)}]"));
        Assert.All(result.Results, r => Assert.Null(r.Source));
    }

    [Fact]
    public async Task Compare_marks_a_failure_only_the_target_has_as_introduced_and_one_both_have_as_pre_existing()
    {
        var (sourceDb, targetDb) = await CopiedAsync();
        await using var source = sourceDb;
        await using var target = targetDb;
        var spec = ExpectationFile.Load(Write("users: { unique: [email], not_null: [name], rows: source }\nteams: { rows: source, unique: [title] }"));

        var result = await new CheckComparison(source.Url).RunAsync(target.Target, spec);

        var byDescription = result.Results.ToDictionary(r => $"{r.Table} {r.Expectation.Description}");
        var unique = byDescription["public.users unique (email)"];
        Assert.Equal((CheckStatus.Failed, 2L, "1 3", FailureOrigin.Introduced, true), (unique.Status, unique.Failing, Keys(unique.Samples), unique.Comparison, unique.Introduced));
        Assert.Equal((CheckStatus.Passed, 0L, "public.users"), (unique.Source!.Status, unique.Source.Failing, unique.Source.Table));
        var notNull = byDescription["public.users not_null name"];
        Assert.Equal((CheckStatus.Failed, "2", FailureOrigin.PreExisting, false), (notNull.Status, Keys(notNull.Samples), notNull.Comparison, notNull.Introduced));
        Assert.Equal((CheckStatus.Failed, 1L, "2"), (notNull.Source!.Status, notNull.Source.Failing, Keys(notNull.Source.Samples)));
        var usersRows = byDescription["public.users rows = source"];
        Assert.Equal((CheckStatus.Failed, 1L, FailureOrigin.Introduced), (usersRows.Status, usersRows.Failing, usersRows.Comparison));
        Assert.Equal($"4 rows, expected 3 (as in {source.Url})", usersRows.Message);
        var teamsRows = byDescription["public.teams rows = source"];
        Assert.Equal((CheckStatus.Failed, 1L, $"1 rows, expected 2 (as in {source.Url})"), (teamsRows.Status, teamsRows.Failing, teamsRows.Message));
        Assert.Equal((CheckStatus.Passed, FailureOrigin.None), (byDescription["public.teams unique (title)"].Status, byDescription["public.teams unique (title)"].Comparison));
        Assert.False(result.Ok);
    }

    [Fact]
    public async Task Rows_source_passes_when_the_target_has_as_many_rows_as_the_source()
    {
        await using var source = await TestCluster.CreateDatabaseAsync();
        await using var target = await TestCluster.CreateDatabaseAsync();
        await source.ExecuteAsync(Users);
        await target.ExecuteAsync(Users);

        var result = await new CheckComparison(source.Url).RunAsync(target.Target, ExpectationFile.Load(Write("users: { rows: source }\nteams: { rows: source }")));

        Assert.All(result.Results, r => Assert.Equal((CheckStatus.Passed, 0L, FailureOrigin.None, CheckStatus.Passed), (r.Status, r.Failing, r.Comparison, r.Source!.Status)));
        Assert.Equal(["3 rows", "2 rows"], result.Results.Select(r => r.Message));
        Assert.True(result.Ok);
    }

    [Fact]
    public async Task A_table_and_column_renamed_by_the_transform_are_found_in_the_source_by_their_source_names()
    {
        await using var source = await TestCluster.CreateDatabaseAsync();
        await using var target = await TestCluster.CreateDatabaseAsync();
        await source.ExecuteAsync("CREATE TABLE people (id int PRIMARY KEY, mail text); INSERT INTO people VALUES (1, 'a@x.io'), (2, 'b@x.io'), (3, 'b@x.io');");
        await target.ExecuteAsync("""
            CREATE SCHEMA app;
            CREATE TABLE app.members (id int PRIMARY KEY, email text);
            INSERT INTO app.members VALUES (1, 'a@x.io'), (2, 'b@x.io'), (3, 'b@x.io'), (4, 'a@x.io');
            """);
        var transform = TransformFile.Load(Write("transform:\n  people:\n    rename: members\n    schema: app\n    columns:\n      mail: { rename: email }\n"));
        var spec = ExpectationFile.Load(Write("app.members: { unique: [email], rows: source, not_null: [email] }"));

        var mapped = await new CheckComparison(source.Url, transform: transform).RunAsync(target.Target, spec);
        var unmapped = await new CheckComparison(source.Url).RunAsync(target.Target, spec);

        var unique = mapped.Results[0];
        Assert.Equal(("1 2 3 4", FailureOrigin.PreExisting), (Keys(unique.Samples), unique.Comparison));
        Assert.Equal(("public.people", CheckStatus.Failed, "2 3"), (unique.Source!.Table, unique.Source.Status, Keys(unique.Source.Samples)));
        Assert.Equal((CheckStatus.Failed, FailureOrigin.Introduced, $"4 rows, expected 3 (as in {source.Url})"), (mapped.Results[1].Status, mapped.Results[1].Comparison, mapped.Results[1].Message));
        Assert.Equal((CheckStatus.Passed, FailureOrigin.None), (mapped.Results[2].Status, mapped.Results[2].Comparison));
        Assert.All(unmapped.Results, r => Assert.Equal((CheckStatus.Error, FailureOrigin.Unknown), (r.Source!.Status, r.Comparison)));
        Assert.Equal("the table app.members does not exist", unmapped.Results[0].Source!.Message);
    }

    [Fact]
    public async Task Rows_source_counts_only_the_rows_the_transforms_where_copies()
    {
        await using var source = await TestCluster.CreateDatabaseAsync();
        await using var target = await TestCluster.CreateDatabaseAsync();
        await source.ExecuteAsync(Users);
        await target.ExecuteAsync(Users + "DELETE FROM users WHERE id = 2;");
        var spec = ExpectationFile.Load(Write("users: { rows: source }"));

        var filtered = await new CheckComparison(source.Url, transform: TransformFile.Load(Write("users: { where: \"name IS NOT NULL\" }"))).RunAsync(target.Target, spec);
        var whole = await new CheckComparison(source.Url).RunAsync(target.Target, spec);

        Assert.Equal((CheckStatus.Passed, "2 rows", CheckStatus.Passed, FailureOrigin.None), (filtered.Results[0].Status, filtered.Results[0].Message, filtered.Results[0].Source!.Status, filtered.Results[0].Comparison));
        Assert.Equal((CheckStatus.Failed, $"2 rows, expected 3 (as in {source.Url})"), (whole.Results[0].Status, whole.Results[0].Message));
    }

    [Fact]
    public async Task A_tables_list_the_expectations_do_not_hold_is_refused_before_the_source_is_opened()
    {
        await using var target = await TestCluster.CreateDatabaseAsync();
        var comparison = new CheckComparison("postgres://nobody@127.0.0.1:1/none", new CheckOptions { Tables = ["ghost"] });

        var e = await Assert.ThrowsAsync<FerryException>(() => comparison.RunAsync(target.Target, ExpectationFile.Load(Write("users: { rows: 1 }"))));

        Assert.Equal((FailureKind.Configuration, "--tables names ghost, which the expectations do not name. They name: users."), (e.Kind, e.Message));
    }
}
