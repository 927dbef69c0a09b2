using Ferry.Check.Spec;
using Ferry.Project;
using Ferry.Transforms.Steps;

namespace Ferry.Tests.Check;

/// <summary>The <c>expect</c> section read from <c>ferry.yml</c> and from a file of its own: its records, and every refusal with its file, line and key.</summary>
public sealed class ExpectationSpecTests : IDisposable
{
    readonly string _root = Directory.CreateTempSubdirectory("ferry-expect-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>The issue's example.</summary>
    internal const string Example = """
        expect:
          '"Forecasts".curve_definitions':
            rows: 72
            unique: [curve_name, [market, location]]
            not_null: [id, curve_name, market]
            values: { market: [CAISO, ERCOT, PJM, SPP] }
            range: { capacity_mw: { min: 0, max: 5000 } }
            match: { contact_email: email, code: '^[A-Z]{3}-\d+$', phone: { format: phone, region: us } }
            references: { owner_id: users.id }
            fresh: { updated_at: 6h }
            sql: [ "SELECT id FROM curve_definitions WHERE start_date > end_date;" ]
            severity: warn
          before:
            users:
              rows: { min: 1, severity: error }
              unique: { columns: [email], severity: warn }
        """;

    string Write(string yaml, string name = "expect.yml")
    {
        var path = Path.Combine(_root, name);
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void The_issue_example_reads_into_one_expectation_per_column_list_item_and_query()
    {
        var spec = ExpectationFile.Load(Write(Example));

        var curves = spec.Tables[0];
        Assert.Equal(("Forecasts", true, "curve_definitions", CheckStage.After), (curves.Table.Schema, curves.Table.SchemaQuoted, curves.Table.Name, curves.Stage));
        Assert.Equal(
            ["rows = 72", "unique (curve_name)", "unique (market, location)", "not_null id", "not_null curve_name", "not_null market",
             "values market in [CAISO, ERCOT, PJM, SPP]", "range capacity_mw 0..5000", "match contact_email email", @"match code ~ ^[A-Z]{3}-\d+$",
             "match phone phone (US)", "references owner_id → users.id", "fresh updated_at within 6h", "sql SELECT id FROM curve_definitions WHERE start_date > end_date"],
            curves.Expectations.Select(e => e.Description));
        Assert.All(curves.Expectations, e => Assert.Equal(CheckSeverity.Warn, e.Severity));
        Assert.Equal(TimeSpan.FromHours(6), curves.Expectations.OfType<FreshExpectation>().Single().Within);
        Assert.Equal(4, curves.Expectations[2].Line);

        var users = spec.Tables[1];
        Assert.Equal(CheckStage.Before, users.Stage);
        Assert.Equal([(CheckSeverity.Error, "rows 1.."), (CheckSeverity.Warn, "unique (email)")], users.Expectations.Select(e => (e.Severity, e.Description)));
        var bare = ExpectationFile.Load(Write(Example["expect:\n  ".Length..].Replace("\n  ", "\n", StringComparison.Ordinal), "bare.yml"));
        Assert.Equal(spec.Tables.SelectMany(t => t.Expectations.Select(e => $"{t.Stage} {t.Table} {e.Description}")), bare.Tables.SelectMany(t => t.Expectations.Select(e => $"{t.Stage} {t.Table} {e.Description}")));
    }

    [Fact]
    public void An_environment_replaces_a_table_it_names_and_keeps_the_others()
    {
        var path = Write("""
            expect:
              users: { rows: 3 }
              orders: { rows: 5 }
            environments:
              prod:
                database: postgres://app@db/app
                expect:
                  users: { rows: 1000 }
            """, FerryProject.FileName);

        var project = FerryProject.Load(path);

        Assert.Equal(["users: rows = 3", "orders: rows = 5"], project.Expect.Tables.Select(t => $"{t.Table}: {t.Expectations[0].Description}"));
        Assert.Equal(["orders: rows = 5", "users: rows = 1000"], project.Environments["prod"].Expect.Tables.Select(t => $"{t.Table}: {t.Expectations[0].Description}"));
    }

    [Theory]
    [InlineData("users:\n  unqiue: [email]", 2, "unknown key 'unqiue' in users: did you mean 'unique'?")]
    [InlineData("users:\n  rows: many", 2, "users.rows must be a whole number of rows, 0 or more, or source, not 'many'")]
    [InlineData("users:\n  rows: { min: 5, max: 2 }", 2, "users.rows: min 5 is more than max 2")]
    [InlineData("users:\n  unique: email", 2, "users.unique must be a list of columns")]
    [InlineData("users:\n  not_null: [id, id]", 2, "users.not_null names the column 'id' twice")]
    [InlineData("users:\n  values: { market: CAISO }", 2, "users.values.market must be a list of the values allowed")]
    [InlineData("users:\n  range: { n: 5 }", 2, "users.range.n must be a mapping with min, max or both")]
    [InlineData("users:\n  match: { phone: phone }", 2, "users.match.phone: phone needs the region")]
    [InlineData("users:\n  match: { phone: { format: phone, region: XX } }", 2, "users.match.phone.region: validate phone: region 'XX' is not a region")]
    [InlineData("users:\n  match: { e: { format: emial } }", 2, "did you mean 'email'?")]
    [InlineData("users:\n  references: { owner_id: users }", 2, "users.references.owner_id must name the column it refers to as table.column")]
    [InlineData("users:\n  fresh: { updated_at: soon }", 2, "users.fresh.updated_at must be a duration such as 30m, 6h or 2d")]
    [InlineData("users:\n  fresh: { updated_at: { within: 2h, severity: fatal } }", 2, "users.fresh.updated_at.severity must be error or warn, not 'fatal'")]
    [InlineData("users:\n  sql: { select: 1 }", 2, "users.sql must be a list of queries that must return no rows, not a mapping")]
    [InlineData("users:\n  severity: warn", 1, "users expects nothing")]
    [InlineData("users:\n  rows: 1\n'\"users\"':\n  rows: 2", 3, "the table users has expectations after already (line 1)")]
    public void A_wrong_key_or_shape_is_refused_naming_the_file_the_line_and_the_key(string yaml, int line, string message)
    {
        var path = Write(yaml);

        var e = Assert.Throws<FerryException>(() => ExpectationFile.Load(path));

        Assert.Equal(FailureKind.Configuration, e.Kind);
        Assert.StartsWith($"{path}, line {line}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a@b", true)]
    [InlineData("first.last+tag@mail.example.com", true)]
    [InlineData("o'neil@x-y.io", true)]
    [InlineData("@b.c", false)]
    [InlineData("a@", false)]
    [InlineData("a@-b.c", false)]
    [InlineData("a@b-.c", false)]
    [InlineData("a@b..c", false)]
    [InlineData("a b@c.d", false)]
    [InlineData("a@b.c.", false)]
    [InlineData("ü@b.c", false)]
    public void The_email_pattern_run_in_SQL_says_what_the_copy_step_says(string address, bool valid)
    {
        Assert.Equal(valid, ValidateEmailStep.IsValid(address));
        Assert.Equal(valid, System.Text.RegularExpressions.Regex.IsMatch(address, ValidateEmailStep.Pattern));
    }

    [Fact]
    public void The_email_pattern_holds_labels_to_63_characters_as_the_step_does()
    {
        var longest = "a@" + new string('b', 63) + ".c";
        var over = "a@" + new string('b', 64) + ".c";
        Assert.Equal((true, true), (ValidateEmailStep.IsValid(longest), System.Text.RegularExpressions.Regex.IsMatch(longest, ValidateEmailStep.Pattern)));
        Assert.Equal((false, false), (ValidateEmailStep.IsValid(over), System.Text.RegularExpressions.Regex.IsMatch(over, ValidateEmailStep.Pattern)));
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("10.0.0.300")]
    [InlineData("10.0.0")]
    [InlineData("010.0.0.1")]
    [InlineData("2001:db8::1")]
    [InlineData("2001:DB8:0:0:0:0:0:1")]
    [InlineData("::")]
    [InlineData("::1")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("1:2:3:4:5:6:7:8")]
    [InlineData("1:2:3:4:5:6:7:8:9")]
    [InlineData("1::2::3")]
    [InlineData("10.0.0.1/24")]
    [InlineData("gggg::1")]
    public void The_ip_pattern_for_servers_before_16_says_what_the_copy_step_says(string address)
    {
        var text = address;
        var step = new ValidateIpStep().Apply(ref text).Outcome == Ferry.Transforms.StepOutcome.Value;
        Assert.Equal(step, System.Text.RegularExpressions.Regex.IsMatch(address, Ferry.Check.Internal.PostgresCheckDialect.IpPattern));
    }
}
