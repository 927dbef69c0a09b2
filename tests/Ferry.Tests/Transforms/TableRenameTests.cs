using Ferry.Copy;
using Ferry.Schema;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Ferry.Transforms.Spec;
using Ferry.Verify;

namespace Ferry.Tests.Transforms;

/// <summary>A transform's table renames, schemas, column renames and drops: planned, shown, copied and verified; names the source lacks refused.</summary>
public sealed class TableRenameTests
{
    static SqliteTestFile Shop() => new(
        "CREATE TABLE users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT, legacy TEXT, role TEXT)",
        "CREATE INDEX users_name ON users (name)",
        "CREATE INDEX users_legacy ON users (legacy, email)",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users (id), total REAL)",
        "CREATE VIEW user_names AS SELECT name FROM users",
        "CREATE VIEW order_totals AS SELECT total FROM orders",
        "INSERT INTO users VALUES (1, 'Ada', 'ada@example.org', 'x', 'admin'), (2, 'Grace', NULL, 'y', 'user'), (3, 'Émile', 'e@example.org', NULL, NULL)",
        "INSERT INTO orders VALUES (10, 1, 9.5), (11, 3, 12.25), (12, NULL, 1)");

    /// <summary>The renames as the transform file gives them: through <see cref="TransformSpec.TableRenames"/>.</summary>
    static IReadOnlyDictionary<string, TableRename> Renames(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), "ferry-transform-" + Guid.NewGuid().ToString("N")[..10] + ".yml");
        File.WriteAllText(path, yaml);
        try
        {
            return TransformFile.Load(path).TableRenames();
        }
        finally
        {
            File.Delete(path);
        }
    }

    static readonly IReadOnlyDictionary<string, TableRename> MembersInApp = Renames("""
        users:
          rename: members
          schema: app
          columns:
            name: { rename: full_name }
            legacy: { drop: true }
        """);

    static CopyOptions Options(SqliteTestFile file, TestDatabase? db, IReadOnlyDictionary<string, TableRename> renames) => new()
    {
        Source = "sqlite:" + file.Path,
        Target = db?.Target,
        DryRun = db is null,
        TableRenames = renames,
    };

    [Fact]
    public async Task The_dry_run_shows_a_renamed_table_in_another_schema_its_renamed_and_dropped_columns()
    {
        using var file = Shop();

        var plan = (await new CopyRunner(Options(file, null, MembersInApp)).RunAsync(default)).Plan;

        var users = plan.Mapping.Where(m => m.Table == "users").ToList();
        Assert.Equal(["app.members.id", "app.members.full_name", "app.members.email", "app.members.role", "(dropped)"], users.Select(m => m.Target));
        Assert.Equal("renamed by the transform; not null", users[1].Notes);
        Assert.Equal("dropped by the transform: not read, not created", users[4].Notes);
        Assert.Contains("users: renamed by the transform to app.members", plan.Applied);
        Assert.DoesNotContain("users: renamed by the transform to app.members", plan.Notes);
        Assert.Contains("users: index users_legacy is not created: it uses a column the transform drops", plan.Notes);
        Assert.Contains("view user_names is not created: it mentions name, which the transform renames or drops", plan.Notes);
        Assert.Equal(["order_totals"], plan.Views.Select(v => v.TargetName));
        Assert.Contains("app", plan.Schemas);
    }

    [Fact]
    public async Task A_renamed_copy_without_the_dropped_column_verifies_identical()
    {
        using var file = Shop();
        await using var db = await TestCluster.CreateDatabaseAsync("table_renames");

        var copy = await new CopyRunner(Options(file, db, MembersInApp)).RunAsync(default);

        Assert.True(copy.Ok, string.Join("\n", copy.Failures));
        Assert.Equal("id,full_name,email,role", await db.ScalarAsync<string>(
            "SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_schema = 'app' AND table_name = 'members'"));
        Assert.Equal("1:Ada|2:Grace|3:Émile", await db.ScalarAsync<string>("SELECT string_agg(id || ':' || full_name, '|' ORDER BY id) FROM app.members"));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_name = 'users'"));
        Assert.Equal("CREATE INDEX users_name ON app.members USING btree (full_name)", await db.ScalarAsync<string>("SELECT indexdef FROM pg_indexes WHERE schemaname = 'app' AND indexname = 'users_name'"));
        Assert.Equal("FOREIGN KEY (user_id) REFERENCES app.members(id)", await db.ScalarAsync<string>("SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE contype = 'f'"));

        await using var source = file.Source();
        var planned = (await new Verifier(db.Target).VerifyAsync(source, copy.Plan, default)).Tables;
        Assert.All(planned, t => Assert.True(t.Ok, t.Source + ": " + string.Join("; ", t.Problems)));
        Assert.Contains(planned, t => t.Target == "app.members");

        // ferry verify plans for itself: given the copy's renames it finds and compares the same tables.
        var replanned = (await new Verifier(db.Target, new VerifyOptions { TableRenames = MembersInApp }).VerifyAsync(source, default)).Tables;
        Assert.Equal(["app.members", "public.orders"], replanned.Select(t => t.Target).Order());
        Assert.All(replanned, t => Assert.True(t.Ok, t.Source + ": " + string.Join("; ", t.Problems)));

        // A value changed after the copy is still named, under the renamed column.
        await db.ExecuteAsync("UPDATE app.members SET full_name = 'Ada L.' WHERE id = 1");
        var changed = Assert.Single((await new Verifier(db.Target, new VerifyOptions { TableRenames = MembersInApp, Tables = ["users"] }).VerifyAsync(source, default)).Tables);
        Assert.Equal([(1L, "changed")], changed.Differences.Select(d => ((long)d.Key!["id"]!, d.Kind)).ToList());
    }

    [Fact]
    public async Task A_postgresql_and_a_csv_source_do_not_read_a_dropped_column()
    {
        await using var pg = await TestCluster.CreateDatabaseAsync("rename_pg_source");
        await using var db = await TestCluster.CreateDatabaseAsync("rename_pg_target");
        await pg.ExecuteAsync("""
            CREATE SCHEMA app;
            CREATE TABLE app.users (id int PRIMARY KEY, name text NOT NULL, secret text, note text);
            CREATE INDEX users_name ON app.users (lower(name)) WHERE note IS NOT NULL;
            INSERT INTO app.users VALUES (1, 'Ada', 's1', 'n'), (2, 'Grace', 's2', NULL);
            """);
        var renames = new Dictionary<string, TableRename>
        {
            ["app.users"] = new("accounts", "public")
            {
                ColumnRenames = new Dictionary<string, string> { ["name"] = "full_name" },
                DroppedColumns = new HashSet<string> { "secret" },
            },
        };
        // The source is read by a role without SELECT on the dropped column: a reader that selected it would fail.
        var role = "rename_reader_" + Guid.NewGuid().ToString("N")[..8]; // roles are the cluster's: one per run
        await pg.ExecuteAsync($"CREATE ROLE {role} LOGIN; GRANT USAGE ON SCHEMA app TO {role}; GRANT SELECT (id, name, note) ON app.users TO {role}");
        try
        {
            await CopyAndVerify(pg.Url.Replace("postgres://postgres@", $"postgres://{role}@", StringComparison.Ordinal), db, renames);
        }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await pg.ExecuteAsync($"DROP OWNED BY {role}; DROP ROLE {role}");
        }

        var csv = Path.Combine(Path.GetTempPath(), "ferry_rename_" + Guid.NewGuid().ToString("N")[..8] + ".csv");
        await File.WriteAllTextAsync(csv, "id,name,secret\n1,Ada,s1\n2,Grace,s2\n");
        try
        {
            await using var db2 = await TestCluster.CreateDatabaseAsync("rename_csv_target");
            var table = Path.GetFileNameWithoutExtension(csv);
            var csvRenames = new Dictionary<string, TableRename> { [table] = new() { DroppedColumns = new HashSet<string> { "secret" } } };
            var fromCsv = await new CopyRunner(new CopyOptions { Source = "csv:" + csv, TableName = table, Target = db2.Target, TableRenames = csvRenames }).RunAsync(default);
            Assert.True(fromCsv.Ok, string.Join("\n", fromCsv.Failures));
            Assert.Equal("id,name", await db2.ScalarAsync<string>($"SELECT string_agg(column_name, ',' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = '{table}'"));
        }
        finally
        {
            File.Delete(csv);
        }
    }

    static async Task CopyAndVerify(string reader, TestDatabase db, Dictionary<string, TableRename> renames)
    {
        var copy = await new CopyRunner(new CopyOptions { Source = reader, Target = db.Target, TableRenames = renames }).RunAsync(default);

        Assert.True(copy.Ok, string.Join("\n", copy.Failures));
        Assert.Equal("1:Ada:n|2:Grace:", await db.ScalarAsync<string>("SELECT string_agg(concat_ws(':', id, full_name, coalesce(note, '')), '|' ORDER BY id) FROM public.accounts"));
        Assert.Equal("CREATE INDEX users_name ON public.accounts USING btree (lower(full_name)) WHERE (note IS NOT NULL)", await db.ScalarAsync<string>("SELECT indexdef FROM pg_indexes WHERE indexname = 'users_name'"));
        await using var source = Ferry.Sources.SourceFactory.Open(reader, new Ferry.Sources.SourceOptions());
        var verified = Assert.Single((await new Verifier(db.Target, new VerifyOptions { TableRenames = renames }).VerifyAsync(source, default)).Tables);
        Assert.True(verified.Ok, string.Join("; ", verified.Problems));
        Assert.Equal("public.accounts", verified.Target);
    }

    [Theory]
    [InlineData("userz:\n  rename: members", "Transform for table 'userz': the source has no such table (did you mean 'users'?). Its tables are: orders, users.")]
    [InlineData("users:\n  columns:\n    emial: { drop: true }", "Transform for table 'users': the table has no column 'emial' (did you mean 'email'?). Its columns are: id, name, email, legacy, role.")]
    [InlineData("users:\n  columns:\n    id: { drop: true }", "Transform for table 'users': its primary key (id); the foreign key of orders (user_id) → users use a column it drops or renames (id).")]
    [InlineData("users:\n  columns:\n    name: { rename: a_name_that_is_far_too_long_for_postgresql_which_allows_sixty_three_bytes }", "cannot name a PostgreSQL object: names have 1 to 63 bytes")]
    [InlineData("users:\n  columns:\n    email: { rename: name }", "columns 'users.name' and 'users.email' both become members.name")]
    public async Task A_name_the_source_lacks_or_a_drop_a_key_needs_is_refused_before_anything_is_written(string yaml, string expected)
    {
        using var file = Shop();
        await using var db = await TestCluster.CreateDatabaseAsync("table_rename_refusals");
        var renames = Renames(yaml.Replace("users:\n", "users:\n  rename: members\n", StringComparison.Ordinal));

        var refused = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(Options(file, db, renames)).RunAsync(default));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"));
    }

    [Fact]
    public async Task A_check_on_a_renamed_column_is_refused_naming_it()
    {
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT CHECK (length(name) > 0))");
        var renames = new Dictionary<string, TableRename> { ["t"] = new() { ColumnRenames = new Dictionary<string, string> { ["name"] = "label" } } };

        var refused = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(Options(file, null, renames)).RunAsync(default));

        Assert.StartsWith("Transform for table 't': the check ", refused.Message, StringComparison.Ordinal);
        Assert.Contains("(on name) uses a column it drops or renames (name)", refused.Message, StringComparison.Ordinal);
    }
}
