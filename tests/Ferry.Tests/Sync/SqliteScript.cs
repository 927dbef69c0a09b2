using Microsoft.Data.Sqlite;

namespace Ferry.Tests.Sync;

/// <summary>Runs SQL on a SQLite file: a sync test's source, created and then changed between runs.</summary>
internal static class SqliteScript
{
    public static void Run(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
