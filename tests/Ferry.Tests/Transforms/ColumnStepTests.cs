using Ferry.Copy;
using Ferry.Schema;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Ferry.Transforms;
using Ferry.Verify;

namespace Ferry.Tests.Transforms;

/// <summary>A step kind defined here, in one class, attached to a column through the library: planned, shown, copied and verified.</summary>
public sealed class ColumnStepTests
{
    /// <summary>A throwaway step kind: upper-cases text.</summary>
    sealed class UpperCase : ColumnStep
    {
        public override string Description => "upper-cased";

        public override bool Accepts(PgType type) => type.Kind is PgTypeKind.Text or PgTypeKind.Varchar;

        public override string Text(string value) => value.ToUpperInvariant();
    }

    static SqliteTestFile People() => new(
        "CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT, city TEXT)",
        "INSERT INTO person VALUES (1, 'ada', 'london'), (2, 'Grace', 'new york'), (3, NULL, 'ülm'), (4, 'émile', NULL)");

    static CopyOptions Options(SqliteTestFile file, TestDatabase? db, bool steps) => new()
    {
        Source = "sqlite:" + file.Path,
        Target = db?.Target,
        RejectsDirectory = Path.Combine(Path.GetTempPath(), "ferry-rejects-" + Guid.NewGuid().ToString("N")[..10]),
        ColumnSteps = steps ? new Dictionary<string, IReadOnlyList<ColumnStep>> { ["person.name"] = [new UpperCase()] } : new Dictionary<string, IReadOnlyList<ColumnStep>>(),
    };

    [Fact]
    public async Task A_step_is_shown_by_the_dry_run_applied_by_the_copy_and_verified()
    {
        using var file = People();
        var dryRun = await new CopyRunner(Options(file, null, steps: true) with { DryRun = true }).RunAsync(default);
        var name = Assert.Single(dryRun.Plan.Mapping, m => m.Column == "name");
        Assert.Equal("steps: upper-cased", name.Notes);
        Assert.Equal("", Assert.Single(dryRun.Plan.Mapping, m => m.Column == "city").Notes);

        await using var db = await TestCluster.CreateDatabaseAsync("column_steps");
        var copy = await new CopyRunner(Options(file, db, steps: true)).RunAsync(default);
        Assert.True(copy.Ok, string.Join("\n", copy.Failures));
        Assert.Equal("ADA|GRACE||ÉMILE", await db.ScalarAsync<string>("SELECT string_agg(coalesce(name, ''), '|' ORDER BY id) FROM person"));
        Assert.Equal("london|new york|ülm|", await db.ScalarAsync<string>("SELECT string_agg(coalesce(city, ''), '|' ORDER BY id) FROM person"));

        await using var source = file.Source();
        var verified = Assert.Single((await new Verifier(db.Target).VerifyAsync(source, copy.Plan, default)).Tables);
        Assert.True(verified.Ok, string.Join("; ", verified.Problems.Concat(verified.Differences.Select(d => d.Kind))));

        // The same target against the source without the step: the rows whose names the step changed differ.
        var unstepped = Assert.Single((await new Verifier(db.Target).VerifyAsync(source, default)).Tables);
        Assert.Equal("different", unstepped.Status);
        Assert.Equal([(1L, "changed"), (2L, "changed"), (4L, "changed")], unstepped.Differences.Select(d => ((long)d.Key!["id"]!, d.Kind)).ToList());
    }

    [Fact]
    public async Task A_step_on_a_type_it_does_not_take_is_refused_while_planning()
    {
        using var file = People();
        var options = Options(file, null, steps: false) with
        {
            DryRun = true,
            ColumnSteps = new Dictionary<string, IReadOnlyList<ColumnStep>> { ["person.id"] = [new UpperCase()] },
        };
        var error = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(options).RunAsync(default));
        Assert.Equal("Steps for 'person.id': upper-cased cannot take person.id's values (bigint).", error.Message);
    }
}
