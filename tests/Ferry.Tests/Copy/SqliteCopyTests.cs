using System.Globalization;
using System.Text.Json;
using Ferry.Copy;
using Ferry.Schema;
using Ferry.Target;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Microsoft.Data.Sqlite;

namespace Ferry.Tests.Copy;

/// <summary>End to end: real SQLite files (Chinook, and small ones with bad data) into a real PostgreSQL.</summary>
public sealed class SqliteCopyTests : IDisposable
{
    readonly string _rejects = Path.Combine(Path.GetTempPath(), "ferry-rejects-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        if (Directory.Exists(_rejects))
            Directory.Delete(_rejects, true);
    }

    static readonly string[] ChinookTables = ["Album", "Artist", "Customer", "Employee", "Genre", "Invoice", "InvoiceLine", "MediaType", "Playlist", "PlaylistTrack", "Track"];

    static T SqliteScalar<T>(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    string Rejects() => _rejects;

    [Fact]
    public async Task A_table_loaded_on_its_declared_types_is_profiled_and_loaded_again_when_a_late_value_needs_it()
    {
        // 250,000 rows: split into two ranges on two jobs, each committing batches of 10,000 before the odd values
        // near the end show up. A REAL with a fraction makes qty numeric; a text in it is rejected.
        using var file = new SqliteTestFile(
            "CREATE TABLE m (id INTEGER PRIMARY KEY, qty INTEGER, note TEXT)",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 250000) INSERT INTO m SELECT i, i, 'n' || i FROM n",
            "UPDATE m SET qty = 2.5 WHERE id = 240000",
            "UPDATE m SET qty = 'lots-of-it' WHERE id = 240001",
            "CREATE TABLE clean (id INTEGER PRIMARY KEY, qty INTEGER)",
            "INSERT INTO clean SELECT id, qty FROM m WHERE id <= 1000");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var logger = new ListLogger();
        var options = new CopyOptions { Source = "sqlite:" + file.Path, Target = db.Target, RejectsDirectory = Rejects(), Jobs = 2, BatchRows = 10_000, Logger = logger };

        var result = await new CopyRunner(options).RunAsync(default);
        var planned = await new CopyRunner(options with { DryRun = true }).RunAsync(default);

        var m = result.Tables.Single(t => t.Target == "public.m");
        Assert.Equal((250_000L, 249_999L, 1L), (m.RowsRead, m.RowsWritten, m.RowsRejected));
        Assert.Equal("public.m", Assert.Single(logger.Lines, l => l.StartsWith("Loading ", StringComparison.Ordinal))[8..16]);
        // The table as the profile plans it up front: its type, its rule, its notes.
        Assert.Equal(
            planned.Plan.Tables.Select(t => (DdlWriter.CreateTable(t), string.Join("; ", t.Notes))),
            result.Plan.Tables.Select(t => (DdlWriter.CreateTable(t), string.Join("; ", t.Notes))));
        Assert.Equal(planned.Warnings, result.Warnings);
        Assert.Contains(result.Warnings, w => w.StartsWith("m: Column qty", StringComparison.Ordinal));
        Assert.Equal("numeric", await db.ScalarAsync<string>("SELECT data_type FROM information_schema.columns WHERE table_name = 'm' AND column_name = 'qty'"));
        Assert.Equal(249_999L, await db.ScalarAsync<long>("SELECT count(*) FROM m"));
        Assert.Equal(SqliteScalar<decimal>(file.Path, "SELECT sum(qty) FROM m WHERE typeof(qty) <> 'text'"), await db.ScalarAsync<decimal>("SELECT sum(qty) FROM m"));
        Assert.Equal(1000L, await db.ScalarAsync<long>("SELECT count(*) FROM clean"));
        var rejected = Assert.Single(File.ReadAllLines(m.RejectFile!));
        Assert.Contains("lots-of-it", rejected, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resume_plans_a_finished_table_with_the_types_its_copy_profiled()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE m (id INTEGER PRIMARY KEY, qty INTEGER)",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO m SELECT i, i FROM n",
            "UPDATE m SET qty = 2.5 WHERE id = 900");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var options = new CopyOptions { Source = "sqlite:" + file.Path, Target = db.Target, RejectsDirectory = Rejects() };
        await new CopyRunner(options).RunAsync(default);

        // Nothing is read again: the plan's types come from the profile, as the first run's reload made them.
        var resumed = await new CopyRunner(options with { Resume = true }).RunAsync(default);

        Assert.True(Assert.Single(resumed.Tables).Resumed);
        Assert.Equal("numeric", resumed.Plan.Tables.Single().Columns.Single(c => c.SourceName == "qty").Type.ToSql());
        Assert.Equal("numeric", await db.ScalarAsync<string>("SELECT data_type FROM information_schema.columns WHERE table_name = 'm' AND column_name = 'qty'"));
    }

    [Fact]
    public async Task A_zoned_timestamp_in_a_tables_first_rows_makes_the_copy_profile_it_and_note_it()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE e (id INTEGER PRIMARY KEY, at DATETIME NOT NULL)",
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000) INSERT INTO e SELECT i, '2024-03-05 14:30:15' FROM n",
            "UPDATE e SET at = '2024-01-01 10:00:00+02:00' WHERE id = 10");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var logger = new ListLogger();
        var options = new CopyOptions { Source = "sqlite:" + file.Path, Target = db.Target, RejectsDirectory = Rejects(), Logger = logger };

        var result = await new CopyRunner(options).RunAsync(default);

        Assert.True(result.Ok, string.Join("\n", result.Failures.Concat(result.Warnings)));
        Assert.Contains(logger.Lines, l => l.StartsWith("Loading public.e again, profiled", StringComparison.Ordinal));
        Assert.Contains(result.Plan.Tables.Single().Notes, n => n.Contains("UTC offset", StringComparison.Ordinal));
        Assert.Equal(new DateTime(2024, 1, 1, 8, 0, 0), await db.ScalarAsync<DateTime>("SELECT at FROM e WHERE id = 10"));
        Assert.Equal(1000L, await db.ScalarAsync<long>("SELECT count(*) FROM e"));
    }

    [Fact]
    public async Task Chinook_arrives_complete_with_keys_types_and_identities()
    {
        using var file = SqliteTestFile.CopyOf("chinook.sqlite");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var options = new CopyOptions { Source = "sqlite:" + file.Path, Target = db.Target, RejectsDirectory = Rejects() };

        var result = await new CopyRunner(options).RunAsync(default);

        Assert.True(result.Ok, string.Join("\n", result.Failures.Concat(result.Warnings)));
        Assert.Equal(ChinookTables.Select(t => "public." + t.ToLowerInvariant()), result.Tables.Select(t => t.Target));
        foreach (var table in ChinookTables)
        {
            var expected = SqliteScalar<long>(file.Path, $"SELECT count(*) FROM \"{table}\"");
            var copied = result.Tables.Single(t => t.Source == table);
            Assert.Equal((expected, expected, 0L), (copied.RowsRead, copied.RowsWritten, copied.RowsRejected));
            Assert.Equal(expected, await db.ScalarAsync<long>($"SELECT count(*) FROM {table.ToLowerInvariant()}"));
        }

        Assert.Equal(11L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'p' AND connamespace = 'public'::regnamespace"));
        var foreignKeys = ChinookTables.Sum(t => SqliteScalar<long>(file.Path, $"SELECT count(DISTINCT id) FROM pragma_foreign_key_list('{t}')"));
        Assert.True(foreignKeys >= 11);
        Assert.Equal(foreignKeys, await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND convalidated"));
        Assert.Equal("numeric(10,2)", await db.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'invoice'::regclass AND attname = 'total'"));
        Assert.Equal("timestamp without time zone", await db.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'employee'::regclass AND attname = 'birthdate'"));
        Assert.Equal(SqliteScalar<decimal>(file.Path, "SELECT printf('%.2f', sum(Total)) FROM Invoice"), await db.ScalarAsync<decimal>("SELECT sum(total) FROM invoice"));
        Assert.Equal(SqliteScalar<decimal>(file.Path, "SELECT printf('%.2f', sum(UnitPrice * Quantity)) FROM InvoiceLine"), await db.ScalarAsync<decimal>("SELECT sum(unitprice * quantity) FROM invoiceline"));
        Assert.Equal(SqliteScalar<long>(file.Path, "SELECT sum(Milliseconds) + sum(Bytes) FROM Track"), await db.ScalarAsync<long>("SELECT sum(milliseconds) + sum(bytes) FROM track"));
        Assert.Equal(SqliteScalar<long>(file.Path, "SELECT sum(length(Name)) FROM Track"), await db.ScalarAsync<long>("SELECT sum(length(name)) FROM track"));
        Assert.Equal(
            SqliteScalar<string>(file.Path, "SELECT BirthDate FROM Employee WHERE EmployeeId = 1")[..10],
            await db.ScalarAsync<string>("SELECT to_char(birthdate, 'YYYY-MM-DD') FROM employee WHERE employeeid = 1"));
        Assert.Equal(276L, await db.ScalarAsync<long>("INSERT INTO artist (name) VALUES ('x') RETURNING artistid"));
    }

    [Fact]
    public async Task An_identity_at_bigints_maximum_finishes_the_copy_and_the_other_identities_continue()
    {
        // c's sqlite_sequence holds the maximum too; d's holds 20 past its rows; e has negative keys only.
        using var file = new SqliteTestFile(
            "CREATE TABLE c (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)",
            "INSERT INTO c VALUES (1, 'one'), (9223372036854775807, 'max')",
            "CREATE TABLE d (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT)",
            "INSERT INTO d VALUES (20, 'gone'), (5, 'kept')",
            "DELETE FROM d WHERE id = 20",
            "CREATE TABLE e (id INTEGER PRIMARY KEY, v TEXT)",
            "INSERT INTO e VALUES (-3, 'negative')",
            "CREATE VIEW kept AS SELECT v FROM d");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var options = new CopyOptions { Source = "sqlite:" + file.Path, Target = db.Target, RejectsDirectory = Rejects() };

        var result = await new CopyRunner(options).RunAsync(default);

        Assert.True(result.Ok, string.Join("\n", result.Failures.Concat(result.Warnings)));
        Assert.Equal("kept", await db.ScalarAsync<string>("SELECT v FROM kept"));
        Assert.Equal(21L, await db.ScalarAsync<long>("INSERT INTO d (v) VALUES ('x') RETURNING id"));
        Assert.Equal(1L, await db.ScalarAsync<long>("INSERT INTO e (v) VALUES ('x') RETURNING id"));
        var full = await Assert.ThrowsAsync<Npgsql.PostgresException>(() => db.ExecuteAsync("INSERT INTO c (v) VALUES ('x')"));
        Assert.Equal("2200H", full.SqlState); // sequence_generator_limit_exceeded: nextval reached the maximum
    }

    [Fact]
    public async Task A_cast_to_a_type_sqlite_values_cannot_be_read_as_is_refused_before_anything_is_written_and_by_verify()
    {
        using var file = new SqliteTestFile("CREATE TABLE bo (id INTEGER PRIMARY KEY, b BOOLEAN)", "INSERT INTO bo VALUES (1, 1)");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var directory = Path.GetDirectoryName(file.Path)!;

        var copy = await CliRunner.RunAsync(new Dictionary<string, string>(), directory, "copy", "sqlite:test.db", "--to", db.Url, "--cast", "bo.b=integer[]", "--rejects", Rejects());

        Assert.True(copy.ExitCode == 2, copy.ToString());
        Assert.Contains("Column bo.b: SQLite values cannot be read as integer[]", copy.Stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", copy.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('bo', 'copy_state')"));

        // A target whose column has that type (made by hand here): verify reads the source as it, and says why it cannot.
        await db.ExecuteAsync("CREATE TABLE bo (id bigint PRIMARY KEY, b integer[])");
        var verify = await CliRunner.RunAsync(new Dictionary<string, string>(), directory, "verify", "sqlite:test.db", "--to", db.Url);

        Assert.True(verify.ExitCode == 2, verify.ToString());
        Assert.Contains("error: Column bo.b: SQLite values cannot be read as integer[]", verify.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", verify.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_table_wider_than_postgresql_allows_is_refused_before_anything_is_written()
    {
        var columns = string.Join(", ", Enumerable.Range(1, 1600).Select(i => "c" + i.ToString(CultureInfo.InvariantCulture) + " INTEGER"));
        using var file = new SqliteTestFile("CREATE TABLE narrow (id INTEGER PRIMARY KEY)", $"CREATE TABLE wide (id INTEGER PRIMARY KEY, {columns})", "INSERT INTO wide (id) VALUES (1)");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var copy = await CliRunner.RunAsync(new Dictionary<string, string>(), Path.GetDirectoryName(file.Path), "copy", "sqlite:test.db", "--to", db.Url, "--rejects", Rejects());

        Assert.True(copy.ExitCode == 2, copy.ToString());
        Assert.Contains("at most 1600 columns, and table 'wide' has 1601 columns", copy.Stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was written", copy.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_class WHERE relname IN ('narrow', 'wide', 'copy_state')"));
    }

    [Fact]
    public async Task A_source_that_fails_reports_first_though_the_target_connection_opens_meanwhile()
    {
        using var file = new SqliteTestFile();
        await File.WriteAllTextAsync(file.Path, "this is not a database, just text that is long enough to have a header");
        var unreachable = Ferry.Connections.PostgresTarget.Parse("postgres://nobody@127.0.0.1:1/none");

        var bad = await Assert.ThrowsAsync<FerryException>(() =>
            new CopyRunner(new CopyOptions { Source = "sqlite:" + file.Path, Target = unreachable, RejectsDirectory = Rejects() }).RunAsync(default));
        Assert.Contains("not a readable SQLite database", bad.Message, StringComparison.Ordinal);

        using var good = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY)");
        var refused = await Assert.ThrowsAsync<FerryException>(() =>
            new CopyRunner(new CopyOptions { Source = "sqlite:" + good.Path, Target = unreachable, RejectsDirectory = Rejects() }).RunAsync(default));
        Assert.Contains("Cannot connect to PostgreSQL at 127.0.0.1:1", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Views_under_schema_read_the_copied_tables_not_same_named_ones_elsewhere()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT)",
            "INSERT INTO items VALUES (1, 'copied')",
            "CREATE VIEW item_names AS SELECT name FROM items WHERE id > 0");
        await using var db = await TestCluster.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TABLE items (id int, name text); INSERT INTO items VALUES (9, 'already in public')");
        var options = new CopyOptions { Source = "sqlite:" + file.Path, Target = db.Target, RejectsDirectory = Rejects(), TargetSchema = "staging" };

        var result = await new CopyRunner(options).RunAsync(default);

        Assert.True(result.Ok, string.Join("\n", result.Failures.Concat(result.Warnings)));
        Assert.Equal("copied", await db.ScalarAsync<string>("SELECT name FROM staging.item_names"));
        Assert.Equal("staging.items", await db.ScalarAsync<string>(
            "SELECT DISTINCT d.refobjid::regclass::text FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid WHERE r.ev_class = 'staging.item_names'::regclass AND d.refobjid <> r.ev_class"));

        // The printed plan creates it the same way.
        var plan = await CliRunner.RunAsync(new Dictionary<string, string>(), Path.GetTempPath(), "copy", "sqlite:" + file.Path, "--to", db.Url, "--schema", "staging", "--dry-run");
        Assert.Contains("SET search_path TO staging;\nCREATE VIEW staging.item_names AS", plan.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Views_with_scalar_max_min_and_round_return_what_sqlite_returns()
    {
        // SQLite's max(a, b) is NULL when an argument is; its round() goes half away from zero and returns a REAL,
        // with digits below 0 taken as 0.
        using var file = new SqliteTestFile(
            "CREATE TABLE m (id INTEGER PRIMARY KEY, a INTEGER, b INTEGER, x REAL, y REAL)",
            "INSERT INTO m VALUES (1, 1, 2, 2.5, 0.25), (2, NULL, 5, -2.5, NULL), (3, 7, NULL, 0.5, 1.5), (4, 3, 4, NULL, -0.5), " +
            "(5, NULL, NULL, 1.25, 2.0), (6, -4, -9, -0.5, 15.5)",
            "CREATE VIEW v AS SELECT id, max(a, b) AS hi, min(a, b, id) AS lo, max(x, y) AS xy, round(x) AS r0, round(x, 1) AS r1, " +
            "round(a) AS ri, round(y, -1) AS rneg, round(y, id - 5) AS rcol FROM m");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var options = new CopyOptions { Source = "sqlite:" + file.Path, Target = db.Target, RejectsDirectory = Rejects() };

        var result = await new CopyRunner(options).RunAsync(default);

        Assert.True(result.Ok && result.Warnings.Count == 0, string.Join("\n", result.Failures.Concat(result.Warnings)));
        static string Text(object? value) => value is null or DBNull ? "NULL" : $"{value.GetType().Name} {Convert.ToString(value, CultureInfo.InvariantCulture)}";
        var expected = new List<string>();
        using (var connection = new SqliteConnection($"Data Source={file.Path};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM v ORDER BY id";
            using var reader = command.ExecuteReader();
            while (reader.Read())
                expected.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => Text(reader.GetValue(i)))));
        }

        var copied = (await db.RowsAsync("SELECT * FROM v ORDER BY id")).Select(r => string.Join(" | ", r.Select(Text))).ToList();
        Assert.Equal(expected, copied);
        Assert.Equal(
            ["Int64 1 | Int64 2 | Int64 1 | Double 2.5 | Double 3 | Double 2.5 | Double 1 | Double 0 | Double 0",
             "Int64 2 | NULL | NULL | NULL | Double -3 | Double -2.5 | NULL | NULL | NULL"],
            copied[..2]);
    }

    [Fact]
    public async Task Cli_json_has_the_designed_shape_and_a_second_run_needs_resume()
    {
        using var file = SqliteTestFile.CopyOf("chinook.sqlite");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var directory = Path.GetDirectoryName(file.Path)!;

        var first = await CliRunner.RunAsync(new Dictionary<string, string>(), directory, "copy", "sqlite:test.db", "--to", db.Url, "--json", "--jobs", "2");

        Assert.True(first.ExitCode == 0, first.ToString());
        var json = first.Json();
        Assert.Equal(
            ["ok", "source", "target", "seconds", "rejects_dir", "tables", "created", "replaced", "warnings", "failures", "orphans", "phases", "mapping"],
            json.EnumerateObject().Select(p => p.Name));
        Assert.True(json.GetProperty("ok").GetBoolean());
        Assert.Equal("sqlite:test.db", json.GetProperty("source").GetString());
        Assert.Equal(db.Url, json.GetProperty("target").GetString());
        Assert.Equal(Path.Combine(directory, "ferry-rejects"), json.GetProperty("rejects_dir").GetString());
        var track = json.GetProperty("tables").EnumerateArray().Single(t => t.GetProperty("source").GetString() == "Track");
        Assert.Equal(
            ["source", "target", "rows_read", "rows_written", "rows_rejected", "seconds", "rows_repaired", "resumed", "rejects", "rows_filtered"],
            track.EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, track.GetProperty("rejects").GetArrayLength());
        Assert.Equal(("public.track", 3503, 3503, 0), (track.GetProperty("target").GetString(), track.GetProperty("rows_read").GetInt32(), track.GetProperty("rows_written").GetInt32(), track.GetProperty("rows_rejected").GetInt32()));
        Assert.Equal(11, json.GetProperty("tables").GetArrayLength());

        var again = await CliRunner.RunAsync(new Dictionary<string, string>(), directory, "copy", "sqlite:test.db", "--to", db.Url, "--json");
        Assert.Equal(2, again.ExitCode);
        Assert.Contains("--resume", again.Stderr, StringComparison.Ordinal);

        // The state knows the file by its full path: a resume that spells it otherwise, from elsewhere, finds it.
        Assert.Equal("sqlite:" + file.Path, await db.ScalarAsync<string>("SELECT DISTINCT source FROM ferry.copy_state"));
        var resumed = await CliRunner.RunAsync(new Dictionary<string, string>(), Path.GetTempPath(), "copy", "sqlite:" + Path.GetRelativePath(Path.GetTempPath(), file.Path), "--to", db.Url, "--json", "--resume");
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.All(resumed.Json().GetProperty("tables").EnumerateArray(), t => Assert.True(t.GetProperty("resumed").GetBoolean()));
        Assert.Equal(3503L, await db.ScalarAsync<long>("SELECT count(*) FROM track"));
    }

    [Fact]
    public async Task Bad_rows_and_orphans_exit_1_and_say_where_the_rejects_are()
    {
        using var file = new SqliteTestFile(
            "PRAGMA foreign_keys = OFF",
            "CREATE TABLE Author (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL)",
            "CREATE TABLE Book (Id INTEGER PRIMARY KEY, AuthorId INTEGER REFERENCES Author(Id), Pages INTEGER, Title TEXT)",
            "INSERT INTO Author VALUES (1, 'Ann'), (2, 'Bob')",
            "INSERT INTO Book VALUES (1, 1, 100, 'One'), (2, 2, 'lots-of-it', 'Two'), (3, 7, 300, 'Orphan'), (4, 1, 400, 'Four')",
            "INSERT INTO Book VALUES (5, 2, 500, 'nul' || char(0) || 'byte')");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var rejects = Rejects();

        var result = await CliRunner.RunAsync(new Dictionary<string, string>(), Path.GetDirectoryName(file.Path), "copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", rejects);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(Path.Combine(rejects, "book.jsonl"), result.Stdout, StringComparison.Ordinal);
        Assert.Contains("orphans:", result.Stdout, StringComparison.Ordinal);
        var lines = File.ReadAllLines(Path.Combine(rejects, "book.jsonl")).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(["2", "5"], lines.Select(l => l.GetProperty("key").GetProperty("id").GetString()).Order());
        Assert.Equal("Pages", lines.Single(l => l.GetProperty("key").GetProperty("id").GetString() == "2").GetProperty("column").GetString());
        Assert.Equal(3L, await db.ScalarAsync<long>("SELECT count(*) FROM book"));
        Assert.False(await db.ScalarAsync<bool>("SELECT convalidated FROM pg_constraint WHERE contype = 'f'"));
    }

    [Fact]
    public async Task A_cast_to_another_kind_of_type_drops_what_the_profile_foresaw_for_the_declared_one()
    {
        using var file = new SqliteTestFile("CREATE TABLE u (id INTEGER PRIMARY KEY, u UUID, n NUMERIC(10,2))", "INSERT INTO u VALUES (1, 7, 'n/a'), (2, '6ba7b810-9dad-11d1-80b4-00c04fd430c8', 1.5)");
        string[] dryRun = ["copy", "sqlite:" + file.Path, "--dry-run", "--to", "postgres://nobody@127.0.0.1:1/none"];

        var declared = await CliRunner.RunAsync(dryRun);
        Assert.Contains("u: Column u (UUID → uuid): 1 number stored: those rows will be rejected", declared.Stderr, StringComparison.Ordinal);
        var cast = await CliRunner.RunAsync([.. dryRun, "--cast", "u.u=text", "--cast", "u.n=numeric(12,2)"]);

        Assert.True(cast.ExitCode == 0, cast.ToString());
        Assert.DoesNotContain("Column u (", cast.Stderr, StringComparison.Ordinal);
        // Still numeric: 'n/a' is still rejected, and the note stays.
        Assert.Contains("Column n (NUMERIC(10,2) → numeric(10,2)): 1 text value", cast.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_empty_source_is_a_warning_and_an_empty_tables_list_a_usage_error()
    {
        var empty = Path.Combine(Path.GetTempPath(), "ferry-empty-" + Guid.NewGuid().ToString("N")[..10] + ".db");
        await File.WriteAllBytesAsync(empty, []);
        try
        {
            await using var db = await TestCluster.CreateDatabaseAsync();
            var copy = await CliRunner.RunAsync("copy", "sqlite:" + empty, "--to", db.Url, "--rejects", Rejects(), "--json");
            Assert.True(copy.ExitCode == 0, copy.ToString());
            Assert.Contains($"sqlite:{empty} has no tables: nothing to copy", copy.Json().GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);

            using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY)");
            foreach (var command in new[] { "copy", "verify" })
            {
                var none = await CliRunner.RunAsync(command, "sqlite:" + file.Path, "--tables", " , ", "--to", db.Url);
                Assert.Equal(2, none.ExitCode);
                Assert.Contains("--tables ' , ' names no table", none.Stderr, StringComparison.Ordinal);
            }
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Fact]
    public async Task A_name_collision_suggests_the_naming_rules_not_in_use()
    {
        using var file = new SqliteTestFile("CREATE TABLE t (id INTEGER PRIMARY KEY, UserId INTEGER, user_id INTEGER)");
        var result = await CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--dry-run", "--names", "snake", "--to", "postgres://nobody@127.0.0.1:1/none");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("columns 't.UserId' and 't.user_id' both become t.user_id", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Use --names lower or preserve, or rename in the source.", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dry_run_on_the_cli_prints_mapping_and_ddl_without_a_target()
    {
        using var file = SqliteTestFile.CopyOf("chinook.sqlite");

        var result = await CliRunner.RunAsync(new Dictionary<string, string> { ["FERRY_LOCAL_DIR"] = "/nonexistent/never-started" }, Path.GetDirectoryName(file.Path), "copy", "sqlite:test.db", "--dry-run", "--json", "--cast", "Invoice.Total=numeric(12,2)");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = result.Json();
        Assert.True(json.GetProperty("dry_run").GetBoolean());
        var ddl = json.GetProperty("ddl").GetString()!;
        Assert.Contains("CREATE TABLE public.invoiceline (", ddl, StringComparison.Ordinal);
        Assert.Contains("total numeric(12,2) NOT NULL", ddl, StringComparison.Ordinal);
        var total = json.GetProperty("mapping").EnumerateArray().Single(m => m.GetProperty("table").GetString() == "Invoice" && m.GetProperty("column").GetString() == "Total");
        Assert.Equal("NUMERIC(10,2)", total.GetProperty("source_type").GetString());
        Assert.Equal("numeric(12,2)", total.GetProperty("target_type").GetString());
    }

    [Fact]
    public async Task A_column_named_like_a_system_column_is_refused_before_anything_is_written()
    {
        using var file = new SqliteTestFile("CREATE TABLE a (id INTEGER PRIMARY KEY)", "CREATE TABLE t (id INTEGER PRIMARY KEY, ctid TEXT, XMin INTEGER)");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--to", db.Url);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("column 't.ctid' would be t.ctid (no --names rule gives it another name)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("column 't.XMin' would be t.xmin (--names preserve or snake gives it another name)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Nothing was written. Rename the column in the source", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname IN ('public', 'ferry')"));
    }

    [Fact]
    public async Task Selected_tables_go_to_another_schema_with_snake_case_names()
    {
        using var file = SqliteTestFile.CopyOf("chinook.sqlite");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await CliRunner.RunAsync(new Dictionary<string, string>(), Path.GetDirectoryName(file.Path), "copy", "sqlite:test.db", "--to", db.Url, "--json",
            "--tables", "Artist,Album,InvoiceLine", "--schema", "music", "--names", "snake", "--jobs", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["music.album", "music.artist", "music.invoice_line"], result.Json().GetProperty("tables").EnumerateArray().Select(t => t.GetProperty("target").GetString()).Order());
        Assert.Equal(347L, await db.ScalarAsync<long>("SELECT count(*) FROM music.album"));
        Assert.Equal("album_id", await db.ScalarAsync<string>("SELECT attname FROM pg_attribute WHERE attrelid = 'music.album'::regclass AND attnum = 1"));
        Assert.True(await db.ScalarAsync<bool>("SELECT convalidated FROM pg_constraint WHERE conrelid = 'music.album'::regclass AND contype = 'f'"));
        Assert.Contains(result.Json().GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("Track", StringComparison.Ordinal) && w.GetString()!.Contains("not copied", StringComparison.Ordinal));
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }

    [Theory]
    [InlineData("repair", 0, 2L, 0)]
    [InlineData("reject", 1, 1L, 1)]
    public async Task Invalid_utf8_is_repaired_and_logged_or_rejected(string mode, int exitCode, long rows, int rejected)
    {
        using var file = new SqliteTestFile("CREATE TABLE Notes (Id INTEGER PRIMARY KEY, Body TEXT)", "INSERT INTO Notes VALUES (1, 'fine')");
        file.Insert("INSERT INTO Notes VALUES (2, CAST($v AS TEXT))", new byte[] { 0x63, 0x61, 0x66, 0xE9 });
        await using var db = await TestCluster.CreateDatabaseAsync();
        var rejects = Rejects();

        var result = await CliRunner.RunAsync(new Dictionary<string, string>(), Path.GetDirectoryName(file.Path), "copy", "sqlite:test.db", "--to", db.Url, "--json", "--rejects", rejects, "--invalid-utf8", mode);

        Assert.True(result.ExitCode == exitCode, result.ToString());
        var notes = Assert.Single(result.Json().GetProperty("tables").EnumerateArray());
        Assert.Equal((2, rows, rejected), (notes.GetProperty("rows_read").GetInt64(), notes.GetProperty("rows_written").GetInt64(), notes.GetProperty("rows_rejected").GetInt32()));
        Assert.Equal(rows, await db.ScalarAsync<long>("SELECT count(*) FROM notes"));
        Assert.Contains("loaded public.notes: 2 rows read", result.Stderr, StringComparison.Ordinal);
        if (mode == "repair")
        {
            Assert.Equal("café", await db.ScalarAsync<string>("SELECT body FROM notes WHERE id = 2"));
            Assert.Single(File.ReadAllLines(Path.Combine(rejects, "notes.repairs.jsonl")));
            Assert.Equal(1, notes.GetProperty("rows_repaired").GetInt32());
        }
        else
        {
            Assert.Contains("not valid UTF-8", File.ReadAllText(Path.Combine(rejects, "notes.jsonl")), StringComparison.Ordinal);
        }

        // verify reads the source as this copy did: the rejected row is counted as rejected, not named missing.
        var verify = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--json", "--invalid-utf8", mode);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.Equal(rejected, verify.Json().GetProperty("tables")[0].GetProperty("source_rejected").GetInt32());
        if (mode == "reject")
        {
            var repairing = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--json");
            Assert.Equal(1, repairing.ExitCode);
            Assert.Equal("missing", repairing.Json().GetProperty("tables")[0].GetProperty("differences")[0].GetProperty("kind").GetString());
        }
    }
}
