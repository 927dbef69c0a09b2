using Ferry.Schema;
using Ferry.Sources;
using Ferry.Sources.DuckDb;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.DuckDb;

/// <summary>DuckDB database files: schemas, keys, defaults, views, --tables, many chunks, and values at the edges.</summary>
public sealed class DuckDbDatabaseTests : IDisposable
{
    readonly DuckDbTestFiles _files = new();

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Tables_in_every_schema_come_with_keys_defaults_and_views()
    {
        var path = _files.PathOf("shop.duckdb");
        DuckDbTestFiles.Execute(path, """
            CREATE SCHEMA sales;
            CREATE SEQUENCE customer_ids;
            CREATE TABLE Customer (Id INTEGER DEFAULT nextval('customer_ids') PRIMARY KEY, Email VARCHAR NOT NULL UNIQUE,
                Country VARCHAR DEFAULT 'NL', Score DOUBLE DEFAULT 1.5, Created TIMESTAMP DEFAULT current_timestamp);
            CREATE TABLE "Order" (customer_id INTEGER REFERENCES Customer (Id), line INTEGER, amount DECIMAL(10,2) CHECK (amount > 0),
                PRIMARY KEY (customer_id, line));
            CREATE TABLE sales.target (region VARCHAR, amount INTEGER);
            INSERT INTO Customer (Email) VALUES ('a@x.org'), ('b@x.org');
            INSERT INTO "Order" VALUES (1, 1, 9.99), (1, 2, 0.01), (2, 1, 100);
            CREATE UNIQUE INDEX customer_country_email ON Customer (Country, "Email");
            CREATE INDEX order_amount ON "Order" (amount);
            CREATE INDEX order_expr ON "Order" ((amount * 2));
            CREATE VIEW big_orders AS SELECT * FROM "Order" WHERE amount > 50;
            """);

        await using var source = DuckDbSource.Database(path, new SourceOptions { Names = NamingRule.Snake });
        var model = await source.DiscoverAsync(CancellationToken.None);
        Assert.Equal(["main.Customer", "main.Order", "sales.target"], model.Tables.Select(t => t.QualifiedSourceName));

        var customer = model.Tables[0];
        Assert.Equal(["id"], customer.PrimaryKey!.Columns);
        Assert.True(customer.Column("Id").Identity);
        Assert.Equal(["email"], Assert.Single(customer.UniqueKeys).Columns);
        Assert.True(customer.Column("Email").NotNull);
        Assert.False(customer.Column("Country").NotNull);
        Assert.Equal("'NL'", customer.Column("Country").DefaultSql);
        Assert.Equal("1.5", customer.Column("Score").DefaultSql);
        Assert.Equal("now()", customer.Column("Created").DefaultSql);
        Assert.Equal(2, customer.EstimatedRows);

        var order = model.Tables[1];
        Assert.Equal(["customer_id", "line"], order.PrimaryKey!.Columns);
        var fk = Assert.Single(order.ForeignKeys);
        Assert.Equal("Customer", fk.ReferencedTable);
        Assert.Equal(["id"], fk.ReferencedColumns);
        Assert.Contains(order.Notes, n => n.Contains("amount > 0", StringComparison.Ordinal));
        var countryEmail = Assert.Single(customer.Indexes);
        Assert.Equal(("customer_country_email", true), (countryEmail.Name, countryEmail.Unique));
        Assert.Equal(["country", "email"], countryEmail.Elements);
        Assert.Equal(["amount"], Assert.Single(order.Indexes).Elements);
        Assert.Contains(order.Notes, n => n.Contains("order_expr", StringComparison.Ordinal));

        var view = Assert.Single(model.Views);
        Assert.Equal("big_orders", view.SourceName);
        Assert.StartsWith("SELECT", view.TargetSql, StringComparison.OrdinalIgnoreCase);

        using var reader = source.OpenReader(order, ReadRange.All);
        var sink = RecordingSink.ReadAll(reader, order.Columns.Count);
        Assert.Equal([1, 2, 0.01m], sink.Rows[1]);
    }

    [Fact]
    public async Task Tables_option_selects_and_unknown_names_are_refused()
    {
        var path = _files.PathOf("two.duckdb");
        DuckDbTestFiles.Execute(path, "CREATE TABLE a (x INTEGER); CREATE TABLE b (y INTEGER);");

        await using (var source = DuckDbSource.Database(path, new SourceOptions { Tables = ["B"] }))
            Assert.Equal(["b"], (await source.DiscoverAsync(CancellationToken.None)).Tables.Select(t => t.SourceName));

        await using var wrong = DuckDbSource.Database(path, new SourceOptions { Tables = ["c"] });
        var e = await Assert.ThrowsAsync<FerryException>(() => wrong.DiscoverAsync(CancellationToken.None));
        Assert.Contains("has no table c", e.Message, StringComparison.Ordinal);
        Assert.Throws<FerryException>(() => DuckDbSource.Database(_files.PathOf("missing.duckdb")));
    }

    [Fact]
    public async Task A_file_that_is_not_a_DuckDB_database_is_a_clear_error_naming_it()
    {
        var path = _files.PathOf("fake.duckdb");
        await File.WriteAllTextAsync(path, "this is not a database file, just text that is long enough to look like a header...");
        await using var source = DuckDbSource.Database(path);
        var e = await Assert.ThrowsAsync<FerryException>(() => source.DiscoverAsync(CancellationToken.None));
        Assert.StartsWith($"DuckDB cannot open {path}:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_chunks_stream_with_nulls_at_the_right_rows()
    {
        var path = _files.PathOf("big.duckdb");
        DuckDbTestFiles.Execute(path, """
            CREATE TABLE big AS SELECT i AS id,
                CASE WHEN i % 7 = 0 THEN NULL ELSE 'row ' || i || repeat('x', (i % 20)::INTEGER) END AS label,
                CASE WHEN i % 5 = 0 THEN NULL ELSE [i, i + 1] END AS pair
            FROM range(5000) t(i) ORDER BY i;
            """);

        await using var source = DuckDbSource.Database(path);
        var table = Assert.Single((await source.DiscoverAsync(CancellationToken.None)).Tables);
        using var reader = source.OpenReader(table, ReadRange.All);
        var sink = RecordingSink.ReadAll(reader, 3);
        Assert.Equal(5000, sink.Rows.Count);
        for (var i = 0; i < 5000; i++)
        {
            var row = sink.Rows[i];
            Assert.Equal((long)i, row[0]);
            if (i % 7 == 0)
                Assert.Same(RecordingSink.Null, row[1]);
            else
                Assert.Equal($"row {i}" + new string('x', i % 20), row[1]);
            if (i % 5 == 0)
                Assert.Same(RecordingSink.Null, row[2]);
            else
                Assert.Equal(new long?[] { i, i + 1 }, row[2]);
        }
    }

    [Fact]
    public async Task Values_at_the_edges_are_exact_rejected_or_infinite()
    {
        var path = _files.PathOf("edges.duckdb");
        DuckDbTestFiles.Execute(path, """
            CREATE TABLE edges (id INTEGER, hi HUGEINT, d DECIMAL(38,10), d18 DECIMAL(18,6), ts TIMESTAMP, dt DATE,
                ttz TIMETZ, big BIGNUM, txt VARCHAR, nul_list INTEGER[], bits BIT, f FLOAT);
            INSERT INTO edges VALUES
              (1, -170141183460469231731687303715884105727, '-0.0000000001'::DECIMAL(38,10), -123456789012.345678,
               'infinity'::TIMESTAMP, '-infinity'::DATE, '23:00:00-05:30'::TIMETZ,
               '123456789012345678901234567890123456789012'::BIGNUM, 'tab	quote" nl
            end', [NULL, NULL], '1'::BIT, 'NaN'::FLOAT),
              (2, 79228162514264337593543950335, 99999999999999999999999999.9999999999, 0, '12000-01-01 00:00:00'::TIMESTAMP,
               '2000-01-01', '00:00:00+00'::TIMETZ, '-5'::BIGNUM, 'nul' || chr(0) || 'inside', [], '00000000'::BIT, '-inf'::FLOAT);
            """);

        await using var source = DuckDbSource.Database(path);
        var table = Assert.Single((await source.DiscoverAsync(CancellationToken.None)).Tables);
        Assert.Equal("numeric", table.Column("big").Type.ToSql());
        using var reader = source.OpenReader(table, ReadRange.All);
        var sink = RecordingSink.ReadAll(reader, table.Columns.Count);
        var (a, b) = (sink.Rows[0], sink.Rows[1]);

        Assert.Equal("numeric:-170141183460469231731687303715884105727", a[1]);
        Assert.Equal(-0.0000000001m, a[2]);
        Assert.Equal(-123456789012.345678m, a[3]);
        Assert.Equal("infinity", a[4]);
        Assert.Equal("-infinity", a[5]);
        Assert.Equal(new DateTimeOffset(2000, 1, 1, 23, 0, 0, new TimeSpan(-5, -30, 0)), a[6]);
        Assert.Equal("numeric:123456789012345678901234567890123456789012", a[7]);
        Assert.Equal("tab\tquote\" nl\nend", a[8]);
        Assert.Equal(new int?[] { null, null }, a[9]);
        Assert.Equal("1", a[10]);
        Assert.True(float.IsNaN((float)a[11]!));

        Assert.Equal(79228162514264337593543950335m, b[1]);
        Assert.Equal("numeric:99999999999999999999999999.9999999999", b[2]);
        Assert.Equal(0m, b[3]);
        Assert.Equal("rejected", b[4]);
        Assert.Equal("numeric:-5", b[7]);
        Assert.Equal("rejected", b[8]);
        Assert.Equal("00000000", b[10]);
        Assert.Equal(float.NegativeInfinity, b[11]);
        Assert.Equal(2, sink.Rejects.Count);
        Assert.Contains("outside years 1-9999", sink.Rejects[0].Reason, StringComparison.Ordinal);
        Assert.Equal("12000-01-01T00:00:00", sink.Rejects[0].Value);
        Assert.Contains("U+0000", sink.Rejects[1].Reason, StringComparison.Ordinal);
    }
}
