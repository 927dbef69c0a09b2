using SQLitePCL;

namespace Ferry.Sources.Sqlite;

/// <summary>SQLitePCLRaw, used directly on the read path: one read-only connection and statement per reader.</summary>
internal static class SqliteNative
{
    static readonly Lazy<bool> Initialized = new(() =>
    {
        Batteries_V2.Init();
        return true;
    });

    public static sqlite3 OpenReadOnly(string path)
    {
        _ = Initialized.Value;
        var rc = raw.sqlite3_open_v2(path, out var db, raw.SQLITE_OPEN_READONLY | raw.SQLITE_OPEN_NOMUTEX, null);
        if (rc != raw.SQLITE_OK)
        {
            var message = db is null ? $"error {rc}" : raw.sqlite3_errmsg(db).utf8_to_string();
            db?.Dispose();
            throw new FerryException($"Cannot open SQLite file '{path}' read-only: {message}.");
        }

        SqliteLockWait.Install(db);
        return db;
    }

    public static sqlite3_stmt Prepare(sqlite3 db, string sql, string path)
    {
        var rc = raw.sqlite3_prepare_v2(db, sql, out var stmt);
        if (rc != raw.SQLITE_OK)
        {
            stmt?.Dispose();
            if (SqliteLockWait.IsBusy(rc))
                throw SqliteLockWait.GaveUp(path);
            throw new FerryException($"SQLite file '{path}': {raw.sqlite3_errmsg(db).utf8_to_string()} (in: {sql}).");
        }

        return stmt;
    }

    /// <summary>Quotes a name for SQLite SQL.</summary>
    public static string Quote(string name) => Ferry.Schema.Identifiers.QuoteAlways(name);
}
