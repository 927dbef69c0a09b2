using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Ferry.Bench;

/// <summary>
/// The large-value benchmark's table: <c>big</c>, each row a blob and a text of the same size (its id, then a
/// repeated letter), made by SQLite itself so the generator holds no value in memory.
/// </summary>
public static class BigValues
{
    public const string Table = "big";

    public static void Create(string path, int rows, int megabytes)
    {
        if (File.Exists(path))
            File.Delete(path);
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        var half = (megabytes * 1_000_000 / 2).ToString(CultureInfo.InvariantCulture);
        command.CommandText = $"""
            PRAGMA journal_mode = OFF;
            PRAGMA synchronous = OFF;
            CREATE TABLE big (id INTEGER PRIMARY KEY, b BLOB, t TEXT);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {rows.ToString(CultureInfo.InvariantCulture)})
            INSERT INTO big SELECT i, CAST(i || replace(hex(zeroblob({half})), '0', 'z') AS BLOB), i || replace(hex(zeroblob({half})), '0', 'x') FROM n;
            """;
        command.ExecuteNonQuery();
    }
}
