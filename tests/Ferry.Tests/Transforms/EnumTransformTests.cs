using Ferry.Copy;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Ferry.Transforms;
using Ferry.Transforms.Spec;
using Ferry.Verify;

namespace Ferry.Tests.Transforms;

/// <summary>A mapped column's <c>type: enum(name)</c>: the enum created from the map's values, the column typed, copied, shown and verified.</summary>
public sealed class EnumTransformTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("ferry-enum-transform-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static SqliteTestFile Accounts() => new(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, role TEXT)",
        "INSERT INTO users VALUES (1, 'admin'), (2, 'user'), (3, 'guest'), (4, 'root'), (5, NULL)",
        "CREATE TABLE invites (id INTEGER PRIMARY KEY, role TEXT)",
        "INSERT INTO invites VALUES (1, 'owner'), (2, 'user'), (3, 'someone')");

    /// <summary>Two tables' columns naming one enum: its labels are the union, in the order first seen (the plan's tables in order: invites, users).</summary>
    const string Transform = """
        users:
          columns:
            role: { map: { admin: ADMIN, user: MEMBER, guest: MEMBER }, unmapped: reject, type: enum(member_role) }
        invites:
          columns:
            role: { map: { owner: OWNER, user: MEMBER }, default: GUEST, type: enum(member_role) }
        """;

    const string Labels = "SELECT string_agg(enumlabel, ',' ORDER BY enumsortorder) FROM pg_enum WHERE enumtypid = 'public.member_role'::regtype";

    TransformSpec Spec(string yaml)
    {
        var path = Path.Combine(_folder, "transform.yml");
        File.WriteAllText(path, yaml);
        return TransformFile.Load(path);
    }

    CopyOptions Options(SqliteTestFile file, TestDatabase? db, string yaml = Transform) => TransformBinding.Apply(Spec(yaml), new CopyOptions
    {
        Source = "sqlite:" + file.Path,
        Target = db?.Target,
        DryRun = db is null,
        RejectsDirectory = Path.Combine(_folder, "rejects"),
    });

    [Fact]
    public async Task The_enum_is_created_with_the_maps_labels_in_order_the_columns_typed_and_the_copy_verifies_until_a_value_changes()
    {
        using var file = Accounts();
        await using var db = await TestCluster.CreateDatabaseAsync("enum_transform");

        var copy = await new CopyRunner(Options(file, db)).RunAsync(default);

        Assert.Equal("OWNER,MEMBER,GUEST,ADMIN", await db.ScalarAsync<string>(Labels)); // invites is planned first
        Assert.Equal("member_role|member_role", await db.ScalarAsync<string>(
            "SELECT string_agg(format_type(atttypid, atttypmod), '|' ORDER BY attrelid::regclass::text) FROM pg_attribute WHERE attname = 'role' AND attrelid IN ('users'::regclass, 'invites'::regclass)"));
        var users = Assert.Single(copy.Tables, t => t.Source == "users");
        Assert.Equal((5L, 4L, 1L), (users.RowsRead, users.RowsWritten, users.RowsRejected));
        Assert.Contains("map: no mapping for 'root'", await File.ReadAllTextAsync(users.RejectFile!), StringComparison.Ordinal);
        Assert.Equal("1:ADMIN|2:MEMBER|3:MEMBER|5:NULL", await db.ScalarAsync<string>("SELECT string_agg(id || ':' || coalesce(role::text, 'NULL'), '|' ORDER BY id) FROM users"));
        Assert.Equal("1:OWNER|2:MEMBER|3:GUEST", await db.ScalarAsync<string>("SELECT string_agg(id || ':' || role, '|' ORDER BY id) FROM invites"));

        await using var source = file.Source();
        var planned = (await new Verifier(db.Target).VerifyAsync(source, copy.Plan, default)).Tables;
        Assert.All(planned, t => Assert.True(t.Ok, t.Target + ": " + string.Join("; ", t.Problems.Concat(t.Differences.Select(d => d.Kind)))));
        var options = TransformBinding.Apply(Spec(Transform), new VerifyOptions());
        Assert.All((await new Verifier(db.Target, options).VerifyAsync(source, default)).Tables, t => Assert.True(t.Ok, t.Target));

        await db.ExecuteAsync("UPDATE users SET role = 'ADMIN' WHERE id = 2");
        var changed = Assert.Single((await new Verifier(db.Target, options with { Tables = ["users"] }).VerifyAsync(source, default)).Tables);
        Assert.Equal("different", changed.Status);
        Assert.Equal([(2L, "changed")], changed.Differences.Select(d => ((long)d.Key!["id"]!, d.Kind)).ToList());
    }

    [Fact]
    public async Task The_dry_run_shows_the_type_and_the_rule_and_a_cast_given_for_the_column_wins()
    {
        using var file = Accounts();

        var plan = (await new CopyRunner(Options(file, null)).RunAsync(default)).Plan;

        var role = Assert.Single(plan.Mapping, m => m.Table == "users" && m.Column == "role");
        Assert.Equal(("public.member_role", "map → enum member_role"), (role.TargetType, role.Rule));
        Assert.Contains("CREATE TYPE public.member_role AS ENUM ('OWNER', 'MEMBER', 'GUEST', 'ADMIN')", plan.Script(), StringComparison.Ordinal);

        var qualified = (await new CopyRunner(Options(file, null, Transform.Replace("enum(member_role)", "enum(app.member_role)", StringComparison.Ordinal))).RunAsync(default)).Plan;
        Assert.Equal("app.member_role", Assert.Single(qualified.Mapping, m => m.Table == "invites" && m.Column == "role").TargetType);
        Assert.Contains("CREATE SCHEMA IF NOT EXISTS app", qualified.Script(), StringComparison.Ordinal);
        Assert.Contains("CREATE TYPE app.member_role AS ENUM", qualified.Script(), StringComparison.Ordinal);

        var collision = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(Options(file, null, Transform.Replace("enum(member_role) }\n", "enum(invites) }\n", StringComparison.Ordinal))).RunAsync(default));
        Assert.Contains("table 'invites' and the transform's enum type 'invites' both become public.invites (name the enum otherwise in type: enum(…))", collision.Message, StringComparison.Ordinal);

        var cast = (await new CopyRunner(TransformBinding.Apply(Spec(Transform), new CopyOptions
        {
            Source = "sqlite:" + file.Path,
            DryRun = true,
            Casts = new Dictionary<string, string> { ["users.role"] = "text" },
        })).RunAsync(default)).Plan;
        Assert.Equal("text", Assert.Single(cast.Mapping, m => m.Table == "users" && m.Column == "role").TargetType);
        Assert.Equal("public.member_role", Assert.Single(cast.Mapping, m => m.Table == "invites" && m.Column == "role").TargetType);
        Assert.Contains("CREATE TYPE public.member_role AS ENUM ('OWNER', 'MEMBER', 'GUEST')", cast.Script(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_existing_type_lacking_labels_is_refused_with_nothing_written_and_one_with_them_is_used_as_it_is()
    {
        using var file = Accounts();
        await using var db = await TestCluster.CreateDatabaseAsync("enum_transform_existing");
        await db.ExecuteAsync("CREATE TYPE member_role AS ENUM ('GUEST', 'MEMBER')");

        var refused = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(Options(file, db)).RunAsync(default));

        Assert.Equal(
            "The target's enum type public.member_role has the labels 'GUEST', 'MEMBER', but the transform's enum(member_role) maps values to 'OWNER', 'ADMIN' too. " +
            "Nothing was written. Add them with a migration (ALTER TYPE public.member_role ADD VALUE 'OWNER'; ALTER TYPE public.member_role ADD VALUE 'ADMIN'), " +
            "or copy with --replace, which drops the copy's tables and enum types where they exist and creates them again.",
            refused.Message);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relnamespace IN ('public'::regnamespace, to_regnamespace('ferry'))"));

        await db.ExecuteAsync("ALTER TYPE member_role ADD VALUE 'OWNER'; ALTER TYPE member_role ADD VALUE 'ADMIN'");
        var copy = await new CopyRunner(Options(file, db)).RunAsync(default);
        Assert.Equal(4L, Assert.Single(copy.Tables, t => t.Source == "users").RowsWritten);
        Assert.Equal("GUEST,MEMBER,OWNER,ADMIN", await db.ScalarAsync<string>(Labels)); // the target's own type, not made again
        Assert.Equal("1:ADMIN|2:MEMBER|3:MEMBER", await db.ScalarAsync<string>("SELECT string_agg(id || ':' || role, '|' ORDER BY id) FROM users WHERE role IS NOT NULL"));
    }

    [Fact]
    public async Task Replace_drops_a_type_lacking_labels_with_the_tables_and_creates_it_again()
    {
        using var file = Accounts();
        await using var db = await TestCluster.CreateDatabaseAsync("enum_transform_replace");
        await new CopyRunner(Options(file, db, Transform.Replace("guest: MEMBER", "guest: VISITOR", StringComparison.Ordinal))).RunAsync(default);
        Assert.Equal("OWNER,MEMBER,GUEST,ADMIN,VISITOR", await db.ScalarAsync<string>(Labels));

        var refused = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(Options(file, db, Transform.Replace("admin: ADMIN", "admin: ROOT", StringComparison.Ordinal))).RunAsync(default));
        Assert.Contains("maps values to 'ROOT' too", refused.Message, StringComparison.Ordinal);

        var replaced = await new CopyRunner(Options(file, db, Transform.Replace("admin: ADMIN", "admin: ROOT", StringComparison.Ordinal)) with { Replace = true }).RunAsync(default);

        Assert.Equal(4L, Assert.Single(replaced.Tables, t => t.Source == "users").RowsWritten);
        Assert.Equal("OWNER,MEMBER,GUEST,ROOT", await db.ScalarAsync<string>(Labels));
        Assert.Equal("ROOT", await db.ScalarAsync<string>("SELECT role::text FROM users WHERE id = 1"));
    }

    [Fact]
    public async Task The_command_line_dry_run_shows_the_enum_in_text_and_json()
    {
        using var file = Accounts();
        var path = Path.Combine(_folder, "roles.yml");
        await File.WriteAllTextAsync(path, Transform);

        var text = await CliRunner.RunAsync(new Dictionary<string, string>(), _folder, "copy", "sqlite:" + file.Path, "--transform", path, "--dry-run");
        var json = await CliRunner.RunAsync(new Dictionary<string, string>(), _folder, "copy", "sqlite:" + file.Path, "--transform", path, "--dry-run", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("map → enum member_role", text.Stdout, StringComparison.Ordinal);
        Assert.Contains("CREATE TYPE public.member_role AS ENUM ('OWNER', 'MEMBER', 'GUEST', 'ADMIN')", text.Stdout, StringComparison.Ordinal);
        Assert.True(json.ExitCode == 0, json.ToString());
        var role = json.Json().GetProperty("mapping").EnumerateArray().Single(m => m.GetProperty("table").GetString() == "users" && m.GetProperty("column").GetString() == "role");
        Assert.Equal(("public.member_role", "map → enum member_role"), (role.GetProperty("target_type").GetString(), role.GetProperty("rule").GetString()));
        Assert.Contains("CREATE TYPE public.member_role AS ENUM", json.Json().GetProperty("ddl").GetString(), StringComparison.Ordinal);
    }
}
