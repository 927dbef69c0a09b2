using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ferry.Bench;

/// <summary>
/// The copy benchmark's table: <c>events</c> with an integer key, an integer, a REAL, text, DATETIME text,
/// a BOOLEAN and a NUMERIC(12,2), as a web app's SQLite file would have them; with <c>contacts</c>, also an e-mail
/// address as users type them (mixed case, stray spaces) and a status of five values, for the transform benchmark.
/// Deterministic: the same rows with or without the two columns.
/// </summary>
public static class BenchSqlite
{
    public const string Table = "events";

    public static void Create(string path, int rows, bool contacts = false)
    {
        if (File.Exists(path))
            File.Delete(path);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = """
                PRAGMA journal_mode = OFF;
                PRAGMA synchronous = OFF;
                CREATE TABLE events (
                    id INTEGER PRIMARY KEY,
                    user_id INTEGER NOT NULL,
                    amount REAL,
                    label TEXT,
                    created_at DATETIME NOT NULL,
                    active BOOLEAN NOT NULL,
                    price NUMERIC(12,2)
                );
                """ + (contacts ? "ALTER TABLE events ADD COLUMN email TEXT; ALTER TABLE events ADD COLUMN status TEXT;" : "");
            pragma.ExecuteNonQuery();
        }

        using var tx = connection.BeginTransaction();
        using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = contacts
            ? "INSERT INTO events VALUES ($id, $user, $amount, $label, $created, $active, $price, $email, $status)"
            : "INSERT INTO events VALUES ($id, $user, $amount, $label, $created, $active, $price)";
        var id = insert.Parameters.Add("$id", SqliteType.Integer);
        var user = insert.Parameters.Add("$user", SqliteType.Integer);
        var amount = insert.Parameters.Add("$amount", SqliteType.Real);
        var label = insert.Parameters.Add("$label", SqliteType.Text);
        var created = insert.Parameters.Add("$created", SqliteType.Text);
        var active = insert.Parameters.Add("$active", SqliteType.Integer);
        var price = insert.Parameters.Add("$price", SqliteType.Real);
        var email = contacts ? insert.Parameters.Add("$email", SqliteType.Text) : null;
        var status = contacts ? insert.Parameters.Add("$status", SqliteType.Text) : null;
        insert.Prepare();

        var random = new Random(7);
        string[] words = ["signup", "login", "purchase", "refund", "page_view", "click", "logout", "upgrade"];
        string[] statuses = ["new", "active", "trial", "churned", "banned"];
        string[] domains = ["Example.com", "mail.example.org", "EXAMPLE.net"];
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Unspecified);
        for (var i = 1; i <= rows; i++)
        {
            id.Value = i;
            user.Value = random.Next(1, 200_000);
            amount.Value = random.NextDouble() < 0.05 ? DBNull.Value : random.NextDouble() * 1000;
            label.Value = $"{words[random.Next(words.Length)]} #{random.Next(100_000)}";
            created.Value = start.AddSeconds(i * 7L + random.Next(7)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            active.Value = random.Next(2);
            price.Value = random.NextDouble() < 0.1 ? DBNull.Value : Math.Round(random.Next(0, 10_000_000) / 100.0, 2);
            if (contacts)
            {
                // Drawn from their own generator: the other columns stay those of the plain table.
                email!.Value = $"{(i % 7 == 0 ? " " : "")}User{i % 200_000}@{domains[i % domains.Length]}{(i % 11 == 0 ? " " : "")}";
                status!.Value = statuses[i % statuses.Length];
            }
            insert.ExecuteNonQuery();
        }

        tx.Commit();
    }
}
