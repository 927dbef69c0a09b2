using System.Text.Json;
using Ferry.Copy;
using Ferry.Schema;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Ferry.Verify;

namespace Ferry.Tests.Verify;

/// <summary>Real SQLite files copied by the real pipeline, then verified: through the CLI and through the library.</summary>
public sealed class VerifyEndToEndTests
{
    static readonly string[] ChinookTables = ["Album", "Artist", "Customer", "Employee", "Genre", "Invoice", "InvoiceLine", "MediaType", "Playlist", "PlaylistTrack", "Track"];

    static string Rejects() => Path.Combine(Path.GetTempPath(), "ferry-rejects-" + Guid.NewGuid().ToString("N")[..10]);

    /// <summary><c>ferry copy sqlite:FILE --to DB --rejects DIR</c> with more options.</summary>
    static Task<CliResult> CopyAsync(SqliteTestFile file, TestDatabase db, string rejects, params string[] options) =>
        CliRunner.RunAsync(["copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", rejects, .. options]);

    /// <summary>The ids of the rows a <c>verify --json</c> names as different, in its first table.</summary>
    static List<long> DifferingIds(CliResult verify) =>
        verify.Json().GetProperty("tables")[0].GetProperty("differences").EnumerateArray()
            .Select(d => d.GetProperty("key").GetProperty("id").GetInt64()).Order().ToList();

    [Fact]
    public async Task Verify_reads_the_source_as_the_types_the_copy_chose_by_data_and_by_cast()
    {
        // 'code' is declared INTEGER but holds mostly text: the copy's data profile makes it text. 'amount' is REAL,
        // cast to numeric(12,2) by the copy. Verify (which does not profile the data again) must read both the way
        // the copy wrote them.
        using var file = new SqliteTestFile(
            "CREATE TABLE item (id INTEGER PRIMARY KEY, code INTEGER, amount REAL)",
            "INSERT INTO item VALUES (1, 'A-1', 1.5), (2, 'B-2', 2.25), (3, 'C-3', NULL), (4, 7, 10.0)");
        await using var db = await TestCluster.CreateDatabaseAsync("verify_types");
        var copy = await CopyAsync(file, db, Rejects(), "--cast", "item.amount=numeric(12,2)");
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal("text", await db.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'item'::regclass AND attname = 'code'"));
        Assert.Equal("numeric(12,2)", await db.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'item'::regclass AND attname = 'amount'"));

        var clean = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--json");
        Assert.True(clean.ExitCode == 0, clean.ToString());

        await db.ExecuteAsync("UPDATE item SET code = 'B-3' WHERE id = 2; UPDATE item SET amount = 10.01 WHERE id = 4");
        var changed = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--json");
        Assert.Equal(1, changed.ExitCode);
        var keys = changed.Json().GetProperty("tables")[0].GetProperty("differences").EnumerateArray()
            .Select(d => (d.GetProperty("key").GetProperty("id").GetInt64(), d.GetProperty("kind").GetString())).Order().ToList();
        Assert.Equal([(2L, "changed"), (4L, "changed")], keys);
    }

    [Fact]
    public async Task Reals_whose_shortest_text_lies_halfway_to_the_next_double_verify_identical()
    {
        // 1e23's shortest decimal lies exactly halfway between two doubles; PostgreSQL prints it 9.999999999999999e+22,
        // .NET and SQLite 1e+23. The same double on both sides is identical; a neighbouring double is not.
        using var file = new SqliteTestFile(
            "CREATE TABLE r (id INTEGER PRIMARY KEY, v REAL, f REAL)",
            "INSERT INTO r VALUES (1, 1e23, 3e10), (2, -2e23, 1.5), (3, 8e23, 6e10), (4, 0.1, 0.1)");
        await using var db = await TestCluster.CreateDatabaseAsync("verify_ties");
        var copy = await CopyAsync(file, db, Rejects(), "--cast", "r.f=real");
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal("9.999999999999999e+22", await db.ScalarAsync<string>("SELECT v::text FROM r WHERE id = 1"));

        var clean = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--json");
        Assert.True(clean.ExitCode == 0, clean.ToString());

        await db.ExecuteAsync("UPDATE r SET v = 99999999999999991611392 + 16777216 WHERE id = 1; UPDATE r SET f = 30000001024 + 2048 WHERE id = 3");
        var changed = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--json");
        Assert.Equal(1, changed.ExitCode);
        Assert.Equal([1L, 3L], DifferingIds(changed));
    }

    [Fact]
    public async Task A_negative_scale_and_a_scale_beyond_the_precision_round_as_postgresql_does_and_verify()
    {
        // numeric(5,-2) rounds to hundreds (half away from zero) and holds up to 10^7; numeric(3,5) holds below 10^-2.
        using var file = new SqliteTestFile(
            "CREATE TABLE n (id INTEGER PRIMARY KEY, hundreds NUMERIC, tiny REAL)",
            "INSERT INTO n VALUES (1, 12345, 0.001234), (2, 149.9, 0.00999), (3, -150, -0.000005), (4, 99950, NULL), (5, '99949', 0)",
            "CREATE TABLE bad (id INTEGER PRIMARY KEY, hundreds NUMERIC, tiny REAL)",
            "INSERT INTO bad VALUES (1, 9999949, 0.0099949), (2, 9999950, 0.001), (3, 1, 0.009995)");
        await using var db = await TestCluster.CreateDatabaseAsync("verify_scales");
        var rejects = Rejects();
        var copy = await CopyAsync(file, db, rejects, "--json",
            "--cast", "n.hundreds=numeric(5,-2)", "--cast", "n.tiny=numeric(3,5)", "--cast", "bad.hundreds=numeric(5,-2)", "--cast", "bad.tiny=numeric(3,5)");

        Assert.True(copy.ExitCode == 1, copy.ToString());
        Assert.Equal("12300 100 -200 100000 99900", await db.ScalarAsync<string>("SELECT string_agg(hundreds::text, ' ' ORDER BY id) FROM n"));
        Assert.Equal("0.00123 0.00999 -0.00001 0.00000", await db.ScalarAsync<string>("SELECT string_agg(tiny::text, ' ' ORDER BY id) FROM n"));
        Assert.Equal("1", await db.ScalarAsync<string>("SELECT string_agg(id::text, ' ') FROM bad"));
        var reasons = File.ReadAllLines(Path.Combine(rejects, "bad.jsonl")).Select(l => JsonDocument.Parse(l).RootElement)
            .Select(r => (r.GetProperty("key").GetProperty("id").GetString(), r.GetProperty("column").GetString(), r.GetProperty("reason").GetString())).ToList();
        Assert.Equal([("2", "hundreds", "number 9999950 does not fit numeric(5,-2)"), ("3", "tiny", "number 0.009995 does not fit numeric(3,5)")], reasons);

        var clean = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--tables", "n", "--json");
        Assert.True(clean.ExitCode == 0, clean.ToString());

        await db.ExecuteAsync("UPDATE n SET hundreds = 12400 WHERE id = 1; UPDATE n SET tiny = 0.00124 WHERE id = 2");
        var changed = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--tables", "n", "--json");
        Assert.Equal(1, changed.ExitCode);
        Assert.Equal([1L, 2L], DifferingIds(changed));
    }

    [Fact]
    public async Task Integers_that_a_double_would_round_arrive_exactly_beside_reals_and_verify()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE m (id INTEGER PRIMARY KEY, x)",
            "INSERT INTO m (x) VALUES (9007199254740993), (1.5), (9223372036854775807), (0.1), (-9223372036854775808)");
        await using var db = await TestCluster.CreateDatabaseAsync("verify_wide_ints");
        var copy = await CopyAsync(file, db, Rejects());
        Assert.True(copy.ExitCode == 0, copy.ToString());
        Assert.Equal("9007199254740993 1.5 9223372036854775807 0.1 -9223372036854775808", await db.ScalarAsync<string>("SELECT string_agg(x::text, ' ' ORDER BY id) FROM m"));

        var clean = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        await db.ExecuteAsync("UPDATE m SET x = 9007199254740992 WHERE id = 1");
        var changed = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--json");
        Assert.Equal(1, changed.ExitCode);
        Assert.Equal([1L], DifferingIds(changed));
    }

    [Fact]
    public async Task Fractions_beyond_microseconds_round_as_postgresql_rounds_its_input_and_verify()
    {
        // Each text as PostgreSQL's own '…'::timestamp / '…'::time reads it: .1234567 → .123457, .999999999Z → the
        // next second, a carry into the next year and to 24:00:00, .0000025 and .0001255 down (PostgreSQL's rint).
        (string At, string Time)[] texts =
        [
            ("2024-01-02 03:04:05.1234567", "03:04:05.1234567"),
            ("2024-01-02T03:04:05.999999999Z", "03:04:59.9999996"),
            ("2024-12-31 23:59:59.9999995", "23:59:59.9999995"),
            ("2024-01-02 03:04:05.0000025", "03:04:05.0001255"),
            ("2024-01-02 03:04:05.5", "03:04:05.123456"),
        ];
        using var file = new SqliteTestFile("CREATE TABLE e (id INTEGER PRIMARY KEY, at DATETIME, t TIME)");
        foreach (var (id, (at, time)) in texts.Index())
            file.Execute($"INSERT INTO e VALUES ({id + 1}, '{at}', '{time}')");
        await using var db = await TestCluster.CreateDatabaseAsync("verify_fractions");
        var copy = await CopyAsync(file, db, Rejects());
        Assert.True(copy.ExitCode == 0, copy.ToString());

        var expected = new List<string>();
        foreach (var (at, time) in texts)
            expected.Add(await db.ScalarAsync<string>($"SELECT '{at}'::timestamp || ' ' || '{time}'::time"));
        var copied = await db.RowsAsync("SELECT at || ' ' || t FROM e ORDER BY id");
        Assert.Equal(expected, copied.Select(r => (string)r[0]!));
        Assert.Equal("2025-01-01 00:00:00 24:00:00", expected[2]);

        var clean = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url);
        Assert.True(clean.ExitCode == 0, clean.ToString());
        await db.ExecuteAsync("UPDATE e SET at = at - interval '1 microsecond' WHERE id = 1; UPDATE e SET t = t - interval '1 microsecond' WHERE id = 2");
        var changed = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--json");
        Assert.Equal(1, changed.ExitCode);
        Assert.Equal([1L, 2L], DifferingIds(changed));
    }

    [Fact]
    public async Task Chinook_verifies_ok_then_names_a_changed_a_missing_and_an_extra_row()
    {
        using var file = SqliteTestFile.CopyOf("chinook.sqlite");
        await using var db = await TestCluster.CreateDatabaseAsync("verify_e2e");
        var copy = await CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--database", db.Url, "--rejects", Rejects(), "--json");
        Assert.True(copy.ExitCode == 0, copy.ToString());

        var clean = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--json");

        Assert.True(clean.ExitCode == 0, clean.ToString());
        var json = clean.Json();
        Assert.True(json.GetProperty("ok").GetBoolean());
        var tables = json.GetProperty("tables").EnumerateArray().ToList();
        Assert.Equal(ChinookTables, tables.Select(t => t.GetProperty("source").GetString()));
        Assert.All(tables, t => Assert.True(t.GetProperty("ok").GetBoolean(), t.ToString()));
        var track = tables.Single(t => t.GetProperty("source").GetString() == "Track");
        Assert.Equal(("public.track", 3503, 3503), (track.GetProperty("target").GetString(), track.GetProperty("source_rows").GetInt64(), track.GetProperty("target_rows").GetInt64()));

        await db.ExecuteAsync("""
            UPDATE track SET name = 'x' WHERE trackid = 7;
            DELETE FROM invoiceline WHERE invoicelineid = 1;
            INSERT INTO genre (genreid, name) VALUES (999, 'Added');
            """);
        var changed = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--json");

        Assert.Equal(1, changed.ExitCode);
        var result = changed.Json();
        Assert.False(result.GetProperty("ok").GetBoolean());
        var differences = result.GetProperty("tables").EnumerateArray()
            .SelectMany(t => t.GetProperty("differences").EnumerateArray().Select(d => (t.GetProperty("target").GetString(), d.GetProperty("key").ToString(), d.GetProperty("kind").GetString())))
            .ToList();
        Assert.Equal(
            [("public.genre", """{"genreid":999}""", "extra"), ("public.invoiceline", """{"invoicelineid":1}""", "missing"), ("public.track", """{"trackid":7}""", "changed")],
            differences.Select(d => (d.Item1, JsonSerializer.Serialize(JsonDocument.Parse(d.Item2!)), d.Item3)).Order().ToList());
        var notOk = result.GetProperty("tables").EnumerateArray().Where(t => !t.GetProperty("ok").GetBoolean()).Select(t => t.GetProperty("source").GetString());
        Assert.Equal(["Genre", "InvoiceLine", "Track"], notOk.Order());

        var human = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--tables", "Track");
        Assert.Equal(1, human.ExitCode);
        Assert.Contains("changed  trackid=7", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 of 1 table differs", human.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SQLite_values_of_every_mapped_type_verify_identical_after_a_copy()
    {
        using var file = new SqliteTestFile(
            """
            CREATE TABLE mixed (
                id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB, n NUMERIC(10,2), d DECIMAL(38,6), dt DATETIME,
                day DATE, ok BOOLEAN, v VARCHAR(20), c CHAR(4), f FLOAT, big BIGINT, tiny SMALLINT
            )
            """,
            """
            INSERT INTO mixed VALUES
                (1, 0, 0.1, 'ünïcödé ✓ 😀', x'00ff10', 12.345, '12345678901234567890.123456', '2024-01-02 03:04:05.123456', '2024-02-29', 1, 'a|b\c', 'ab', 1e20, 9223372036854775807, -32768),
                (2, -9223372036854775808, -0.0, '', x'', -0.005, '-1', '1969-12-31 23:59:59', '1900-01-01', 0, '', 'abcd', 5e-324, -1, 0),
                (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
                (4, 42, 1.7976931348623157e308, '\N', x'5c', 100, '0.000001', '2000-01-01T00:00:00', '0001-01-01', 1, 'NULL', ' x', 1e-7, 0, 1),
                (5, 7, 123.456, 'tab	and
            newline', x'7c', 99999999.99, '-12.5', '2024-06-01 12:00:00', '2024-06-01', 0, '|', '', 2.5e-5, 2, 2)
            """);
        await using var db = await TestCluster.CreateDatabaseAsync("verify_e2e");
        var rejects = Rejects();
        var copy = await new CopyRunner(new CopyOptions { Source = "sqlite:" + file.Path, Target = db.Target, RejectsDirectory = rejects }).RunAsync(default);
        Assert.True(copy.Ok, string.Join("\n", copy.Failures.Concat(Directory.Exists(rejects) ? Directory.GetFiles(rejects).Select(File.ReadAllText) : [])));
        Assert.Equal(5, copy.RowsWritten);

        await using var source = file.Source();
        var result = await new Verifier(db.Target).VerifyAsync(source, copy.Plan, default);

        var mixed = Assert.Single(result.Tables);
        Assert.True(mixed.Ok, JsonSerializer.Serialize(new { mixed.Problems, mixed.Differences }));
        Assert.Equal((5L, 5L, "content"), (mixed.SourceRows, mixed.TargetRows!.Value, mixed.Compared));

        await db.ExecuteAsync("UPDATE mixed SET r = 0.1 + 1e-16 WHERE id = 1; UPDATE mixed SET c = 'ab  ' WHERE id = 2; UPDATE mixed SET t = '' WHERE id = 3");
        var after = Assert.Single((await new Verifier(db.Target).VerifyAsync(source, copy.Plan, default)).Tables);
        Assert.Equal([(1L, "changed"), (2L, "changed"), (3L, "changed")], after.Differences.Select(d => ((long)d.Key!["id"]!, d.Kind)).ToList());
    }

    [Fact]
    public async Task Verify_has_help_listing_its_options()
    {
        var result = await CliRunner.RunAsync("verify", "--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var option in new[] { "--to", "--tables", "--counts-only", "--max-differences", "--names", "--schema", "--invalid-utf8", "--csv-delimiter", "--csv-header", "--csv-quote", "--csv-null", "--csv-strict", "--json" })
            Assert.Contains(option, result.Stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--max-differences", "0")]
    [InlineData("--names", "upper")]
    public async Task Bad_options_are_usage_errors(string option, string value)
    {
        using var file = SqliteTestFile.CopyOf("chinook.sqlite");
        var result = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, option, value, "--to", "postgres://nobody@127.0.0.1:1/none");
        Assert.Equal(2, result.ExitCode);
        Assert.Empty(result.Stdout);
    }

    [Fact]
    public async Task A_missing_source_file_or_table_is_a_configuration_error()
    {
        await using var db = await TestCluster.CreateDatabaseAsync("verify_e2e");
        var missing = await CliRunner.RunAsync("verify", "sqlite:/nonexistent/app.db", "--to", db.Url);
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("does not exist", missing.Stderr, StringComparison.Ordinal);

        using var file = SqliteTestFile.CopyOf("chinook.sqlite");
        var unknown = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--tables", "Nope");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no table 'Nope'", unknown.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uncopied_tables_are_reported_missing_with_exit_1()
    {
        using var file = SqliteTestFile.CopyOf("chinook.sqlite");
        await using var db = await TestCluster.CreateDatabaseAsync("verify_e2e");

        var result = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--tables", "Genre", "--counts-only", "--json");

        Assert.Equal(1, result.ExitCode);
        var genre = Assert.Single(result.Json().GetProperty("tables").EnumerateArray().ToList());
        Assert.Equal(("missing", 25, JsonValueKind.Null), (genre.GetProperty("status").GetString(), genre.GetProperty("source_rows").GetInt64(), genre.GetProperty("target_rows").ValueKind));
        Assert.Contains("missing in the target", genre.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_beyond_63_bytes_are_found_truncated_as_the_copy_made_them()
    {
        var table = new string('a', 70);
        var column = table + "x";
        using var file = new SqliteTestFile($"CREATE TABLE \"{table}\" (id INTEGER PRIMARY KEY, \"{column}\" TEXT, v TEXT)", $"INSERT INTO \"{table}\" VALUES (1, 'long', 'v'), (2, 'named', 'w')");
        await using var db = await TestCluster.CreateDatabaseAsync("verify_long");
        var copy = await CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", Rejects());
        Assert.True(copy.ExitCode == 0, copy.ToString());

        var clean = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--json");

        Assert.True(clean.ExitCode == 0, clean.ToString());
        var verified = Assert.Single(clean.Json().GetProperty("tables").EnumerateArray().ToList());
        Assert.Equal("public." + table[..63], verified.GetProperty("target").GetString());
        Assert.Equal(("ok", 0), (verified.GetProperty("status").GetString(), verified.GetProperty("problems").GetArrayLength()));

        // The long column is compared, not skipped: a change in it is named.
        await db.ExecuteAsync($"UPDATE {table[..63]} SET {column[..63]} = 'changed' WHERE id = 2");
        var changed = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--json");
        Assert.Equal(1, changed.ExitCode);
        var difference = Assert.Single(changed.Json().GetProperty("tables")[0].GetProperty("differences").EnumerateArray().ToList());
        Assert.Equal((2L, "changed"), (difference.GetProperty("key").GetProperty("id").GetInt64(), difference.GetProperty("kind").GetString()));
    }
}
