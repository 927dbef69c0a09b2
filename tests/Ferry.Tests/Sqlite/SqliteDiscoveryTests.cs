using System.Text;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Tests.Infrastructure;

namespace Ferry.Tests.Sqlite;

public sealed class SqliteDiscoveryTests
{
    /// <summary>A web app's schema with every construct discovery must carry over.</summary>
    internal static readonly string[] AppSchema =
    [
        """
        CREATE TABLE users (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          email VARCHAR(255) NOT NULL UNIQUE COLLATE NOCASE,
          name TEXT DEFAULT 'it''s me',
          active BOOLEAN NOT NULL DEFAULT '1',
          admin BOOL DEFAULT 0 CHECK (admin IN (0, 1)),
          score REAL DEFAULT 1.5,
          age smallint unsigned CHECK (age >= 0),
          created_at DATETIME DEFAULT CURRENT_TIMESTAMP,
          local_at DATETIME DEFAULT (DATETIME('now', 'localtime')),
          weird DEFAULT (random()),
          "Total Score" REAL GENERATED ALWAYS AS (score * 2) STORED,
          upper_name TEXT AS (upper(name)) VIRTUAL,
          CONSTRAINT name_len CHECK (length(name) < 100),
          CHECK (typeof(score) = 'real')
        )
        """,
        """
        CREATE TABLE [Post Tags] (
          user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE ON UPDATE SET NULL,
          slug TEXT NOT NULL,
          title TEXT,
          ghost_id INTEGER REFERENCES ghosts(id),
          PRIMARY KEY (user_id, slug),
          UNIQUE (slug, title)
        ) WITHOUT ROWID
        """,
        "CREATE TABLE plain (a INTEGER, b TEXT)",
        "CREATE INDEX post_title ON [Post Tags](title DESC) WHERE title IS NOT NULL",
        "CREATE INDEX users_lower_email ON users (lower(email))",
        "CREATE UNIQUE INDEX users_name_glob ON users(name) WHERE name GLOB 'a*'",
        "CREATE UNIQUE INDEX users_active_name ON users(name, [score]) WHERE active = 1",
        "CREATE VIEW active_users AS SELECT [id], `email`, ifnull(name, 'anon') AS \"Display Name\" FROM users WHERE active == 1 LIMIT 5, 10",
        "CREATE VIEW recent AS SELECT id, datetime('now') AS now_at, strftime('%Y', created_at) AS yr FROM users WHERE created_at > date('now', '-7 days')",
        "CREATE VIEW globbed AS SELECT id FROM users WHERE name GLOB 'a*'",
        "CREATE VIEW monthly AS SELECT datetime(age, 'unixepoch') AS born, count(*) OVER (PARTITION BY date(created_at, 'start of month')) AS n FROM users WHERE created_at >= date('now', 'start of year', '-1 year')",
        "CREATE VIEW v2 (a, b) AS SELECT id, group_concat(email) FROM users GROUP BY id",
        "CREATE VIEW sloppy AS SELECT \"id\", name AS \"Who\" FROM main.users WHERE name = \"Ann\" ORDER BY \"Who\"",
        "INSERT INTO users (email, name, active, score, created_at) VALUES ('a@x', 'A', 1, 2.5, '2024-01-02 03:04:05')",
        "INSERT INTO users (email, name, active, score, created_at) VALUES ('b@x', 'B', 'true', 3, 1700000000)",
        "INSERT INTO [Post Tags] VALUES (1, 'hello', 'Hello', NULL)",
    ];

    [Fact]
    public async Task Discovers_tables_columns_and_keys()
    {
        using var file = new SqliteTestFile(AppSchema);
        var model = await file.DiscoverAsync();
        Assert.Equal(["Post Tags", "plain", "users"], model.Tables.Select(t => t.SourceName));

        var users = model.Tables.Single(t => t.SourceName == "users");
        var id = users.Column("id");
        Assert.True(id.Identity);
        Assert.Equal(2, id.IdentityLast); // sqlite_sequence holds 2
        Assert.Equal(["id"], users.PrimaryKey!.Columns);
        Assert.True(users.Column("email").NotNull);
        Assert.Equal("varchar(255)", users.Column("email").Type.ToSql());
        Assert.Contains(users.Notes, n => n.Contains("email is COLLATE NOCASE", StringComparison.Ordinal));
        Assert.Equal("integer", users.Column("age").Type.ToSql());
        Assert.Equal(2, users.EstimatedRows);
        Assert.Equal(["email"], Assert.Single(users.UniqueKeys).Columns);

        var posts = model.Tables.Single(t => t.SourceName == "Post Tags");
        Assert.Equal(["user_id", "slug"], posts.PrimaryKey!.Columns);
        Assert.False(posts.Column("user_id").Identity);
        Assert.Contains(posts.Notes, n => n.Contains("WITHOUT ROWID", StringComparison.Ordinal));
        Assert.Equal(["slug", "title"], Assert.Single(posts.UniqueKeys).Columns);
        Assert.Equal("post tags", posts.TargetName);

        var plain = model.Tables.Single(t => t.SourceName == "plain");
        Assert.Null(plain.PrimaryKey);
        Assert.False(plain.Column("a").Identity);
    }

    [Fact]
    public async Task Discovers_defaults_generated_columns_and_checks()
    {
        using var file = new SqliteTestFile(AppSchema);
        var users = (await file.DiscoverAsync()).Tables.Single(t => t.SourceName == "users");

        Assert.Equal("'it''s me'", users.Column("name").DefaultSql);
        Assert.Equal("true", users.Column("active").DefaultSql);
        Assert.Equal("false", users.Column("admin").DefaultSql);
        Assert.Equal("(now() AT TIME ZONE 'UTC')", users.Column("created_at").DefaultSql);
        Assert.Equal("LOCALTIMESTAMP", users.Column("local_at").DefaultSql);
        Assert.Null(users.Column("weird").DefaultSql);
        Assert.Contains(users.Notes, n => n.StartsWith("Column weird: default random() dropped", StringComparison.Ordinal));

        Assert.Equal("score * 2", users.Column("Total Score").GeneratedSql);
        Assert.Equal("translate(\"name\", 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ')", users.Column("upper_name").GeneratedSql); // SQLite changes the case of ASCII letters only

        Assert.Contains(new CheckModel("name_len", "length(\"name\") < 100"), users.Checks);
        Assert.Contains(new CheckModel(null, "age >= 0"), users.Checks);
        Assert.Contains(users.Notes, n => n.Contains("CHECK (typeof(score) = 'real') not copied", StringComparison.Ordinal));
        Assert.Contains(users.Notes, n => n.Contains("column admin is boolean", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Discovers_indexes_and_foreign_keys()
    {
        using var file = new SqliteTestFile(AppSchema);
        var model = await file.DiscoverAsync();
        var users = model.Tables.Single(t => t.SourceName == "users");
        var posts = model.Tables.Single(t => t.SourceName == "Post Tags");

        Assert.Contains(new IndexModel("post_title", ["title DESC"], false, "title IS NOT NULL"), posts.Indexes, IndexComparer.Instance);
        // An index's key keeps PostgreSQL's lower(), so the application's queries written with it use the index.
        Assert.Contains(new IndexModel("users_lower_email", ["(lower(email))"], false), users.Indexes, IndexComparer.Instance);
        Assert.Contains(new IndexModel("users_active_name", ["\"name\"", "score"], true, "active = true"), users.Indexes, IndexComparer.Instance);
        Assert.DoesNotContain(users.Indexes, i => i.Name == "users_name_glob");
        Assert.Contains(users.Notes, n => n.StartsWith("Index users_name_glob not copied: SQLite's GLOB", StringComparison.Ordinal));

        var fk = Assert.Single(posts.ForeignKeys);
        Assert.Equal(["user_id"], fk.Columns);
        Assert.Equal("users", fk.ReferencedTable);
        Assert.Equal(["id"], fk.ReferencedColumns);
        Assert.Equal("CASCADE", fk.OnDelete);
        Assert.Equal("SET NULL", fk.OnUpdate);
        Assert.Contains(posts.Notes, n => n.Contains("table ghosts does not exist", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Translates_views_or_says_why_not()
    {
        using var file = new SqliteTestFile(AppSchema);
        var views = (await file.DiscoverAsync()).Views.ToDictionary(v => v.SourceName);
        Assert.Equal(
            "SELECT id, email, coalesce(\"name\", 'anon') AS \"display name\" FROM users WHERE active = true LIMIT 10 OFFSET 5",
            views["active_users"].TargetSql);
        Assert.Equal(
            "SELECT id, (now() AT TIME ZONE 'UTC') AS now_at, to_char((created_at)::timestamp, 'YYYY') AS yr FROM users WHERE created_at > (((now() AT TIME ZONE 'UTC'))::timestamp + interval '-7 days')::date",
            views["recent"].TargetSql);
        Assert.Equal("SELECT * FROM (SELECT id, string_agg(email, ',') FROM users GROUP BY id) AS v(a, b)", views["v2"].TargetSql);
        Assert.Equal("SELECT id, \"name\" AS who FROM users WHERE \"name\" = 'Ann' ORDER BY who", views["sloppy"].TargetSql);
        Assert.Null(views["globbed"].TargetSql);
        Assert.Contains("GLOB", views["globbed"].Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Names_follow_the_naming_rule()
    {
        using var file = new SqliteTestFile("CREATE TABLE OrderLine (LineId INTEGER PRIMARY KEY, OrderRef INTEGER REFERENCES OrderLine(LineId), UnitPrice REAL)",
            "CREATE INDEX ByOrderRef ON OrderLine(OrderRef)",
            "CREATE VIEW BigLines AS SELECT LineId, UnitPrice FROM OrderLine WHERE UnitPrice > 10");
        var model = await file.DiscoverAsync(new SourceOptions { Names = NamingRule.Snake });
        var table = Assert.Single(model.Tables);
        Assert.Equal(["line_id"], table.PrimaryKey!.Columns);
        Assert.Equal(["order_ref"], table.ForeignKeys.Single().Columns);
        Assert.Equal("by_order_ref", table.Indexes.Single().Name);
        Assert.Equal(["order_ref"], table.Indexes.Single().Elements);
        Assert.Equal("SELECT line_id, unit_price FROM order_line WHERE unit_price > 10", model.Views.Single().TargetSql);
    }

    [Fact]
    public async Task Tables_filter_selects_tables_and_refuses_unknown_ones()
    {
        using var file = new SqliteTestFile(AppSchema);
        var model = await file.DiscoverAsync(new SourceOptions { Tables = ["USERS"] });
        Assert.Equal("users", Assert.Single(model.Tables).SourceName);
        Assert.Equal(["active_users", "globbed", "monthly", "recent", "sloppy", "v2"], model.Views.Select(v => v.SourceName));

        var error = await Assert.ThrowsAsync<FerryException>(() => file.DiscoverAsync(new SourceOptions { Tables = ["nope"] }));
        Assert.Contains("'nope' is not in SQLite file", error.Message, StringComparison.Ordinal);
        Assert.Contains("users", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_stops_when_cancelled()
    {
        using var file = new SqliteTestFile(AppSchema);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await using var source = file.Source();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => source.DiscoverAsync(cancelled.Token));
    }

    [Fact]
    public async Task Missing_or_invalid_files_are_configuration_errors()
    {
        using var file = new SqliteTestFile();
        var missing = await Assert.ThrowsAsync<FerryException>(() => file.DiscoverAsync());
        Assert.Equal(FailureKind.Configuration, missing.Kind);
        Assert.Contains("does not exist", missing.Message, StringComparison.Ordinal);

        await File.WriteAllTextAsync(file.Path, "this is not a database, just text that is long enough to have a header");
        var invalid = await Assert.ThrowsAsync<FerryException>(() => file.DiscoverAsync());
        Assert.Contains("not a readable SQLite database", invalid.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovered_schema_is_accepted_by_PostgreSQL()
    {
        using var file = new SqliteTestFile(AppSchema);
        var model = await file.DiscoverAsync();
        await using var db = await TestCluster.CreateDatabaseAsync();

        // A minimal DDL writer (the real one is the copy pipeline's): every piece discovery produced must run.
        foreach (var table in model.Tables)
        {
            var sql = new StringBuilder($"CREATE TABLE {Identifiers.Quote(table.TargetName)} (");
            sql.AppendJoin(", ", table.Columns.Select(c =>
                $"{Identifiers.Quote(c.TargetName)} {c.Type.ToSql()}" +
                (c.Identity ? " GENERATED BY DEFAULT AS IDENTITY" : "") +
                (c.GeneratedSql is { } g ? $" GENERATED ALWAYS AS ({g}) STORED" : "") +
                (c.DefaultSql is { } d ? $" DEFAULT {d}" : "") +
                (c.NotNull ? " NOT NULL" : "")));
            if (table.PrimaryKey is { } pk)
                sql.Append($", PRIMARY KEY ({string.Join(", ", pk.Columns.Select(Identifiers.Quote))})");
            foreach (var u in table.UniqueKeys)
                sql.Append($", UNIQUE ({string.Join(", ", u.Columns.Select(Identifiers.Quote))})");
            foreach (var c in table.Checks)
                sql.Append($", CHECK ({c.ExpressionSql})");
            await db.ExecuteAsync(sql.Append(')').ToString());
        }

        foreach (var table in model.Tables)
        {
            foreach (var i in table.Indexes)
            {
                await db.ExecuteAsync($"CREATE {(i.Unique ? "UNIQUE " : "")}INDEX {Identifiers.Quote(i.Name)} ON {Identifiers.Quote(table.TargetName)} ({string.Join(", ", i.Elements)})" +
                    (i.WhereSql is { } w ? $" WHERE {w}" : ""));
            }

            foreach (var fk in table.ForeignKeys)
            {
                var referenced = model.Tables.Single(t => t.SourceName == fk.ReferencedTable).TargetName;
                await db.ExecuteAsync($"ALTER TABLE {Identifiers.Quote(table.TargetName)} ADD FOREIGN KEY ({string.Join(", ", fk.Columns.Select(Identifiers.Quote))}) " +
                    $"REFERENCES {Identifiers.Quote(referenced)} ({string.Join(", ", fk.ReferencedColumns.Select(Identifiers.Quote))}) ON DELETE {fk.OnDelete} ON UPDATE {fk.OnUpdate}");
            }
        }

        foreach (var view in model.Views.Where(v => v.TargetSql is not null))
            await db.ExecuteAsync($"CREATE VIEW {Identifiers.Quote(view.TargetName)} AS {view.TargetSql}");

        await db.ExecuteAsync("INSERT INTO users (email, score) VALUES ('c@x', 4)");
        Assert.Equal(8.0, await db.ScalarAsync<double>("SELECT \"total score\" FROM users"));
        Assert.Equal(5, await db.ScalarAsync<long>("SELECT count(*) FROM pg_views WHERE schemaname = 'public'"));
        Assert.Equal(1L, await db.ScalarAsync<long>("SELECT count(*) FROM monthly"));
    }

    sealed class IndexComparer : IEqualityComparer<IndexModel>
    {
        public static readonly IndexComparer Instance = new();

        public bool Equals(IndexModel? x, IndexModel? y) =>
            x is not null && y is not null && x.Name == y.Name && x.Elements.SequenceEqual(y.Elements) && x.Unique == y.Unique && x.WhereSql == y.WhereSql;

        public int GetHashCode(IndexModel obj) => obj.Name.GetHashCode(StringComparison.Ordinal);
    }
}
