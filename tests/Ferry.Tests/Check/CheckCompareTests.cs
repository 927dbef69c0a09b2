using Ferry.Check;
using Ferry.Check.Spec;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Check;

/// <summary>Expectations on a PostgreSQL source (<c>--on</c>), and a kind of source they do not run on refused.</summary>
public sealed class CheckCompareTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("ferry-check-compare-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    string Write(string yaml)
    {
        var path = Path.Combine(_root, Guid.NewGuid().ToString("N") + ".yml");
        File.WriteAllText(path, yaml);
        return path;
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
    }

    [Fact]
    public void A_source_kind_expectations_do_not_run_on_yet_is_refused_naming_it_and_those_they_run_on()
    {
        var e = Assert.Throws<FerryException>(() => CheckRunner.OnSource("csv:data/*.csv", workingDirectory: _root));

        Assert.Equal(FailureKind.Configuration, e.Kind);
        Assert.Equal("Expectations cannot run on csv:data/*.csv yet: ferry check --on and --compare take postgres://USER@HOST/DB. Nothing was checked.", e.Message);
    }
}
