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

    /// <summary>Rejects the row when the value has an 'x', makes an empty value NULL; its values are secret.</summary>
    sealed class Secret : ColumnStep
    {
        public override string Description => "checked";

        public override bool Accepts(PgType type) => type.Kind is PgTypeKind.Text;

        public override bool Masks => true;

        public override StepResult Apply(ref string value) =>
            value.Contains('x', StringComparison.Ordinal) ? StepResult.Reject("checked: an x is not allowed")
            : value.Length == 0 ? StepResult.Null
            : StepResult.Value;
    }

    /// <summary>Like a salted hash: a new suffix each time, so only <see cref="Matches"/> can check it.</summary>
    sealed class Salted : ColumnStep
    {
        public override string Description => "salted";

        public override bool Accepts(PgType type) => type.Kind is PgTypeKind.Text;

        public override bool Deterministic => false;

        public override string Text(string value) => value + "$" + Guid.NewGuid().ToString("N")[..8];

        public override bool Matches(string source, string target) => target.Length == source.Length + 9 && target.StartsWith(source + "$", StringComparison.Ordinal);
    }

    /// <summary>Slow on purpose, and says which threads ran it.</summary>
    sealed class Slow : ColumnStep
    {
        public System.Collections.Concurrent.ConcurrentDictionary<int, bool> Threads { get; } = new();

        public override string Description => "slow";

        public override bool Accepts(PgType type) => type.Kind is PgTypeKind.Text;

        public override bool Expensive => true;

        public override string Text(string value)
        {
            Threads[Environment.CurrentManagedThreadId] = true;
            Thread.Sleep(2);
            return value;
        }
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

    static CopyOptions WithStep(SqliteTestFile file, TestDatabase db, string column, ColumnStep step) =>
        Options(file, db, steps: false) with { ColumnSteps = new Dictionary<string, IReadOnlyList<ColumnStep>> { [column] = [step] } };

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

    [Fact]
    public async Task A_step_may_make_a_value_null_or_reject_its_row_and_a_masked_value_is_never_written()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE login (id INTEGER PRIMARY KEY, password TEXT)",
            "INSERT INTO login VALUES (1, 'hunter2'), (2, 'xyzzy-secret'), (3, ''), (4, NULL)");
        await using var db = await TestCluster.CreateDatabaseAsync("column_step_outcomes");
        var options = WithStep(file, db, "login.password", new Secret());

        var copy = await new CopyRunner(options).RunAsync(default);

        var table = Assert.Single(copy.Tables);
        Assert.Equal((4L, 3L, 1L), (table.RowsRead, table.RowsWritten, table.RowsRejected));
        Assert.Equal("1:hunter2|3:NULL|4:NULL", await db.ScalarAsync<string>("SELECT string_agg(id || ':' || coalesce(password, 'NULL'), '|' ORDER BY id) FROM login"));
        var rejects = await File.ReadAllTextAsync(table.RejectFile!);
        Assert.Contains("checked: an x is not allowed", rejects, StringComparison.Ordinal);
        Assert.DoesNotContain("xyzzy", rejects, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"***\"", rejects, StringComparison.Ordinal);
        Assert.DoesNotContain("xyzzy", string.Join("\n", table.Rejects.SelectMany(g => g.Samples.Select(s => s.Value))), StringComparison.Ordinal);
        Directory.Delete(options.RejectsDirectory, recursive: true);
    }

    [Fact]
    public async Task A_rejected_rows_key_shows_a_masked_key_column_as_masked()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE vault (secret TEXT PRIMARY KEY, email TEXT)",
            "INSERT INTO vault VALUES ('open-sesame', 'ada@example.org'), ('swordfish', 'not an e-mail')");
        await using var db = await TestCluster.CreateDatabaseAsync("column_step_masked_key");
        var options = Options(file, db, steps: false) with
        {
            ColumnSteps = new Dictionary<string, IReadOnlyList<ColumnStep>>
            {
                ["vault.secret"] = [new Ferry.Transforms.Steps.BcryptStep(4)],
                ["vault.email"] = [new Ferry.Transforms.Steps.ValidateEmailStep(Ferry.Transforms.Steps.ValuePolicy.Reject)],
            },
        };

        var copy = await new CopyRunner(options).RunAsync(default);

        var table = Assert.Single(copy.Tables);
        Assert.Equal((2L, 1L, 1L), (table.RowsRead, table.RowsWritten, table.RowsRejected));
        var sample = Assert.Single(Assert.Single(table.Rejects).Samples);
        Assert.Equal([new KeyValuePair<string, string?>("secret", "***"), new KeyValuePair<string, string?>("row", "2")], sample.Key);
        var rejects = await File.ReadAllTextAsync(table.RejectFile!);
        Assert.Contains("\"key\":{\"secret\":\"***\",\"row\":\"2\"}", rejects, StringComparison.Ordinal);
        Assert.DoesNotContain("swordfish", rejects, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"\$2[aby]\$04\$", rejects); // nor its hash
        Directory.Delete(options.RejectsDirectory, recursive: true);
    }

    [Fact]
    public async Task Verify_checks_a_step_that_is_not_repeatable_row_by_row_and_names_a_value_it_could_not_have_made()
    {
        using var file = People();
        await using var db = await TestCluster.CreateDatabaseAsync("column_step_unrepeatable");
        var options = WithStep(file, db, "person.name", new Salted());
        var copy = await new CopyRunner(options).RunAsync(default);
        Assert.True(copy.Ok, string.Join("\n", copy.Failures));
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM person WHERE name ~ '\\$[0-9a-f]{8}$'"));
        await using var source = file.Source();

        var identical = Assert.Single((await new Verifier(db.Target).VerifyAsync(source, copy.Plan, default)).Tables);
        Assert.True(identical.Ok, string.Join("; ", identical.Problems.Concat(identical.Differences.Select(d => d.Kind))));

        // Another value of the right shape, but not made of this row's source value; and a NULL where a value was.
        await db.ExecuteAsync("UPDATE person SET name = 'mallory$0123abcd' WHERE id = 2; UPDATE person SET name = NULL WHERE id = 4");
        var changed = Assert.Single((await new Verifier(db.Target).VerifyAsync(source, copy.Plan, default)).Tables);
        Assert.Equal([(2L, DifferenceKind.Unmatched, "name: not salted of the source value"), (4L, DifferenceKind.Changed, null)],
            changed.Differences.Select(d => ((long)d.Key!["id"]!, d.Kind, d.Row)).OrderBy(d => d.Item1).ToList());

        var sampled = Assert.Single((await new Verifier(db.Target, new VerifyOptions { Sample = 1 }).VerifyAsync(source, copy.Plan, default)).Tables);
        Assert.DoesNotContain(sampled.Differences, d => d.Kind == DifferenceKind.Unmatched);
    }

    [Fact]
    public async Task A_small_table_with_an_expensive_step_is_loaded_over_every_job()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE login (id INTEGER PRIMARY KEY, password TEXT)",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 400) INSERT INTO login SELECT i, 'p' || i FROM n");
        await using var db = await TestCluster.CreateDatabaseAsync("column_step_expensive");
        var slow = new Slow();
        var options = WithStep(file, db, "login.password", slow) with { Jobs = 4 };

        var copy = await new CopyRunner(options).RunAsync(default);

        Assert.True(copy.Ok, string.Join("\n", copy.Failures));
        Assert.Equal(400L, await db.ScalarAsync<long>("SELECT count(*) FROM login"));
        Assert.True(slow.Threads.Count > 1, $"the step ran on {slow.Threads.Count} thread(s)");
    }
}
