using System.Text.Json;
using Ferry.Copy;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Ferry.Transforms;
using Ferry.Transforms.Steps;
using Ferry.Verify;

namespace Ferry.Tests.Transforms.Steps;

/// <summary>The step kinds through the library: a SQLite source copied into PostgreSQL with them, rejects written, verified.</summary>
public sealed class StepCopyTests
{
    static CopyOptions Options(SqliteTestFile file, TestDatabase? db, Dictionary<string, IReadOnlyList<ColumnStep>> steps) => new()
    {
        Source = "sqlite:" + file.Path,
        Target = db?.Target,
        RejectsDirectory = Path.Combine(Path.GetTempPath(), "ferry-rejects-" + Guid.NewGuid().ToString("N")[..10]),
        ColumnSteps = steps,
    };

    static readonly Dictionary<string, IReadOnlyList<ColumnStep>> MemberSteps = new()
    {
        ["members.email"] = [new NormalizeStep(TextNormalization.LowerTrim), new ValidateEmailStep(ValuePolicy.Reject)],
        ["members.phone"] = [new ValidatePhoneStep("US", ValuePolicy.Null, e164: true)],
        ["members.role"] = [new MapStep(new Dictionary<string, string> { ["admin"] = "ADMIN", ["user"] = "MEMBER", ["guest"] = "MEMBER" }, ValuePolicy.Reject)],
        ["members.last_ip"] = [new ValidateIpStep(ValuePolicy.Reject)],
    };

    static SqliteTestFile Members() => new(
        "CREATE TABLE members (id INTEGER PRIMARY KEY, email TEXT, phone TEXT, role TEXT, last_ip VARCHAR(45))",
        """
        INSERT INTO members VALUES
          (1, ' Ada@Example.COM ', '(201) 555-0123', 'admin', '192.168.0.1'),
          (2, 'grace@example.com', 'call me', 'user', '2001:DB8:0:0:0:0:0:1'),
          (3, 'not-an-email', '201-555-0199', 'guest', '10.0.0.1'),
          (4, NULL, NULL, NULL, NULL),
          (5, 'e@x.io', '+44 20 7946 0958', 'root', '::1'),
          (6, 'f@x.io', NULL, 'user', '0x7f.1')
        """);

    [Fact]
    public async Task Validated_normalized_and_mapped_columns_are_copied_rejected_as_their_policies_say_and_verified()
    {
        using var file = Members();
        var dryRun = await new CopyRunner(Options(file, null, MemberSteps) with { DryRun = true }).RunAsync(default);
        Assert.Equal("steps: lower-cased and trimmed, then validate email (invalid: reject)", Assert.Single(dryRun.Plan.Mapping, m => m.Column == "email").Notes);
        Assert.Equal("steps: validate phone US → E.164 (invalid: null)", Assert.Single(dryRun.Plan.Mapping, m => m.Column == "phone").Notes);

        await using var db = await TestCluster.CreateDatabaseAsync("column_step_kinds");
        var options = Options(file, db, MemberSteps);
        var copy = await new CopyRunner(options).RunAsync(default);

        var table = Assert.Single(copy.Tables);
        Assert.Equal((6L, 3L, 3L), (table.RowsRead, table.RowsWritten, table.RowsRejected));
        Assert.Equal("inet", await db.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'members'::regclass AND attname = 'last_ip'"));
        var rows = (await db.RowsAsync("SELECT id, email, phone, role, abbrev(last_ip) FROM members ORDER BY id")).Select(r => string.Join("|", r.Select(v => v?.ToString() ?? "NULL")));
        Assert.Equal(["1|ada@example.com|+12015550123|ADMIN|192.168.0.1", "2|grace@example.com|NULL|MEMBER|2001:db8::1", "4|NULL|NULL|NULL|NULL"], rows);

        Assert.Equal(Stepped.MemberRejects, await Stepped.RejectsAsync(table.RejectFile!));

        // The rejected rows are not in the target: verify the rows the copy wrote, through the same steps.
        file.Execute("DELETE FROM members WHERE id IN (3, 5, 6)");
        await using var source = file.Source();
        var verified = Assert.Single((await new Verifier(db.Target).VerifyAsync(source, copy.Plan, default)).Tables);
        Assert.True(verified.Ok, JsonSerializer.Serialize(new { verified.Problems, verified.Differences }));
        await db.ExecuteAsync("UPDATE members SET last_ip = '192.168.0.2' WHERE id = 1");
        var changed = Assert.Single((await new Verifier(db.Target).VerifyAsync(source, copy.Plan, default)).Tables);
        Assert.Equal([(1L, "changed")], changed.Differences.Select(d => ((long)d.Key!["id"]!, d.Kind)).ToList());
        Directory.Delete(options.RejectsDirectory, recursive: true);
    }

    [Fact]
    public async Task Passwords_are_hashed_once_a_hash_is_kept_and_a_masked_value_never_reaches_the_rejects_file()
    {
        const string hashed = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
        using var file = new SqliteTestFile(
            "CREATE TABLE login (id INTEGER PRIMARY KEY, password VARCHAR(40), token TEXT)",
            $"INSERT INTO login VALUES (1, 'hunter2', 'tok-a'), (2, '{hashed}', 'tok-b'), (3, NULL, NULL), (4, '', 'tok-secret-unknown')");
        await using var db = await TestCluster.CreateDatabaseAsync("column_step_bcrypt");
        var options = Options(file, db, new()
        {
            ["login.password"] = [new BcryptStep(4)],
            ["login.token"] = [new MapStep(new Dictionary<string, string> { ["tok-a"] = "A", ["tok-b"] = "B" }, ValuePolicy.Reject), new BcryptStep(4)],
        });

        var copy = await new CopyRunner(options).RunAsync(default);

        var table = Assert.Single(copy.Tables);
        Assert.Equal((4L, 3L, 1L), (table.RowsRead, table.RowsWritten, table.RowsRejected));
        Assert.Equal("text", await db.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'login'::regclass AND attname = 'password'"));
        var rows = (await db.RowsAsync("SELECT id, password, token FROM login ORDER BY id")).Select(r => ((int)(long)r[0]!, (string?)r[1], (string?)r[2])).ToList();
        Assert.Equal([1, 2, 3], rows.Select(r => r.Item1));
        var step = new BcryptStep(4);
        Assert.True(step.Matches("hunter2", rows[0].Item2!));
        Assert.False(step.Matches("hunter3", rows[0].Item2!));
        Assert.True(step.Matches("A", rows[0].Item3!));
        Assert.Equal(hashed, rows[1].Item2);
        Assert.Equal((null, null), (rows[2].Item2, rows[2].Item3));

        // Verify checks each hash against its password (a new salt each time: it cannot hash both sides alike).
        await using var source = file.Source();
        var verified = Assert.Single((await new Verifier(db.Target).VerifyAsync(source, copy.Plan, default)).Tables);
        Assert.True(verified.Ok, string.Join("; ", verified.Problems.Concat(verified.Differences.Select(d => $"{d.Kind} {d.Row}"))));
        await db.ExecuteAsync($"UPDATE login SET password = '{step.Text("hunter3")}' WHERE id = 1");
        var wrong = Assert.Single((await new Verifier(db.Target).VerifyAsync(source, copy.Plan, default)).Tables);
        Assert.Equal([(1L, DifferenceKind.Unmatched, "password: not bcrypt cost 4 of the source value")], wrong.Differences.Select(d => ((long)d.Key!["id"]!, d.Kind, d.Row)));

        var rejects = await File.ReadAllTextAsync(table.RejectFile!);
        Assert.Contains("\"reason\":\"map: no mapping for '***'\"", rejects, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"***\"", rejects, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-secret", rejects, StringComparison.Ordinal);
        Assert.DoesNotContain("tok-secret", string.Join("\n", table.Rejects.SelectMany(g => g.Samples.Select(s => g.Reason + s.Value))), StringComparison.Ordinal);
        Directory.Delete(options.RejectsDirectory, recursive: true);
    }
}
