using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ferry.Bench;

/// <summary>
/// A web app's SQLite database as prototypes really leave it: users, leads, visitor tracking and A/B tests,
/// with AUTOINCREMENT keys, DATETIME text, BOOLEAN 0/1, REAL, DECIMAL(10,2), JSON in TEXT, foreign keys,
/// unique constraints, indexes and a view. Deterministic (fixed seed), a few thousand rows.
/// </summary>
public static class DemoDatabase
{
    public static IReadOnlyDictionary<string, long> Create(string path)
    {
        if (File.Exists(path))
            File.Delete(path);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        Execute(connection, Schema);

        var random = new Random(42);
        var start = new DateTime(2025, 1, 6, 8, 0, 0, DateTimeKind.Unspecified);
        using var tx = connection.BeginTransaction();

        string[] plans = ["free", "starter", "pro", "team"];
        string[] firstNames = ["Ada", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Edsger", "Frances", "Donald", "Radia", "José", "Zoë", "Søren", "Aiko"];
        string[] lastNames = ["Lovelace", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Dijkstra", "Allen", "Knuth", "Perlman", "Núñez", "Ørsted", "Tanaka"];
        const int users = 1200;
        // The prototype kept passwords as typed and roles as free words: the demo's transform hashes and maps them.
        string[] roles = ["admin", "user", "user", "user", "guest"];
        using (var insert = Command(connection, tx, "INSERT INTO users (email, name, plan, is_active, created_at, last_login_at, settings, password, role) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"))
        {
            for (var i = 1; i <= users; i++)
            {
                var first = firstNames[random.Next(firstNames.Length)];
                var last = lastNames[random.Next(lastNames.Length)];
                var created = start.AddMinutes(random.Next(0, 60 * 24 * 300));
                Run(insert,
                    $"{Ascii(first)}.{Ascii(last)}.{i}@example.com",
                    $"{first} {last}",
                    plans[random.Next(plans.Length)],
                    random.NextDouble() < 0.9 ? 1 : 0,
                    Timestamp(created),
                    random.NextDouble() < 0.2 ? null : Timestamp(created.AddHours(random.Next(1, 2000))),
                    random.NextDouble() < 0.5 ? $"{{\"theme\":\"{(random.Next(2) == 0 ? "dark" : "light")}\",\"newsletter\":{(random.Next(2) == 0 ? "true" : "false")}}}" : null,
                    $"{first.ToLowerInvariant()}-{random.Next(1000, 9999)}",
                    roles[random.Next(roles.Length)]);
            }
        }

        string[] sources = ["google", "linkedin", "referral", "newsletter", "direct"];
        string[] statuses = ["new", "contacted", "qualified", "won", "lost"];
        const int leads = 900;
        using (var insert = Command(connection, tx, "INSERT INTO leads (user_id, company, source, status, score, deal_value, created_at, notes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
        {
            for (var i = 1; i <= leads; i++)
            {
                Run(insert,
                    random.NextDouble() < 0.3 ? null : random.Next(1, users + 1),
                    $"Company {i:D4} {(random.Next(3) == 0 ? "GmbH" : "Ltd")}",
                    sources[random.Next(sources.Length)],
                    statuses[random.Next(statuses.Length)],
                    Math.Round(random.NextDouble() * 100, 3),
                    (random.Next(0, 5_000_000) / 100m).ToString(CultureInfo.InvariantCulture),
                    Timestamp(start.AddMinutes(random.Next(0, 60 * 24 * 300))),
                    random.NextDouble() < 0.1 ? "Met at the conference; wants a demo \"next week\"" : null);
            }
        }

        string[] pages = ["/", "/pricing", "/features", "/blog/launch", "/signup", "/docs", "/contact"];
        string[] agents = ["Mozilla/5.0 (X11; Linux x86_64)", "Mozilla/5.0 (Macintosh)", "Mozilla/5.0 (iPhone)", "curl/8.5", "Googlebot/2.1 (+http://www.google.com/bot.html)", "AhrefsBot/7.0"];
        (string Source, string Medium)[] campaigns = [("google", "cpc"), ("newsletter", "email"), ("twitter", "social"), ("partner", "referral")];
        string[] referrers = ["https://www.google.com/", "https://news.ycombinator.com/", "https://t.co/x1", "https://example.org/blog?ref=\"launch\""];
        const int sessions = 1500;
        using (var session = Command(connection, tx, "INSERT INTO visitor_sessions (visitor_id, user_id, started_at, user_agent, country, utm_source, utm_medium, referrer) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"))
        using (var view = Command(connection, tx, "INSERT INTO page_views (session_id, path, viewed_at, duration_ms, scroll_depth) VALUES ($1, $2, $3, $4, $5)"))
        {
            for (var s = 1; s <= sessions; s++)
            {
                var startedAt = start.AddSeconds(random.Next(0, 60 * 60 * 24 * 300));
                (string Source, string Medium)? campaign = random.NextDouble() < 0.4 ? null : campaigns[random.Next(campaigns.Length)];
                Run(session,
                    Guid.CreateVersion7(new DateTimeOffset(startedAt, TimeSpan.Zero)).ToString(),
                    random.NextDouble() < 0.6 ? null : random.Next(1, users + 1),
                    Timestamp(startedAt),
                    agents[random.Next(agents.Length)],
                    random.NextDouble() < 0.1 ? null : new[] { "DE", "US", "FR", "JP", "BR" }[random.Next(5)],
                    campaign?.Source,
                    campaign?.Medium,
                    random.NextDouble() < 0.5 ? null : referrers[random.Next(referrers.Length)]);
                var views = random.Next(1, 6);
                for (var v = 0; v < views; v++)
                {
                    Run(view, s, pages[random.Next(pages.Length)], Timestamp(startedAt.AddSeconds(v * random.Next(5, 120))),
                        random.Next(200, 90_000), Math.Round(random.NextDouble(), 4));
                }
            }
        }

        var experiments = new[] { ("pricing-page-v2", "Pricing page redesign"), ("signup-button-color", "Green vs blue signup button"), ("onboarding-checklist", "Checklist after signup") };
        using (var experiment = Command(connection, tx, "INSERT INTO ab_tests (slug, description, started_at, ended_at, is_running) VALUES ($1, $2, $3, $4, $5)"))
        using (var variant = Command(connection, tx, "INSERT INTO ab_variants (test_id, name, weight) VALUES ($1, $2, $3)"))
        {
            for (var e = 0; e < experiments.Length; e++)
            {
                Run(experiment, experiments[e].Item1, experiments[e].Item2, Timestamp(start.AddDays(30 * e)), e == 0 ? Timestamp(start.AddDays(60)) : null, e == 0 ? 0 : 1);
                Run(variant, e + 1, "control", 0.5);
                Run(variant, e + 1, "treatment", 0.5);
            }
        }

        using (var assignment = Command(connection, tx, "INSERT INTO ab_assignments (variant_id, user_id, assigned_at, converted, revenue) VALUES ($1, $2, $3, $4, $5)"))
        {
            for (var u = 1; u <= users; u++)
            {
                if (random.NextDouble() < 0.3)
                    continue;
                var converted = random.NextDouble() < 0.15;
                Run(assignment, random.Next(1, experiments.Length * 2 + 1), u, Timestamp(start.AddMinutes(random.Next(0, 60 * 24 * 300))),
                    converted ? 1 : 0, converted ? Math.Round(random.NextDouble() * 500, 2) : null);
            }
        }

        tx.Commit();
        var counts = new Dictionary<string, long>();
        foreach (var table in new[] { "users", "leads", "visitor_sessions", "page_views", "ab_tests", "ab_variants", "ab_assignments" })
        {
            using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM {table}";
            counts[table] = (long)count.ExecuteScalar()!;
        }

        return counts;
    }

    static string Timestamp(DateTime value) => value.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    static SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        return command;
    }

    static void Run(SqliteCommand command, params object?[] values)
    {
        command.Parameters.Clear();
        for (var i = 0; i < values.Length; i++)
            command.Parameters.AddWithValue($"${i + 1}", values[i] ?? DBNull.Value);
        command.ExecuteNonQuery();
    }

    static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>A name as an e-mail's local part: lower case ASCII (José → jose, Ørsted → orsted), as sign-up forms make them.</summary>
    static string Ascii(string name) =>
        string.Concat(name.Normalize(System.Text.NormalizationForm.FormD).Replace('Ø', 'O').Replace('ø', 'o')
            .Where(c => char.IsAscii(c) && char.IsLetter(c))).ToLowerInvariant();

    const string Schema = """
        PRAGMA foreign_keys = ON;
        CREATE TABLE users (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            email VARCHAR(255) NOT NULL UNIQUE,
            name TEXT NOT NULL,
            plan TEXT NOT NULL DEFAULT 'free',
            is_active BOOLEAN NOT NULL DEFAULT 1,
            created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
            last_login_at DATETIME,
            settings JSON,
            password TEXT NOT NULL,
            role TEXT NOT NULL DEFAULT 'user'
        );
        CREATE TABLE leads (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
            company TEXT NOT NULL,
            source TEXT,
            status TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'contacted', 'qualified', 'won', 'lost')),
            score REAL,
            deal_value DECIMAL(10,2),
            created_at DATETIME DEFAULT (datetime('now')),
            notes TEXT
        );
        CREATE INDEX idx_leads_status ON leads(status);
        CREATE INDEX idx_leads_user ON leads(user_id);
        CREATE TABLE visitor_sessions (
            id INTEGER PRIMARY KEY,
            visitor_id TEXT NOT NULL,
            user_id INTEGER REFERENCES users(id),
            started_at DATETIME NOT NULL,
            user_agent TEXT,
            country CHAR(2),
            utm_source TEXT,
            utm_medium TEXT,
            referrer TEXT
        );
        CREATE INDEX idx_sessions_started ON visitor_sessions(started_at);
        CREATE TABLE page_views (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            session_id INTEGER NOT NULL REFERENCES visitor_sessions(id) ON DELETE CASCADE,
            path TEXT NOT NULL,
            viewed_at DATETIME NOT NULL,
            duration_ms INTEGER,
            scroll_depth REAL
        );
        CREATE INDEX idx_page_views_session ON page_views(session_id, viewed_at);
        CREATE TABLE ab_tests (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            slug TEXT NOT NULL UNIQUE,
            description TEXT,
            started_at DATETIME NOT NULL,
            ended_at DATETIME,
            is_running BOOLEAN NOT NULL DEFAULT 0
        );
        CREATE TABLE ab_variants (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            test_id INTEGER NOT NULL REFERENCES ab_tests(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            weight REAL NOT NULL DEFAULT 0.5,
            UNIQUE (test_id, name)
        );
        CREATE TABLE ab_assignments (
            variant_id INTEGER NOT NULL REFERENCES ab_variants(id),
            user_id INTEGER NOT NULL REFERENCES users(id),
            assigned_at DATETIME NOT NULL,
            converted BOOLEAN NOT NULL DEFAULT 0,
            revenue NUMERIC(10,2),
            PRIMARY KEY (variant_id, user_id)
        );
        CREATE VIEW conversion_by_variant AS
            SELECT t.slug, v.name AS variant, count(*) AS assigned, sum(a.converted) AS converted
            FROM ab_assignments a JOIN ab_variants v ON v.id = a.variant_id JOIN ab_tests t ON t.id = v.test_id
            GROUP BY t.slug, v.name;
        """;
}
