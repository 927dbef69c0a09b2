using Npgsql;

namespace Ferry.Verify.Internal;

/// <summary>What a connection that hashes rows in SQL needs, on the target and on a PostgreSQL source alike.</summary>
internal static class HashingSession
{
    /// <summary>
    /// The canonical session settings (<see cref="CanonicalSql.SessionSettings"/>), and memory enough for the bucket
    /// aggregate (up to 65,536 groups) to stay in memory: with the default 4 MB PostgreSQL spills it to disk, which
    /// slows the fingerprint of a large table markedly.
    /// </summary>
    public static async Task PinAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var settings = new NpgsqlCommand(CanonicalSql.SessionSettings + "; SET work_mem = '64MB'", connection);
        await settings.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Refuses a server older than 12; whether the database is in UTF-8. <paramref name="side"/> names it: "target", "source".</summary>
    public static async Task<bool> ServerSettingsAsync(NpgsqlConnection connection, string side, CancellationToken cancellationToken)
    {
        if (connection.PostgreSqlVersion.Major < 12)
        {
            throw new FerryException(
                $"ferry verify needs PostgreSQL 12 or later on the {side}, which runs {connection.PostgreSqlVersion}: older servers print floats " +
                "in another form than the canonical text, and before 11 they have no hashtextextended.");
        }

        await using var encoding = new NpgsqlCommand("SELECT current_setting('server_encoding') = 'UTF8'", connection);
        return (bool)(await encoding.ExecuteScalarAsync(cancellationToken))!;
    }
}
