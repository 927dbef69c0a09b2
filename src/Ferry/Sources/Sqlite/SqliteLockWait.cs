using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using SQLitePCL;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// Waiting for a SQLite file another process holds locked (a write transaction that has begun writing, or a
/// journal or WAL that must be recovered): every connection waits up to <see cref="Seconds"/>; the first read
/// says that it waits, for what, and what the user can do; a wait that runs out is a clear error, not "database is locked".
/// </summary>
internal static class SqliteLockWait
{
    public const int Seconds = 30;

    /// <summary>How long a first attempt waits before saying so: a lock held for a moment passes unnoticed.</summary>
    const int ProbeSeconds = 1;

    public static bool IsBusy(int rc) => (rc & 0xff) is raw.SQLITE_BUSY or raw.SQLITE_LOCKED;

    public static bool IsBusy(SqliteException e) => IsBusy(e.SqliteErrorCode);

    /// <summary>Makes a raw connection wait for a lock instead of failing at once.</summary>
    public static void Install(sqlite3 db) => raw.sqlite3_busy_timeout(db, Seconds * 1000);

    public static string Waiting(string path) =>
        $"SQLite file '{path}' is locked: another process holds a write lock on it (a write transaction in progress, or a journal or WAL " +
        $"it must recover). Waiting up to {Seconds} s for it to finish; to avoid the wait, close the application that writes to it, " +
        $"or copy a backup made with: sqlite3 '{path}' \".backup copy.db\".";

    public static FerryException GaveUp(string path) =>
        new($"SQLite file '{path}' is still locked by another process after {Seconds} s: it is writing to the file. Close the application " +
            $"that writes to it (or wait for its transaction to end) and run again, or copy a backup made with: sqlite3 '{path}' \".backup copy.db\".",
            FailureKind.Configuration);

    /// <summary>
    /// Runs the first query of a connection: briefly, then, if the file is locked, again for the full wait after saying so.
    /// </summary>
    public static async Task<T> FirstQueryAsync<T>(string path, ILogger logger, Func<int, Task<T>> query)
    {
        try
        {
            return await query(ProbeSeconds);
        }
        catch (SqliteException e) when (IsBusy(e))
        {
            logger.LogWarning("{Message}", Waiting(path));
        }

        try
        {
            return await query(Seconds);
        }
        catch (SqliteException e) when (IsBusy(e))
        {
            throw GaveUp(path);
        }
    }
}
