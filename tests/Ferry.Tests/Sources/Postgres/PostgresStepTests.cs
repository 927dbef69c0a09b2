using System.Text.Json;
using Ferry.Copy;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Transforms.Steps;
using Ferry.Transforms;
using Ferry.Transforms.Steps;
using Ferry.Verify;

namespace Ferry.Tests.Sources.Postgres;

/// <summary>
/// Column steps on a PostgreSQL source: the stepped columns read as text and rewritten, the others passed through in
/// binary form, rejects as for any source; verify hashes the table through the same steps and names what changed.
/// </summary>
public sealed class PostgresStepTests
{
    static readonly Dictionary<string, IReadOnlyList<ColumnStep>> MemberSteps = new()
    {
        ["public.members.email"] = [new NormalizeStep(TextNormalization.LowerTrim), new ValidateEmailStep(ValuePolicy.Reject)],
        ["public.members.phone"] = [new ValidatePhoneStep("US", ValuePolicy.Null, e164: true)],
        ["public.members.role"] = [new MapStep(new Dictionary<string, string> { ["admin"] = "ADMIN", ["user"] = "MEMBER", ["guest"] = "MEMBER" }, ValuePolicy.Reject)],
        ["public.members.last_ip"] = [new ValidateIpStep(ValuePolicy.Reject)],
        ["public.members.nick"] = [new NormalizeStep(TextNormalization.Trim)],
    };

    /// <summary>Text-valued source types of every shape (a domain over text, varchar(n), an enum, char(n)) and unstepped columns of others.</summary>
    const string Members = """
        CREATE DOMAIN email_address AS text CHECK (VALUE <> '');
        CREATE TYPE role_kind AS ENUM ('admin', 'user', 'guest', 'root');
        CREATE TABLE members (
            id int8 PRIMARY KEY, email email_address, phone varchar(30), role role_kind, last_ip varchar(45), nick char(8),
            joined timestamptz, score numeric(8,2), prefs jsonb, tags text[]);
        INSERT INTO members VALUES
          (1, ' Ada@Example.COM ', '(201) 555-0123', 'admin', '192.168.0.1', ' ada ', '2024-03-01 10:00+02', 12.5, '{"a": 1}', '{x,y}'),
          (2, 'grace@example.com', 'call me', 'user', '2001:DB8:0:0:0:0:0:1', 'grace', '2024-03-02 11:00+00', NULL, '{"b": [1, 2]}', '{}'),
          (3, 'not-an-email', '201-555-0199', 'guest', '10.0.0.1', NULL, NULL, 1, NULL, NULL),
          (4, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
          (5, 'e@x.io', '+44 20 7946 0958', 'root', '::1', 'e', '2024-03-05 00:00+00', -3.25, '[]', '{"a|b"}'),
          (6, 'f@x.io', NULL, 'user', '0x7f.1', 'f', NULL, 0, 'null', '{NULL}');
        INSERT INTO members SELECT g, 'user' || g || '@example.com', NULL, 'guest', '10.1.' || g % 256 || '.1', 'n' || g,
            TIMESTAMPTZ '2024-01-01' + g * INTERVAL '1 h', g / 4.0, jsonb_build_object('g', g), ARRAY['t' || g]
            FROM generate_series(7, 300) g;
        """;

    static CopyOptions Options(TestDatabase source, TestDatabase? target, Dictionary<string, IReadOnlyList<ColumnStep>> steps) => new()
    {
        Source = source.Url,
        Target = target?.Target,
        Names = NamingRule.Preserve,
        RejectsDirectory = Path.Combine(Path.GetTempPath(), "ferry-rejects-" + Guid.NewGuid().ToString("N")[..10]),
        ColumnSteps = steps,
    };

    static ISource Open(TestDatabase source) => SourceFactory.Open(source.Url, new SourceOptions { Names = NamingRule.Preserve, ProfileData = false });

    static async Task<TableVerification> VerifyAsync(TestDatabase source, TestDatabase target, SchemaPlan plan)
    {
        await using var opened = Open(source);
        return Assert.Single((await new Verifier(target.Target, new VerifyOptions { Names = NamingRule.Preserve }).VerifyAsync(opened, plan, default)).Tables);
    }

    static string Explain(TableVerification verified) =>
        JsonSerializer.Serialize(new { verified.Problems, Differences = verified.Differences.Select(d => $"{d.Kind} {d.Row} {string.Join(",", d.Key ?? new Dictionary<string, object?>())}") });

    [Fact]
    public async Task Text_valued_source_columns_are_stepped_rejected_as_their_policies_say_and_verified()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_steps_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_steps_target");
        await source.ExecuteAsync(Members);
        var dryRun = await new CopyRunner(Options(source, null, MemberSteps) with { DryRun = true }).RunAsync(default);
        Assert.Equal("steps: lower-cased and trimmed, then validate email (invalid: reject)", Assert.Single(dryRun.Plan.Mapping, m => m.Column == "email").Notes);

        var options = Options(source, target, MemberSteps);
        var copy = await new CopyRunner(options).RunAsync(default);

        var table = copy.Tables.Single(t => t.Target == "public.members");
        Assert.Equal((300L, 297L, 3L), (table.RowsRead, table.RowsWritten, table.RowsRejected));
        var types = await target.RowsAsync("SELECT attname::text, format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'members'::regclass AND attnum BETWEEN 2 AND 6 ORDER BY attnum");
        // A step that keeps values fitting keeps the source's type; the map's labels are no longer the enum's: text.
        Assert.Equal([["email", "email_address"], ["phone", "character varying(30)"], ["role", "text"], ["last_ip", "inet"], ["nick", "character(8)"]], types);
        var rows = (await target.RowsAsync("SELECT id, email, phone, role, abbrev(last_ip), nick, score, prefs::text, tags::text FROM members WHERE id <= 7 ORDER BY id"))
            .Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "NULL")));
        Assert.Equal(
            [
                "1|ada@example.com|+12015550123|ADMIN|192.168.0.1|ada     |12.50|{\"a\": 1}|{x,y}",
                "2|grace@example.com|NULL|MEMBER|2001:db8::1|grace   |NULL|{\"b\": [1, 2]}|{}",
                "4|NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL",
                "7|user7@example.com|NULL|MEMBER|10.1.7.1|n7      |1.75|{\"g\": 7}|{t7}",
            ],
            rows);
        Assert.Equal(Stepped.MemberRejects, await Stepped.RejectsAsync(table.RejectFile!));
        Directory.Delete(options.RejectsDirectory, recursive: true);

        // The rejected rows are not in the target: verify the rows the copy wrote, through the same steps.
        await source.ExecuteAsync("DELETE FROM members WHERE id IN (3, 5, 6)");
        var verified = await VerifyAsync(source, target, copy.Plan);
        Assert.True(verified.Ok, Explain(verified));
        Assert.Equal(("content", 297L), (verified.Compared, verified.SourceRows));
        await target.ExecuteAsync("UPDATE members SET last_ip = '192.168.0.2' WHERE id = 1; UPDATE members SET score = 99 WHERE id = 200; UPDATE members SET email = 'USER9@example.com' WHERE id = 9");
        var changed = await VerifyAsync(source, target, copy.Plan);
        Assert.Equal([(1L, "changed"), (9L, "changed"), (200L, "changed")], changed.Differences.Select(d => ((long)d.Key!["id"]!, d.Kind)).Order().ToList());
    }

    [Fact]
    public async Task A_step_on_a_source_type_whose_values_are_not_text_is_refused_while_planning()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_steps_refused");
        await source.ExecuteAsync("CREATE TABLE account (id int PRIMARY KEY, prefs jsonb, code \"char\")");
        foreach (var (column, type) in new[] { ("prefs", "jsonb"), ("code", "\"char\""), ("id", "integer") })
        {
            var options = Options(source, null, new() { ["account." + column] = [new NormalizeStep(TextNormalization.Lower)] }) with { DryRun = true };
            var error = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(options).RunAsync(default));
            Assert.Equal($"Steps for 'account.{column}': lower-cased cannot take account.{column}'s values ({type}).", error.Message);
        }
    }

    [Fact]
    public async Task Tokens_from_a_postgres_source_are_mapped_then_hashed_masked_when_rejected_and_verify_catches_a_wrong_hash()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_bcrypt_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_bcrypt_target");
        await source.ExecuteAsync("""
            CREATE TABLE session_token (id int PRIMARY KEY, token varchar(20), seen date);
            INSERT INTO session_token VALUES (1, 'tok-a', '2024-01-01'), (2, 'tok-b', NULL), (3, NULL, '2024-01-03'), (4, 'tok-secret-unknown', NULL);
            """);
        var bcrypt = new BcryptStep(4);
        var options = Options(source, target, new()
        {
            ["session_token.token"] = [new MapStep(new Dictionary<string, string> { ["tok-a"] = "A", ["tok-b"] = "B" }, ValuePolicy.Reject), bcrypt],
        });

        var copy = await new CopyRunner(options).RunAsync(default);

        var table = Assert.Single(copy.Tables);
        Assert.Equal((4L, 3L, 1L), (table.RowsRead, table.RowsWritten, table.RowsRejected));
        // A hash does not fit varchar(20): the column becomes text.
        Assert.Equal("text", await target.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'session_token'::regclass AND attname = 'token'"));
        var tokens = (await target.RowsAsync("SELECT token FROM session_token ORDER BY id")).Select(r => (string?)r[0]).ToList();
        Assert.Equal((true, true, null), (bcrypt.Matches("A", tokens[0]!), bcrypt.Matches("B", tokens[1]!), tokens[2]));
        var rejects = await File.ReadAllTextAsync(table.RejectFile!);
        Assert.Contains("\"reason\":\"map: no mapping for '***'\"", rejects, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-secret", rejects, StringComparison.Ordinal);
        Directory.Delete(options.RejectsDirectory, recursive: true);

        await source.ExecuteAsync("DELETE FROM session_token WHERE id = 4");
        var verified = await VerifyAsync(source, target, copy.Plan);
        Assert.True(verified.Ok, Explain(verified));
        await target.ExecuteAsync($"UPDATE session_token SET token = '{bcrypt.Text("B")}' WHERE id = 1");
        var wrong = await VerifyAsync(source, target, copy.Plan);
        Assert.Equal([(1L, DifferenceKind.Unmatched, "token: not bcrypt cost 4 of the source value")], wrong.Differences.Select(d => (Convert.ToInt64(d.Key!["id"], System.Globalization.CultureInfo.InvariantCulture), d.Kind, d.Row)));
    }
}
