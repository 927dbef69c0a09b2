using Ferry.Copy;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.DuckDb;

/// <summary>DuckDB, Parquet and CSV copied into a real PostgreSQL through the copy pipeline, values compared there.</summary>
public sealed class DuckDbCopyTests : IDisposable
{
    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    CopyOptions Options(TestDatabase db, string source, string? table = null) => new()
    {
        Source = source,
        TableName = table,
        Target = db.Target,
        RejectsDirectory = _files.PathOf("rejects"),
        Jobs = 2,
    };

    /// <summary>Runs a copy that must be refused as a usage or configuration error (exit 2), its message holding each of <paramref name="expected"/>.</summary>
    static async Task<FerryException> RefusedAsync(CopyOptions options, params string[] expected)
    {
        var e = await Assert.ThrowsAsync<FerryException>(() => new CopyRunner(options).RunAsync(CancellationToken.None));
        Assert.Equal(FailureKind.Configuration, e.Kind);
        foreach (var text in expected)
            Assert.Contains(text, e.Message, StringComparison.Ordinal);
        return e;
    }

    static async Task<Dictionary<string, string?>> RowTextAsync(TestDatabase db, string table, string where)
    {
        var columns = (await db.RowsAsync(
            $"SELECT column_name FROM information_schema.columns WHERE table_name = '{table}' ORDER BY ordinal_position"))
            .Select(r => (string)r[0]!).ToList();
        var values = (await db.RowsAsync(
            $"SELECT {string.Join(", ", columns.Select(c => c == "tstz" ? "(tstz AT TIME ZONE 'UTC')::text" : $"\"{c}\"::text"))} FROM \"{table}\" WHERE {where}"))
            .Single();
        return columns.Select((c, i) => (c, (string?)values[i])).ToDictionary(p => p.c, p => p.Item2);
    }

    [Fact]
    public async Task Every_DuckDB_type_arrives_exactly_in_PostgreSQL()
    {
        var path = _files.PathOf("warehouse.duckdb");
        // d is a DECIMAL(38,10) using all 38 digits: beyond System.Decimal, it must still arrive exactly.
        DuckDbTestFiles.Execute(path, DuckDbTypesTests.CreateEverything);
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await new CopyRunner(Options(db, "duckdb:" + path)).RunAsync(CancellationToken.None);
        var table = Assert.Single(result.Tables);
        Assert.True(table.RejectFile is null, table.RejectFile is null ? "" : await File.ReadAllTextAsync(table.RejectFile));
        Assert.Equal((3, 3, 0), (table.RowsRead, table.RowsWritten, table.RowsRejected));
        Assert.Equal("mood", await db.ScalarAsync<string>("SELECT udt_name::text FROM information_schema.columns WHERE column_name = 'm'"));

        var row = await RowTextAsync(db, "everything", "id = 1");
        var expected = new Dictionary<string, string?>
        {
            ["id"] = "1", ["b"] = "true", ["ti"] = "-128", ["si"] = "-32768", ["i"] = "-2147483648", ["bi"] = "-9223372036854775808",
            ["uti"] = "255", ["usi"] = "65535", ["ui"] = "4294967295", ["ubi"] = "18446744073709551615",
            ["hi"] = "170141183460469231731687303715884105727", ["uhi"] = "340282366920938463463374607431768211455",
            ["d"] = "1234567890123456789012345678.0123456789", ["d2"] = "12345678.91", ["d3"] = "-123.4",
            ["f"] = "1.5", ["db"] = "3.141592653589793", ["dt"] = "2024-02-29", ["t"] = "23:59:59.999999", ["ttz"] = "12:34:56+02:30",
            ["ts"] = "2024-01-02 03:04:05.123456", ["ts_s"] = "2024-01-02 03:04:05", ["ts_ms"] = "2024-01-02 03:04:05.123",
            ["ts_ns"] = "2024-01-02 03:04:05.123457", ["tstz"] = "2024-01-01 22:04:05",
            ["iv"] = "1 year 2 mons 3 days 04:05:06.789", ["u"] = "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
            ["v"] = "héllo wörld ✓ 😀", ["bl"] = "\\xdeadbeef", ["bt"] = "101100101", ["m"] = "happy",
            ["li"] = "{1,NULL,3}", ["ls"] = "{a,\"b\\\"c\",NULL}", ["arr"] = "{1.5,2.5,3.5}", ["nested"] = "[[1, 2], [3]]",
            ["st"] = """{"a": 1, "b": "x\"y", "c": {"x": 2.5}}""", ["mp"] = """{"k1": 1, "k2": null}""", ["un"] = """{"str": "hi"}""",
            ["j"] = """{"a": [1, 2.50, "x"]}""", ["ls_struct"] = """[{"k": 1}, {"k": 2}]""",
        };
        Assert.Equal(expected, row);
        Assert.Equal(39, (await db.RowsAsync("SELECT * FROM everything WHERE id = 2"))[0].Count(v => v is null));
        Assert.Equal("{} {}", await db.ScalarAsync<string>("SELECT li::text || ' ' || ls::text FROM everything WHERE id = 3"));
    }

    [Fact]
    public async Task Keys_indexes_foreign_keys_identities_and_views_come_along()
    {
        var path = _files.PathOf("shop.duckdb");
        DuckDbTestFiles.Execute(path, """
            CREATE SEQUENCE customer_ids;
            CREATE TABLE Customer (Id INTEGER DEFAULT nextval('customer_ids') PRIMARY KEY, Email VARCHAR NOT NULL UNIQUE, Country VARCHAR DEFAULT 'NL');
            CREATE TABLE Orders (id INTEGER PRIMARY KEY, customer_id INTEGER REFERENCES Customer (Id), amount DECIMAL(10,2));
            CREATE INDEX orders_amount ON Orders (amount);
            INSERT INTO Customer (Email) VALUES ('a@x.org'), ('b@x.org');
            INSERT INTO Orders VALUES (1, 1, 9.99), (2, 2, 100);
            CREATE VIEW big_orders AS SELECT id, amount FROM Orders WHERE amount > 50;
            """);
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await new CopyRunner(Options(db, "duckdb:" + path)).RunAsync(CancellationToken.None);
        Assert.True(result.Ok, string.Join("; ", result.Failures.Concat(result.Warnings)));
        Assert.Equal(["customer_email_key", "customer_pkey", "orders_amount", "orders_pkey"],
            (await db.RowsAsync("SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public' ORDER BY 1")).Select(r => (string)r[0]!).ToList()
                .Select(n => n.Contains("email", StringComparison.Ordinal) ? "customer_email_key" : n));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_constraint WHERE contype = 'f' AND conrelid = 'orders'::regclass"));
        Assert.Equal("NL", await db.ScalarAsync<string>("INSERT INTO customer (email) VALUES ('c@x.org') RETURNING country"));
        Assert.Equal(3, await db.ScalarAsync<int>("SELECT id FROM customer WHERE email = 'c@x.org'"));
        Assert.Equal(100m, await db.ScalarAsync<decimal>("SELECT amount FROM big_orders"));
    }

    [Fact]
    public async Task A_Parquet_glob_of_three_files_lands_in_one_table()
    {
        DuckDbTestFiles.Execute(null,
            $"COPY (SELECT i AS id, DATE '2024-01-01' + i::INTEGER AS day, (i * 1.25)::DECIMAL(12,2) AS demand FROM range(0, 2500) t(i)) TO '{_files.PathOf("gold1.parquet")}' (FORMAT parquet, COMPRESSION zstd)",
            $"COPY (SELECT i AS id, DATE '2024-01-01' + i::INTEGER AS day, (i * 1.25)::DECIMAL(12,2) AS demand FROM range(2500, 5000) t(i)) TO '{_files.PathOf("gold2.parquet")}' (FORMAT parquet, COMPRESSION snappy)",
            $"COPY (SELECT i AS id, DATE '2024-01-01' + i::INTEGER AS day, (i * 1.25)::DECIMAL(12,2) AS demand FROM range(5000, 5001) t(i)) TO '{_files.PathOf("gold3.parquet")}' (FORMAT parquet, COMPRESSION uncompressed)");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await new CopyRunner(Options(db, "parquet:" + _files.PathOf("gold*.parquet"), "fact_demand_daily")).RunAsync(CancellationToken.None);
        Assert.True(result.Ok);
        Assert.Equal(5001, result.RowsWritten);
        var check = await db.RowsAsync("SELECT count(*), sum(demand)::text, max(day)::text, pg_typeof(max(demand))::text FROM fact_demand_daily");
        Assert.Equal([5001L, "15628125.00", "2037-09-09", "numeric"], check[0]);
    }

    [Fact]
    public async Task The_shared_Parquet_datasets_arrive_with_DuckDBs_row_counts()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        foreach (var (name, table) in new[] { ("alltypes_plain.parquet", "alltypes_plain"), ("alltypes_plain.snappy.parquet", "alltypes_snappy"), ("nulls.snappy.parquet", "nulls") })
        {
            var file = Path.Combine(ParquetSourceTests.SharedDatasets, name);
            using var duck = Ferry.Sources.DuckDb.Native.DuckDbDatabase.Open(null, readOnly: false);
            using var connection = duck.Connect();
            var expected = long.Parse(connection.QueryText($"SELECT count(*) FROM read_parquet('{file}')")[0][0]!, System.Globalization.CultureInfo.InvariantCulture);

            var result = await new CopyRunner(Options(db, "parquet:" + file, table)).RunAsync(CancellationToken.None);
            Assert.True(result.Ok, string.Join("; ", result.Failures));
            Assert.Equal(expected, result.RowsWritten);
            Assert.Equal(expected, await db.ScalarAsync<long>($"SELECT count(*) FROM {table}"));
        }
    }

    [Fact]
    public async Task Replace_drops_and_creates_again_the_enum_types_of_the_copy_in_the_same_transaction()
    {
        var path = _files.PathOf("en.duckdb");
        DuckDbTestFiles.Execute(path, "CREATE TYPE mood AS ENUM ('p', 'q')", "CREATE TABLE t (m mood)", "INSERT INTO t VALUES ('q')");
        await using var db = await TestCluster.CreateDatabaseAsync();
        await new CopyRunner(Options(db, "duckdb:" + path)).RunAsync(CancellationToken.None);
        // The source's type gains a label: the copy's type must be created again to hold it.
        DuckDbTestFiles.Execute(path, "DROP TABLE t", "DROP TYPE mood", "CREATE TYPE mood AS ENUM ('p', 'q', 'r')", "CREATE TABLE t (m mood)", "INSERT INTO t VALUES ('q'), ('r')");

        var result = await new CopyRunner(Options(db, "duckdb:" + path) with { Replace = true }).RunAsync(CancellationToken.None);

        Assert.True(result.Ok, string.Join("; ", result.Failures));
        Assert.Equal(["q", "r"], (await db.RowsAsync("SELECT m::text FROM t ORDER BY m")).Select(r => r[0]));
        Assert.Equal("{p,q,r}", await db.ScalarAsync<string>("SELECT enum_range(NULL::mood)::text"));

        // A table outside the copy uses the type: nothing is dropped, the tables dropped before the type come back.
        await db.ExecuteAsync("CREATE TABLE mine (m mood)");
        await RefusedAsync(Options(db, "duckdb:" + path) with { Replace = true }, "column m of table mine depends on type mood", "Nothing was dropped or written");
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM t"));
        Assert.Equal("loaded", await db.ScalarAsync<string>("SELECT status FROM ferry.copy_state WHERE table_name = 'public.t'"));
    }

    [Fact]
    public async Task An_enum_type_the_target_already_has_is_refused_before_anything_is_written()
    {
        var path = _files.PathOf("en.duckdb");
        DuckDbTestFiles.Execute(path, "CREATE TYPE mood AS ENUM ('p', 'q')", "CREATE TABLE t (m mood)", "INSERT INTO t VALUES ('q')");
        await using var db = await TestCluster.CreateDatabaseAsync();
        await db.ExecuteAsync("CREATE TYPE mood AS ENUM ('x')");

        await RefusedAsync(Options(db, "duckdb:" + path), "The target already has type public.mood. Nothing was written.");

        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 't'"));
    }

    [Fact]
    public async Task Names_PostgreSQL_cannot_create_are_refused_while_planning_with_the_way_out()
    {
        await using var db = await TestCluster.CreateDatabaseAsync();
        var typed = _files.PathOf("typed.duckdb");
        DuckDbTestFiles.Execute(typed, "CREATE TYPE status AS ENUM ('a', 'b')", "CREATE TABLE first (id INTEGER)", "CREATE TABLE status (x status)");
        await RefusedAsync(Options(db, "duckdb:" + typed),
            "enum type 'status' and table 'main.status' both become public.status (no --names rule separates them; enum types are created in public, --schema puts the tables in another schema)",
            "Nothing was written. Rename in the source.");
        var schemas = _files.PathOf("schemas.duckdb");
        DuckDbTestFiles.Execute(schemas, "CREATE SCHEMA a", "CREATE TABLE a.t (id INTEGER)", "CREATE TABLE main.t (id INTEGER)");
        var e = await RefusedAsync(Options(db, "duckdb:" + schemas),
            "table 'a.t' and table 'main.t' both become public.t (no --names rule separates tables of different source schemas: copy them in separate runs, each with --tables and its own --schema)");
        Assert.DoesNotContain("Use --names", e.Message, StringComparison.Ordinal);
        var system = _files.PathOf("system.duckdb");
        DuckDbTestFiles.Execute(system, "CREATE TABLE v (id INTEGER, tableoid INTEGER)");
        await RefusedAsync(Options(db, "duckdb:" + system), "column 'main.v.tableoid' would be v.tableoid (no --names rule gives it another name)");
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE schemaname IN ('public', 'ferry')"));

        // The way out the first refusal gives: the tables go to another schema, the enum type stays in public.
        var result = await new CopyRunner(Options(db, "duckdb:" + typed) with { TargetSchema = "app" }).RunAsync(CancellationToken.None);
        Assert.True(result.Ok, string.Join("; ", result.Failures));
        Assert.True(await db.ScalarAsync<bool>("SELECT atttypid = 'public.status'::regtype FROM pg_attribute WHERE attrelid = 'app.status'::regclass AND attname = 'x'"));
    }

    [Fact]
    public async Task A_varchar_cast_to_jsonb_is_parsed_as_json_and_invalid_json_is_rejected()
    {
        var path = _files.PathOf("docs.duckdb");
        DuckDbTestFiles.Execute(path, "CREATE TABLE docs (id INTEGER PRIMARY KEY, body VARCHAR)",
            "INSERT INTO docs VALUES (1, '{\"b\": [1, 2], \"a\": 1}'), (2, '\"text\"'), (3, 'notjson'), (4, NULL), (5, '3.50')");
        await using var db = await TestCluster.CreateDatabaseAsync();
        var options = Options(db, "duckdb:" + path) with { Casts = CopyOptions.ParseCasts(["docs.body=jsonb"]) };

        var result = await new CopyRunner(options).RunAsync(CancellationToken.None);

        var table = Assert.Single(result.Tables);
        Assert.Equal((5L, 4L, 1L), (table.RowsRead, table.RowsWritten, table.RowsRejected));
        Assert.Equal("1:object:{\"a\": 1, \"b\": [1, 2]} 2:string:\"text\" 5:number:3.50",
            await db.ScalarAsync<string>("SELECT string_agg(id || ':' || jsonb_typeof(body) || ':' || body::text, ' ' ORDER BY id) FROM docs WHERE body IS NOT NULL"));
        Assert.Contains("text 'notjson' is not valid JSON", await File.ReadAllTextAsync(_files.PathOf("rejects/docs.jsonl")), StringComparison.Ordinal);

        await using var source = Ferry.Sources.SourceFactory.Open("duckdb:" + path, new Ferry.Sources.SourceOptions { ProfileData = false });
        var verified = Assert.Single((await new Ferry.Verify.Verifier(db.Target).VerifyAsync(source, default)).Tables);
        Assert.True(verified.Ok, string.Join("; ", verified.Problems));
        Assert.Equal(1, verified.SourceRejected);
    }

    [Fact]
    public async Task A_CSV_file_copies_with_unicode_and_nulls()
    {
        await File.WriteAllTextAsync(_files.PathOf("leads.csv"), "id,name,score\n1,Zoë,2.5\n2,,\n3,李,1e3\n");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var result = await new CopyRunner(Options(db, "csv:" + _files.PathOf("leads.csv"), "leads")).RunAsync(CancellationToken.None);
        Assert.Equal(3, result.RowsWritten);
        var rows = await db.RowsAsync("SELECT id, name, score FROM leads ORDER BY id");
        Assert.Equal([1L, "Zoë", 2.5], rows[0]);
        Assert.Equal([2L, null, null], rows[1]);
        Assert.Equal([3L, "李", 1000.0], rows[2]);
    }

    [Fact]
    public async Task A_corrupt_Parquet_file_fails_before_any_table_is_created()
    {
        DuckDbTestFiles.Execute(null, $"COPY (SELECT 1 AS id) TO '{_files.PathOf("a.parquet")}' (FORMAT parquet)");
        await File.WriteAllTextAsync(_files.PathOf("b.parquet"), "not parquet at all");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var e = await Assert.ThrowsAsync<FerryException>(() =>
            new CopyRunner(Options(db, "parquet:" + _files.PathOf("*.parquet"), "t")).RunAsync(CancellationToken.None));
        Assert.Contains(_files.PathOf("b.parquet"), e.Message, StringComparison.Ordinal);
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename = 't'"));
    }

    [Fact]
    public async Task A_file_that_fails_mid_read_leaves_no_rows_behind()
    {
        // The sniffer sees LF line ends in its sample; the file switches to CRLF after 30,000 rows, which DuckDB's strict
        // parser cannot read past (store_rejects does not skip it): DuckDB fails while streaming.
        await File.WriteAllTextAsync(_files.PathOf("late.csv"),
            "n\n" + string.Concat(Enumerable.Range(0, 30_000).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n")) + "30000\r\n30001\r\n");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var e = await Assert.ThrowsAsync<FerryException>(() =>
            new CopyRunner(Options(db, "csv:" + _files.PathOf("late.csv"), "late")).RunAsync(CancellationToken.None));
        Assert.Contains("late.csv", e.Message, StringComparison.Ordinal);
        Assert.Contains("--csv-strict false", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Possible fixes", e.Message, StringComparison.Ordinal);
        // The failure comes inside the first batch (fewer than 50,000 rows), which is not committed: no row stays, and
        // the table is left 'loading' for --resume (which empties and reloads it; batches committed before a later
        // failure would stay until then).
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM late"));
        Assert.Equal("loading", await db.ScalarAsync<string>("SELECT status FROM ferry.copy_state WHERE table_name = 'public.late'"));
    }

    [Fact]
    public async Task Cast_overrides_render_values_as_asked()
    {
        var path = _files.PathOf("casts.duckdb");
        DuckDbTestFiles.Execute(path, "CREATE TABLE m (id INTEGER, price DOUBLE, big HUGEINT, day DATE, meta STRUCT(a INTEGER)); INSERT INTO m VALUES (1, 0.1, 170141183460469231731687303715884105727, DATE '2024-03-01', {'a': 1});");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var options = Options(db, "duckdb:" + path) with
        {
            Casts = CopyOptions.ParseCasts(["m.price=numeric(10,2)", "m.big=text", "m.day=timestamp", "m.meta=text"]),
        };
        var result = await new CopyRunner(options).RunAsync(CancellationToken.None);
        Assert.True(result.Ok, string.Join("; ", result.Failures));
        Assert.Equal(["0.10", "170141183460469231731687303715884105727", "2024-03-01 00:00:00", """{"a":1}"""],
            (await db.RowsAsync("SELECT price::text, big, day::text, meta FROM m")).Single());
    }

    [Fact]
    public async Task A_csv_column_cast_to_text_is_read_as_text_so_a_late_value_the_sniffer_did_not_expect_loads()
    {
        var path = _files.PathOf("late.csv");
        DuckDbTestFiles.WriteLateBadCsv(path, 100_000, 90_000, "90000,abc,2024-02-29,90000.25");
        await using var db = await TestCluster.CreateDatabaseAsync();

        var options = Options(db, "csv:" + path, "late") with { Casts = new Dictionary<string, string> { ["late.n"] = "text" } };
        var table = Assert.Single((await new CopyRunner(options).RunAsync(CancellationToken.None)).Tables);
        Assert.Equal((100_000, 100_000, 0), (table.RowsRead, table.RowsWritten, table.RowsRejected));
        Assert.Equal("text", await db.ScalarAsync<string>("SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = 'late'::regclass AND attname = 'n'"));
        Assert.Equal(new Dictionary<string, string?> { ["id"] = "90000", ["n"] = "abc", ["d"] = "2024-02-29", ["f"] = "90000.25" }, await RowTextAsync(db, "late", "id = 90000"));
        Assert.Equal(new Dictionary<string, string?> { ["id"] = "99999", ["n"] = "699993", ["d"] = "2003-12-20", ["f"] = "99999.25" }, await RowTextAsync(db, "late", "id = 99999"));
        // Every other value as the file has it: n the digits of id × 7, the other columns keeping their sniffed types.
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM late WHERE id <> 90000 AND (n IS DISTINCT FROM (id * 7)::text OR f <> id + 0.25 OR d <> date '2000-01-01' + (id % 3650)::int)"));
        Assert.Equal(100_000L, await db.ScalarAsync<long>("SELECT count(DISTINCT id) FROM late"));

        // verify reads the column as the target's text too (it takes the target's types), then names a change.
        await DuckDbTestFiles.VerifyIdenticalThenChangedAsync(db,
            () => Ferry.Sources.SourceFactory.Open("csv:" + path, new Ferry.Sources.SourceOptions { ProfileData = false }, "late"),
            "UPDATE late SET n = 'abd' WHERE id = 90000", id: 90000);
    }

    [Theory]
    [InlineData("90000,abc,2024-02-29,90000.25", "n", "abc", "line 90001: could not convert \"abc\" to BIGINT (the line: 90000,abc,2024-02-29,90000.25); --cast late.n=text loads the column as text")]
    [InlineData("90000,630000,2024-02-29,90000.25,extra", null, "90000,630000,2024-02-29,90000.25,extra",
        "line 90001: too many fields: 5, where the file has 4 columns (the line: 90000,630000,2024-02-29,90000.25,extra)")]
    public async Task A_late_line_of_one_csv_file_duckdb_cannot_read_is_rejected_with_its_line_number_and_the_rest_loads(
        string badLine, string? column, string value, string reason)
    {
        var path = _files.PathOf("late.csv");
        DuckDbTestFiles.WriteLateBadCsv(path, 100_000, 90_000, badLine);
        await using var db = await TestCluster.CreateDatabaseAsync();

        var table = Assert.Single((await new CopyRunner(Options(db, "csv:" + path, "late")).RunAsync(CancellationToken.None)).Tables);
        Assert.Equal((100_000, 99_999, 1), (table.RowsRead, table.RowsWritten, table.RowsRejected));
        var reject = System.Text.Json.JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(table.RejectFile!))).RootElement;
        Assert.Equal(column, reject.GetProperty("column").GetString());
        Assert.Equal(value, reject.GetProperty("value").GetString());
        Assert.Equal(reason, reject.GetProperty("reason").GetString());
        Assert.Equal(0L, await db.ScalarAsync<long>("SELECT count(*) FROM late WHERE id = 90000"));
        Assert.Equal(0L, await db.ScalarAsync<long>(
            "SELECT count(*) FROM late WHERE n <> id * 7 OR f <> id + 0.25 OR d <> date '2000-01-01' + (id % 3650)::int"));
        Assert.Equal(99_999L, await db.ScalarAsync<long>("SELECT count(DISTINCT id) FROM late"));
    }
}
