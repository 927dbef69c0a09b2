using System.Text.Json;
using Ferry.Copy;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Ferry.Transforms;
using Ferry.Transforms.Spec;

namespace Ferry.Tests.Copy;

/// <summary>What a copy run created in the target and what --replace replaced: in the result, the --json document and the journal.</summary>
public sealed class CopyCreatedTests : IDisposable
{
    readonly string _folder = Directory.CreateTempSubdirectory("ferry-copy-created-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    static SqliteTestFile Source() => new(
        "CREATE TABLE a (id INTEGER PRIMARY KEY, role TEXT)",
        "INSERT INTO a VALUES (1, 'admin'), (2, 'user')",
        "CREATE TABLE b (id INTEGER PRIMARY KEY, a_id INTEGER REFERENCES a (id))",
        "INSERT INTO b VALUES (1, 1)",
        "CREATE VIEW v AS SELECT id FROM a");

    const string EnumTransform = """
        a:
          columns:
            role: { map: { admin: ADMIN, user: MEMBER }, type: enum(member_role) }
        """;

    CopyOptions Options(SqliteTestFile file, TestDatabase db, string? transform = null)
    {
        var options = new CopyOptions { Source = "sqlite:" + file.Path, Target = db.Target, TargetSchema = "app", RejectsDirectory = Path.Combine(_folder, "rejects") };
        if (transform is null)
            return options;
        var path = Path.Combine(_folder, "transform.yml");
        File.WriteAllText(path, transform);
        return TransformBinding.Apply(TransformFile.Load(path), options);
    }

    static string Created(CopyResult r) =>
        $"schemas [{string.Join(",", r.Created.Schemas)}] tables [{string.Join(",", r.Created.Tables)}] views [{string.Join(",", r.Created.Views)}] types [{string.Join(",", r.Created.Types)}] replaced [{string.Join(",", r.Replaced)}]";

    [Fact]
    public async Task A_fresh_copy_a_replace_and_a_resume_each_list_what_they_created_themselves()
    {
        using var file = Source();
        await using var db = await TestCluster.CreateDatabaseAsync();

        var fresh = await new CopyRunner(Options(file, db)).RunAsync(default);
        Assert.Equal("schemas [app] tables [app.a,app.b] views [app.v] types [] replaced []", Created(fresh));

        file.Execute("CREATE TABLE c (id INTEGER PRIMARY KEY)");
        var replaced = await new CopyRunner(Options(file, db) with { Replace = true }).RunAsync(default);
        Assert.Equal("schemas [] tables [app.c] views [] types [] replaced [app.a,app.b,app.v]", Created(replaced));

        // An interrupted run: b was dropped and not loaded again; a resumed run creates b, keeps a, and makes v again (it was there).
        await db.ExecuteAsync("DROP TABLE app.b; UPDATE ferry.copy_state SET status = 'loading' WHERE table_name = 'app.b'");
        var resumed = await new CopyRunner(Options(file, db) with { Resume = true }).RunAsync(default);
        Assert.Equal("schemas [] tables [app.b] views [] types [] replaced []", Created(resumed));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM app.b"));
    }

    [Fact]
    public async Task An_enum_of_a_transform_is_created_unless_the_target_has_it_and_replace_replaces_it()
    {
        using var file = Source();
        await using var db = await TestCluster.CreateDatabaseAsync();

        var created = await new CopyRunner(Options(file, db, EnumTransform)).RunAsync(default);
        Assert.Equal("schemas [app] tables [app.a,app.b] views [app.v] types [app.member_role] replaced []", Created(created));

        await db.ExecuteAsync("DROP SCHEMA app CASCADE; DELETE FROM ferry.copy_state; CREATE SCHEMA app; CREATE TYPE app.member_role AS ENUM ('ADMIN', 'MEMBER', 'GUEST')");
        var reused = await new CopyRunner(Options(file, db, EnumTransform)).RunAsync(default);
        Assert.Equal("schemas [] tables [app.a,app.b] views [app.v] types [] replaced []", Created(reused));

        var replaced = await new CopyRunner(Options(file, db, EnumTransform) with { Replace = true }).RunAsync(default);
        Assert.Equal("schemas [] tables [] views [] types [] replaced [app.a,app.b,app.v,app.member_role]", Created(replaced));
    }

    [Fact]
    public async Task The_json_document_and_the_journal_hold_created_and_replaced()
    {
        using var file = Source();
        await using var db = await TestCluster.CreateDatabaseAsync();
        var transform = Path.Combine(_folder, "transform.yml");
        File.WriteAllText(transform, EnumTransform);
        async Task<string> CopyAsync(params string[] more)
        {
            var result = await CliRunner.RunAsync(new Dictionary<string, string>(), _folder,
                ["copy", "sqlite:" + file.Path, "--to", db.Url, "--schema", "app", "--transform", transform, "--rejects", Path.Combine(_folder, "rejects"), "--json", .. more]);
            Assert.True(result.ExitCode == 0, result.ToString());
            var json = result.Json();
            return $"{JsonSerializer.Serialize(json.GetProperty("created"))} {JsonSerializer.Serialize(json.GetProperty("replaced"))}";
        }

        Assert.Equal("""{"schemas":["app"],"tables":["app.a","app.b"],"views":["app.v"],"types":["app.member_role"]} []""", await CopyAsync());
        Assert.Equal("""{"schemas":[],"tables":[],"views":[],"types":[]} ["app.a","app.b","app.v","app.member_role"]""", await CopyAsync("--replace"));
        await db.ExecuteAsync("DROP TABLE app.b; DROP VIEW app.v; UPDATE ferry.copy_state SET status = 'loading' WHERE table_name = 'app.b'");
        Assert.Equal("""{"schemas":[],"tables":["app.b"],"views":["app.v"],"types":[]} []""", await CopyAsync("--resume"));

        var journal = await db.RowsAsync("SELECT document -> 'created', document -> 'replaced' FROM ferry.runs WHERE kind = 'copy' ORDER BY id");
        Assert.Equal(3, journal.Count);
        using var first = JsonDocument.Parse((string)journal[0][0]!);
        Assert.Equal(["app.a", "app.b"], first.RootElement.GetProperty("tables").EnumerateArray().Select(t => t.GetString()));
        using var second = JsonDocument.Parse((string)journal[1][1]!);
        Assert.Equal(4, second.RootElement.GetArrayLength());
    }
}
