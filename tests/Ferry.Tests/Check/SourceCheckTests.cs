using Ferry.Check;
using Ferry.Check.Spec;
using Ferry.Tests.DuckDb;
using Ferry.Tests.Sqlite;

namespace Ferry.Tests.Check;

/// <summary>Each kind of expectation checked on a SQLite file and a DuckDB file (a copy's sources), passing and failing, by key.</summary>
public sealed class SourceCheckTests : IDisposable
{
    const string Rows = """
        (1, 'a', 'CAISO', 'L1', 10, 'ok@x.io', '(201) 555-0123', '10.0.0.1', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'ABC-1', 1, '2024-01-01', '2024-02-01', {0}),
        (2, 'b', 'ERCOT', 'L1', 6000, 'bad@', '123', '10.0.0.300', 'nope', 'abc-1', 3, '2024-03-01', '2024-02-01', {0}),
        (3, 'a', 'NYISO', 'L2', -1, NULL, NULL, '2001:db8::1', 'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A12', 'XYZ-22', NULL, '2024-04-01', '2024-05-01', {0}),
        (4, NULL, 'CAISO', 'L1', 0, 'x@y', '+44 20 7946 0958', '::ffff:10.0.0.1', NULL, NULL, 2, NULL, NULL, NULL)
        """;

    internal const string Expectations = """
        items:
          rows: 4
          unique: [id, name, [market, location], [name, location]]
          not_null: [id, name]
          values: { market: [CAISO, ERCOT], location: [L1, L2] }
          range: { capacity: { min: 0, max: 5000 }, starts: { min: 2024-01-01 } }
          match:
            email: email
            phone: { format: phone, region: US }
            ip: ip
            token: uuid
            code: '^[A-Z]{3}-\d+$'
            name: '^[a-z]$'
          references: { owner_id: owners.id, id: owners.id }
          fresh: { updated_at: 6h, starts: 1d }
          sql: [ "SELECT id FROM items WHERE starts > ends", "SELECT id FROM items WHERE id > 100" ]
        owners:
          rows: { min: 5 }
        """;

    internal static readonly string[] Expected =
    [
        "rows = 4: passed 0 []",
        "unique (id): passed 0 []",
        "unique (name): failed 2 [1 3]",
        "unique (market, location): failed 2 [1 4]",
        "unique (name, location): passed 0 []",
        "not_null id: passed 0 []",
        "not_null name: failed 1 [4]",
        "values market in [CAISO, ERCOT]: failed 1 [3]",
        "values location in [L1, L2]: passed 0 []",
        "range capacity 0..5000: failed 2 [2 3]",
        "range starts 2024-01-01..: passed 0 []",
        "match email email: failed 1 [2]",
        "match phone phone (US): failed 1 [2]",
        "match ip ip: failed 1 [2]",
        "match token uuid: failed 1 [2]",
        @"match code ~ ^[A-Z]{3}-\d+$: failed 1 [2]",
        "match name ~ ^[a-z]$: passed 0 []",
        "references owner_id → owners.id: failed 1 [2]",
        "references id → owners.id: failed 2 [3 4]",
        "fresh updated_at within 6h: passed 0 []",
        "fresh starts within 1d: failed 1 []",
        "sql SELECT id FROM items WHERE starts > ends: failed 1 [2]",
        "sql SELECT id FROM items WHERE id > 100: passed 0 []",
        "rows 5..: failed 3 []",
    ];

    readonly string _root = Directory.CreateTempSubdirectory("ferry-source-check-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    ExpectationSpec Spec(string yaml)
    {
        var path = Path.Combine(_root, Guid.NewGuid().ToString("N") + ".yml");
        File.WriteAllText(path, yaml);
        return ExpectationFile.Load(path);
    }

    /// <summary>Each result as "description: status failing [failing keys]".</summary>
    static string[] Outcomes(CheckResult result) =>
        [.. result.Results.Select(r => $"{r.Expectation.Description}: {r.Status.ToString().ToLowerInvariant()} {r.Failing} [{string.Join(" ", r.Samples.Select(s => string.Join(",", s.Key.Values)))}]")];

    internal static SqliteTestFile ItemsSqlite() => new(
        "CREATE TABLE owners (id INTEGER PRIMARY KEY)",
        "INSERT INTO owners VALUES (1), (2)",
        """
        CREATE TABLE items (
            id INTEGER PRIMARY KEY, name TEXT, market TEXT, location TEXT, capacity NUMERIC, email TEXT, phone TEXT, ip TEXT,
            token TEXT, code TEXT, owner_id INTEGER, starts TEXT, ends TEXT, updated_at TEXT)
        """,
        "INSERT INTO items VALUES " + string.Format(System.Globalization.CultureInfo.InvariantCulture, Rows, "datetime('now', '-1 hour')"));

    string ItemsDuckDb() => ItemsDuckDb(_root);

    /// <summary>The items and owners tables in a DuckDB file in <paramref name="folder"/>; its path.</summary>
    internal static string ItemsDuckDb(string folder)
    {
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N")[..8] + ".duckdb");
        DuckDbTestFiles.Execute(
            path,
            "CREATE TABLE owners (id INTEGER PRIMARY KEY)",
            "INSERT INTO owners VALUES (1), (2)",
            """
            CREATE TABLE items (
                id INTEGER PRIMARY KEY, name VARCHAR, market VARCHAR, location VARCHAR, capacity DECIMAL(10, 2), email VARCHAR, phone VARCHAR, ip VARCHAR,
                token VARCHAR, code VARCHAR, owner_id INTEGER, starts DATE, ends DATE, updated_at TIMESTAMPTZ)
            """,
            "INSERT INTO items VALUES " + string.Format(System.Globalization.CultureInfo.InvariantCulture, Rows, "now() - INTERVAL 1 HOUR"));
        return path;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("duckdb")]
    public async Task Every_kind_passes_or_fails_on_the_source_naming_the_failing_keys(string kind)
    {
        using var file = ItemsSqlite();
        var source = kind == "sqlite" ? "sqlite:" + file.Path : "duckdb:" + ItemsDuckDb();

        var result = await CheckRunner.OnSource(source).RunAsync(Spec(Expectations));

        Assert.Equal(Expected, Outcomes(result));
        Assert.Equal(["main.items", "main.owners"], result.Results.Select(r => r.Table).Distinct());
        Assert.Equal("bad@", result.Results.Single(r => r.Expectation.Description == "match email email").Samples[0].Values!["email"]);
        Assert.Equal("the newest starts is 2024-04-01, older than 1d", result.Results.Single(r => r.Expectation.Description == "fresh starts within 1d").Message);
    }

    [Fact]
    public async Task A_postgresql_source_is_checked_as_the_target_is()
    {
        await using var db = await CheckRunnerTests.ItemsAsync();

        var result = await CheckRunner.OnSource(db.Url).RunAsync(Spec(Expectations));

        Assert.Equal(Expected, Outcomes(result));
        Assert.Equal(["public.items", "public.owners"], result.Results.Select(r => r.Table).Distinct());
    }

    [Fact]
    public async Task Parquet_files_are_checked_as_the_table_the_copy_names_them()
    {
        var folder = Path.Combine(_root, "parts");
        Directory.CreateDirectory(folder);
        DuckDbTestFiles.Execute(
            null,
            $"COPY (SELECT * FROM (VALUES (1, 'ok@x.io'), (2, 'bad@')) AS v(id, email)) TO '{Path.Combine(folder, "a.parquet")}' (FORMAT parquet)",
            $"COPY (SELECT * FROM (VALUES (3, NULL), (4, 'x@y')) AS v(id, email)) TO '{Path.Combine(folder, "b.parquet")}' (FORMAT parquet)");

        var result = await CheckRunner.OnSource("parquet:parts/*.parquet", workingDirectory: _root, tableName: "contacts").RunAsync(Spec("contacts:\n  rows: 4\n  not_null: [email]\n  match: { email: email }\n"));

        Assert.Equal(["rows = 4: passed 0 []", "not_null email: failed 1 [3,]", "match email email: failed 1 [2,bad@]"], Outcomes(result));
    }

    [Fact]
    public async Task A_regex_either_database_refuses_puts_only_its_expectation_in_error()
    {
        using var file = ItemsSqlite();
        var spec = Spec("items:\n  match: { code: '^[A-Z', name: '^[a-z]$' }\n  not_null: [name]\n");

        var sqlite = await CheckRunner.OnSource("sqlite:" + file.Path).RunAsync(spec);
        var duckdb = await CheckRunner.OnSource("duckdb:" + ItemsDuckDb()).RunAsync(spec);

        foreach (var result in new[] { sqlite, duckdb })
        {
            Assert.Equal(["error", "passed", "failed"], result.Results.Select(r => r.Status.ToString().ToLowerInvariant()));
            Assert.Equal([4L], result.Results[2].Samples.Select(s => s.Key["id"]));
            Assert.Contains("[A-Z", result.Results[0].Message, StringComparison.Ordinal);
        }
    }
}
