using System.Globalization;
using Ferry.Copy;
using Ferry.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Ferry.Tests.Sqlite;

/// <summary>Views an application's SQLite file holds, copied and queried in PostgreSQL: each row as SQLite returns it.</summary>
public sealed class SqliteViewFidelityTests
{
    static readonly string[] Schema =
    [
        "CREATE TABLE users (id INTEGER PRIMARY KEY, first_name TEXT, last_name TEXT, email VARCHAR(100), code TEXT, age INTEGER, " +
        "is_active BOOLEAN, joined DATETIME, score REAL)",
        "INSERT INTO users VALUES (1, 'Ann', 'Lee', 'Ann@Example.com', '5', 31, 1, '2024-01-15 10:30:00', 2.5), " +
        "(2, 'Bob', NULL, 'bob@x.org', '17', 17, 0, '2023-12-31 23:59:59', NULL), (3, 'Émile', 'Zola', 'EMILE@x.fr', 'abc', NULL, 1, '2024-02-29 08:00:00', 1.0), " +
        "(4, NULL, 'Solo', NULL, '05', 45, NULL, NULL, 3.75), (5, 'a_b', 'c%d', 'under_score@x.org', '5', 5, 0, '2024-03-01 00:00:00', 0.5)",
        "CREATE TABLE orders (id INTEGER PRIMARY KEY, user_id INTEGER REFERENCES users(id), status TEXT, total INTEGER, note TEXT)",
        "INSERT INTO orders VALUES (1, 1, 'paid', 100, 'first'), (2, 1, 'PAID', 250, NULL), (3, 2, 'open', 40, 'x\\y'), (4, 3, 'paid', 5, 'rush'), " +
        "(5, 4, 'cancelled', 0, NULL), (6, 5, 'open', 7, 'a_b')",
        // CONCAT and concat_ws skip NULLs; || is NULL with a NULL operand, in both.
        "CREATE VIEW v_names AS SELECT id, concat(first_name, ' ', last_name) AS full_name, concat_ws('-', first_name, last_name, age) AS ws, " +
        "first_name || ' ' || last_name AS piped, 'id:' || id AS tag, id || age AS digits, is_active || '' AS active_text FROM users",
        // A TEXT column compared with numbers compares as text ('05' is not 5); a number compared with text as a number.
        "CREATE VIEW v_compare AS SELECT id FROM users WHERE code = 5 OR code IN (17, 99) OR age = '45' OR age BETWEEN '30' AND '32'",
        "CREATE VIEW v_text AS SELECT id, ifnull(last_name, 'n/a') AS ln, coalesce(first_name, age, 0) AS fa, substr(email, 1, 3) AS s1, " +
        "substr(email, -3) AS s2, substr(email, -6, 2) AS s3, instr(email, '@') AS at, length(first_name) AS len, length(age) AS alen, " +
        "lower(first_name) AS lo, upper(email) AS up, trim('  ' || first_name || '  ') AS tr, replace(email, '.', '[dot]') AS rep, " +
        "substr(email, instr(email, '@') + 1) AS domain FROM users",
        "CREATE VIEW v_like AS SELECT id FROM users WHERE email LIKE '%@x.%' OR first_name LIKE 'a\\_%' OR last_name NOT LIKE '%e%'",
        "CREATE VIEW v_dates AS SELECT id, date(joined) AS d, strftime('%Y-%m', joined) AS ym, strftime('%Y', joined) AS y, " +
        "CASE WHEN joined >= '2024-01-01' THEN 'new' ELSE 'old' END AS era FROM users WHERE joined IS NOT NULL",
        "CREATE VIEW v_agg AS SELECT user_id, count(*) AS n, sum(total) AS s, avg(total) AS a, total(total) AS t, max(total) AS mx, " +
        "group_concat(status, '|') AS statuses, sum(is_active) AS actives FROM orders JOIN users ON users.id = orders.user_id " +
        "GROUP BY user_id HAVING count(*) >= 1",
        "CREATE VIEW v_misc AS SELECT id, CASE status WHEN 'paid' THEN 1 WHEN 'open' THEN 2 ELSE 0 END AS rank, CAST(total AS TEXT) AS total_text, " +
        "CAST(id AS REAL) / 2 AS half, note IS NULL AS no_note, status IS NOT 'paid' AS unpaid, " +
        "(SELECT count(*) FROM orders o2 WHERE o2.user_id = orders.user_id) AS siblings FROM orders ORDER BY id LIMIT -1 OFFSET 1",
        "CREATE VIEW v_page AS SELECT id, total FROM orders WHERE status LIKE 'PAID' ORDER BY total DESC LIMIT 2",
    ];

    static readonly string[] Views = ["v_names", "v_compare", "v_text", "v_like", "v_dates", "v_agg", "v_misc", "v_page"];

    /// <summary>A value as text both engines agree on: booleans as SQLite's 0/1, dates and timestamps as SQLite's text.</summary>
    static string Text(object? value) => value switch
    {
        null or DBNull => "NULL",
        bool b => b ? "1" : "0",
        DateTime t when t.TimeOfDay == TimeSpan.Zero && t.Kind != DateTimeKind.Utc => t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture)!,
    };

    static List<string> SqliteRows(string path, string view)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT * FROM {view}";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => Text(reader.GetValue(i)))));
        return rows;
    }

    [Fact]
    public async Task Views_with_concat_comparisons_and_common_functions_return_what_sqlite_returns()
    {
        using var file = new SqliteTestFile(Schema);
        await using var db = await TestCluster.CreateDatabaseAsync("views");

        var result = await new CopyRunner(new CopyOptions { Source = "sqlite:" + file.Path, Target = db.Target, RejectsDirectory = Path.GetTempPath() }).RunAsync(default);

        Assert.True(result.Ok, string.Join("\n", result.Failures.Concat(result.Warnings)));
        Assert.DoesNotContain(result.Warnings, w => w.Contains("View", StringComparison.Ordinal) || w.Contains("view", StringComparison.Ordinal));
        foreach (var view in Views)
        {
            var expected = SqliteRows(file.Path, view).Order(StringComparer.Ordinal).ToList();
            Assert.NotEmpty(expected);
            var copied = (await db.RowsAsync($"SELECT * FROM {view}")).Select(r => string.Join(" | ", r.Select(Text))).Order(StringComparer.Ordinal).ToList();
            Assert.True(expected.SequenceEqual(copied), $"{view}:\nSQLite:\n{string.Join("\n", expected)}\nPostgreSQL:\n{string.Join("\n", copied)}");
        }
    }

    [Fact]
    public async Task What_PostgreSQL_cannot_say_the_same_way_is_a_note_not_a_failed_view()
    {
        using var file = new SqliteTestFile(
            "CREATE TABLE m (id INTEGER PRIMARY KEY, x REAL, code TEXT, n INTEGER)",
            "CREATE VIEW v_real AS SELECT 'x=' || x AS label FROM m",
            "CREATE VIEW v_cols AS SELECT id FROM m WHERE code = n",
            "CREATE VIEW v_word AS SELECT id FROM m WHERE n = 'many'");
        await using var db = await TestCluster.CreateDatabaseAsync("view_notes");

        var result = await new CopyRunner(new CopyOptions { Source = "sqlite:" + file.Path, Target = db.Target, RejectsDirectory = Path.GetTempPath() }).RunAsync(default);

        Assert.Empty(result.Failures);
        Assert.Contains(result.Warnings, w => w.Contains("v_real", StringComparison.Ordinal) && w.Contains("REAL x as text", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("v_cols", StringComparison.Ordinal) && w.Contains("text column code with numeric column n", StringComparison.Ordinal));
        Assert.Contains(result.Warnings, w => w.Contains("v_word", StringComparison.Ordinal) && w.Contains("numeric column n with the text 'many'", StringComparison.Ordinal));
    }
}
