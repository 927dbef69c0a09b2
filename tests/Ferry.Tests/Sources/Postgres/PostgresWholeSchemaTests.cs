using Ferry.Copy;
using Ferry.Schema;
using Ferry.Tests.Infrastructure;
using Ferry.Verify;

namespace Ferry.Tests.Sources.Postgres;

/// <summary>
/// The whole schema at once: every kind of object a PostgreSQL source can hold, copied, verified identical,
/// and usable by the application afterwards (inserts without ids).
/// </summary>
public sealed class PostgresWholeSchemaTests
{
    const string Schema = """
        CREATE EXTENSION IF NOT EXISTS btree_gist;
        CREATE SCHEMA shop;
        CREATE TYPE shop.status AS ENUM ('new', 'paid', 'shipped');
        CREATE DOMAIN shop.positive_money AS numeric(12,2) CHECK (VALUE >= 0);
        CREATE TYPE shop.address AS (street text, city text, zip varchar(10));
        CREATE SEQUENCE shop.order_no START 1000 INCREMENT 10;
        CREATE TABLE shop.customers (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            email text NOT NULL UNIQUE,
            home shop.address,
            created timestamptz NOT NULL DEFAULT now());
        CREATE TABLE shop.orders (
            id serial,
            order_no bigint NOT NULL DEFAULT nextval('shop.order_no'),
            customer_id bigint REFERENCES shop.customers (id) DEFERRABLE INITIALLY DEFERRED,
            status shop.status NOT NULL DEFAULT 'new',
            total shop.positive_money,
            placed date NOT NULL,
            PRIMARY KEY (id, placed)) PARTITION BY RANGE (placed);
        CREATE TABLE shop.orders_2023 PARTITION OF shop.orders FOR VALUES FROM ('2023-01-01') TO ('2024-01-01');
        CREATE TABLE shop.orders_2024 PARTITION OF shop.orders FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
        CREATE TABLE shop.orders_other PARTITION OF shop.orders DEFAULT;
        CREATE TABLE shop.bookings (
            room int NOT NULL,
            during tstzrange NOT NULL,
            EXCLUDE USING gist (room WITH =, during WITH &&));
        CREATE MATERIALIZED VIEW shop.revenue AS SELECT status, count(*) AS orders, sum(total) AS total FROM shop.orders GROUP BY status;
        CREATE VIEW shop.big_orders AS SELECT id, total FROM shop.orders WHERE total > 100;
        COMMENT ON TABLE shop.customers IS 'who buys';
        """;

    const string Data = """
        INSERT INTO shop.customers (email, home) SELECT 'c' || g || '@example.com', ROW('Main St ' || g, 'Springfield', '0' || g)::shop.address FROM generate_series(1, 200) g;
        INSERT INTO shop.orders (customer_id, status, total, placed)
            SELECT 1 + g % 200, (ARRAY['new', 'paid', 'shipped'])[1 + g % 3]::shop.status, g * 1.25, '2023-06-01'::date + g FROM generate_series(1, 900) g;
        INSERT INTO shop.bookings SELECT g % 10, tstzrange('2024-01-01'::timestamptz + g * interval '1 day', '2024-01-01'::timestamptz + (g + 1) * interval '1 day') FROM generate_series(1, 300) g;
        SELECT nextval('shop.order_no') FROM generate_series(1, 5);
        REFRESH MATERIALIZED VIEW shop.revenue;
        """;

    [Fact]
    public async Task The_whole_schema_is_copied_verified_identical_and_takes_new_rows_without_ids()
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        await source.ExecuteAsync(Schema);
        await source.ExecuteAsync(Data);

        var options = new CopyOptions { Source = source.Url, Target = target.Target, Names = NamingRule.Preserve };
        await using var opened = Ferry.Sources.SourceFactory.Open(source.Url, options.SourceOptions);
        var copy = await new CopyRunner(options).RunAsync(opened, default);

        Assert.True(copy.Ok, string.Join("; ", copy.Failures.Concat(copy.Warnings)));
        var verified = await new Verifier(target.Target, new VerifyOptions { Names = NamingRule.Preserve }).VerifyAsync(opened, copy.Plan, default);
        Assert.True(verified.Ok, string.Join("; ", verified.Tables.Where(t => !t.Ok).Select(t => t.Target + ": " + string.Join(", ", t.Problems))));

        foreach (var sql in new[]
        {
            "SELECT string_agg(conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid), '; ' ORDER BY conrelid::regclass::text, conname) FROM pg_constraint WHERE connamespace = 'shop'::regnamespace",
            "SELECT string_agg(pg_get_indexdef(indexrelid), '; ' ORDER BY indexrelid::regclass::text) FROM pg_index JOIN pg_class c ON c.oid = indrelid WHERE c.relnamespace = 'shop'::regnamespace",
            "SELECT string_agg(c.relname || ' ' || pg_get_expr(c.relpartbound, c.oid), '; ' ORDER BY c.relname) FROM pg_class c WHERE c.relispartition AND c.relnamespace = 'shop'::regnamespace",
            "SELECT string_agg(format_type(t.oid, NULL) || ' ' || t.typtype::text, ', ' ORDER BY t.typname) FROM pg_type t LEFT JOIN pg_class c ON c.oid = t.typrelid WHERE t.typnamespace = 'shop'::regnamespace AND t.typtype IN ('e', 'd', 'c') AND (c.relkind IS NULL OR c.relkind = 'c')",
            "SELECT pg_get_viewdef('shop.big_orders'::regclass) || pg_get_viewdef('shop.revenue'::regclass)",
            "SELECT string_agg(status || ' ' || orders || ' ' || total, ', ' ORDER BY status) FROM shop.revenue",
            "SELECT obj_description('shop.customers'::regclass, 'pg_class')",
            "SELECT last_value || ' ' || is_called FROM shop.order_no",
        })
        {
            Assert.Equal(await source.ScalarAsync<string?>(sql), await target.ScalarAsync<string?>(sql));
        }

        // The application goes on: ids from the identity, the serial and the sequence continue where the source's would.
        const string insert = """
            WITH c AS (INSERT INTO shop.customers (email) VALUES ('new@example.com') RETURNING id)
            INSERT INTO shop.orders (customer_id, total, placed) SELECT id, 5, '2024-05-01' FROM c RETURNING id || ' ' || order_no || ' ' || customer_id
            """;
        Assert.Equal(await source.ScalarAsync<string>(insert), await target.ScalarAsync<string>(insert));
    }

    /// <summary>Shapes of a sample database many projects start from (pagila): what the checks against it found.</summary>
    const string Pagila = """
        CREATE FUNCTION _group_concat(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS
            $$ SELECT CASE WHEN $2 IS NULL THEN $1 WHEN $1 IS NULL THEN $2 ELSE $1 || ', ' || $2 END $$;
        CREATE AGGREGATE group_concat(text) (SFUNC = _group_concat, STYPE = text);
        CREATE TABLE customer (customer_id int PRIMARY KEY, name text NOT NULL);
        CREATE TABLE payment (payment_id int NOT NULL, customer_id int NOT NULL, paid date NOT NULL, amount numeric(5,2)) PARTITION BY RANGE (paid);
        CREATE TABLE payment_p2022_01 PARTITION OF payment FOR VALUES FROM ('2022-01-01') TO ('2022-02-01');
        CREATE TABLE payment_p2022_02 PARTITION OF payment FOR VALUES FROM ('2022-02-01') TO ('2022-03-01');
        ALTER TABLE payment_p2022_01 ADD CONSTRAINT payment_p2022_01_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customer (customer_id);
        ALTER TABLE payment_p2022_02 ADD CONSTRAINT payment_p2022_02_customer_id_fkey FOREIGN KEY (customer_id) REFERENCES customer (customer_id) ON DELETE CASCADE;
        CREATE VIEW customer_names AS SELECT group_concat(name) AS names FROM customer;
        CREATE FUNCTION rich_customers(min numeric) RETURNS SETOF customer LANGUAGE sql STABLE AS
            $$ SELECT c.* FROM customer c WHERE (SELECT sum(amount) FROM payment p WHERE p.customer_id = c.customer_id) >= min $$;
        INSERT INTO customer SELECT g, 'c' || g FROM generate_series(1, 20) g;
        INSERT INTO payment SELECT g, 1 + g % 20, '2022-01-01'::date + g % 50, g FROM generate_series(1, 200) g;
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_views_aggregate_a_partitions_own_foreign_keys_and_a_function_on_a_tables_rows_are_copied(bool withFunctions)
    {
        await using var source = await TestCluster.CreateDatabaseAsync("pg_source");
        await using var target = await TestCluster.CreateDatabaseAsync("pg_target");
        await source.ExecuteAsync(Pagila);
        var options = new CopyOptions
        {
            Source = source.Url, Target = target.Target, Names = NamingRule.Preserve,
            EngineOptions = [new Ferry.Sources.Postgres.PostgresOptions { WithFunctions = withFunctions }],
        };

        var copy = await new CopyRunner(options).RunAsync(default);

        Assert.True(copy.Ok, string.Join("; ", copy.Failures.Concat(copy.Warnings)));
        Assert.DoesNotContain(copy.Warnings, w => w.Contains("customer_names", StringComparison.Ordinal));
        const string constraints = "SELECT string_agg(conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid), '; ' ORDER BY conrelid::regclass::text, conname) FROM pg_constraint WHERE connamespace = 'public'::regnamespace";
        Assert.Equal(await source.ScalarAsync<string>(constraints), await target.ScalarAsync<string>(constraints));
        Assert.Equal(await source.ScalarAsync<string>("SELECT names FROM customer_names"), await target.ScalarAsync<string>("SELECT names FROM customer_names"));
        const string rich = "SELECT string_agg(customer_id::text, ',' ORDER BY customer_id) FROM rich_customers(1000)";
        if (withFunctions)
            Assert.Equal(await source.ScalarAsync<string>(rich), await target.ScalarAsync<string>(rich));
        else
            Assert.Contains(copy.Warnings, w => w.Contains("function public.rich_customers(numeric)", StringComparison.Ordinal));
    }
}
