using Microsoft.Data.Sqlite;

namespace Ferry.Tests.Sync;

/// <summary>The SQLite source the schedule and status tests sync: a table of items with an updated_at watermark.</summary>
internal static class SyncSqlite
{
    /// <summary>app.db in <paramref name="folder"/> (made when needed): items (1, 2) updated on 2026-12-01, and <paramref name="more"/> run after.</summary>
    public static string Items(string folder, string more = "")
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, "app.db");
        Run(path, """
            CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, updated_at DATETIME NOT NULL);
            INSERT INTO items VALUES (1, 'a', '2026-12-01 10:00:00'), (2, 'b', '2026-12-01 11:00:00');
            """ + more);
        return path;
    }

    public static void Run(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
