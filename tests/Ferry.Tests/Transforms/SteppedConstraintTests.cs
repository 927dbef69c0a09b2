using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;

namespace Ferry.Tests.Transforms;

/// <summary>A stepped column's default goes through its steps; a check its steps would break is not made, with a note.</summary>
public sealed class SteppedConstraintTests : IDisposable
{
    static readonly Dictionary<string, string> NoEnvironment = [];

    readonly string _folder = Directory.CreateTempSubdirectory("ferry-stepped-constraints-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_mapped_default_is_mapped_and_a_check_on_mapped_values_is_left_out_while_a_validated_columns_check_stays()
    {
        using var file = new SqliteTestFile(
            """
            CREATE TABLE users (
                id INTEGER PRIMARY KEY,
                email TEXT CHECK (email LIKE '%@%'),
                role TEXT NOT NULL DEFAULT 'user' CONSTRAINT role_known CHECK (role IN ('admin', 'user', 'guest')),
                password TEXT DEFAULT 'changeme')
            """,
            "INSERT INTO users VALUES (1, 'ada@example.org', 'admin', 'pw1'), (2, 'grace@example.org', 'guest', 'pw2')");
        await using var db = await TestCluster.CreateDatabaseAsync("stepped_constraints");
        var transform = Path.Combine(_folder, "transform.yml");
        await File.WriteAllTextAsync(transform, """
            users:
              columns:
                email:    { validate: email }
                role:     { map: { admin: ADMIN, user: MEMBER, guest: MEMBER }, type: enum(member_role) }
                password: { hash: bcrypt, cost: 4 }
            """);

        var copy = await CliRunner.RunAsync(NoEnvironment, _folder, "copy", "sqlite:" + file.Path, "--to", db.Url, "--transform", transform, "--verify", "--json");

        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal(["ADMIN", "MEMBER"], (await db.RowsAsync("SELECT role::text FROM users ORDER BY id")).Select(r => (string)r[0]!));
        Assert.Equal("'MEMBER'::member_role", await db.ScalarAsync<string>("SELECT column_default FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'role'"));
        Assert.Equal("(none)", await db.ScalarAsync<string>("SELECT coalesce(column_default, '(none)') FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'password'"));
        // SQLite's LIKE, translated (case-insensitive): the e-mail's check stays, validation does not change values.
        var check = Assert.Single(await db.RowsAsync("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'c' AND conrelid = 'users'::regclass"));
        Assert.Contains("email", (string)check[0]!, StringComparison.Ordinal);
        var warnings = copy.Json().GetProperty("warnings").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Contains("users: check role_known is not created: it tests role, whose values the transform's steps change", warnings);
        var notes = copy.Json().GetProperty("notes").EnumerateArray().Select(w => w.GetString()!).ToList();
        Assert.Contains("users: the default of role ('user') becomes 'MEMBER', as its values go through the transform's steps", notes);
        Assert.Contains("users: the default of password ('***') is not kept: bcrypt cost 4 gives another value each time", warnings);
        Assert.DoesNotContain("changeme", copy.Stdout + copy.Stderr, StringComparison.Ordinal);
    }
}
