using System.Text.Json;
using Ferry.Connections;
using Ferry.Journal.Internal;
using Npgsql;

namespace Ferry.Journal;

/// <summary>
/// Reads <c>ferry.runs</c>: the recent runs, or one whole. A run still marked <c>running</c> whose session no longer
/// holds its lock is read as <see cref="RunOutcome.Interrupted"/> (the row itself is left as it is).
/// </summary>
public static class RunHistory
{
    const string Columns = """
        id, kind, command, ferry_version, environment, target, client_host, client_user, started_at, ended_at,
        CASE WHEN outcome = 'running' AND NOT EXISTS (
            SELECT FROM pg_locks l
            WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
              AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
              AND l.classid::bigint = {0} AND l.objid::bigint = (r.id & 4294967295))
            THEN 'interrupted' ELSE outcome END,
        exit_code
        """;

    /// <summary>
    /// The most recent runs, newest first; <paramref name="kind"/> matches a kind (<c>copy</c>) or a family
    /// (<c>migrate</c> matches <c>migrate up</c>, <c>migrate down</c>, …). Empty when the database has no journal.
    /// Documents and summaries are not read (<see cref="GetAsync"/> reads them).
    /// </summary>
    public static async Task<IReadOnlyList<RunRecord>> ListAsync(PostgresTarget target, string? kind, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        if (await JournalSchema.VersionAsync(connection, cancellationToken) == 0)
            return [];
        await using var command = new NpgsqlCommand(
            $"SELECT {string.Format(System.Globalization.CultureInfo.InvariantCulture, Columns, JournalSchema.LockClass)}, NULL::text, NULL::text FROM ferry.runs r " +
            "WHERE $1::text IS NULL OR kind = $1 OR kind LIKE $1 || ' %' ORDER BY id DESC LIMIT $2",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)kind ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        command.Parameters.AddWithValue(Math.Max(0, limit));
        return await ReadAsync(command, cancellationToken);
    }

    /// <summary>One run with its document and summary (<paramref name="id"/> null: the latest); null when there is none.</summary>
    public static async Task<RunRecord?> GetAsync(PostgresTarget target, long? id, CancellationToken cancellationToken = default)
    {
        await using var connection = await target.OpenAsync(cancellationToken);
        if (await JournalSchema.VersionAsync(connection, cancellationToken) == 0)
            return null;
        await using var command = new NpgsqlCommand(
            $"SELECT {string.Format(System.Globalization.CultureInfo.InvariantCulture, Columns, JournalSchema.LockClass)}, document::text, summary FROM ferry.runs r " +
            "WHERE $1::bigint IS NULL OR id = $1 ORDER BY id DESC LIMIT 1",
            connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)id ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint });
        return (await ReadAsync(command, cancellationToken)).FirstOrDefault();
    }

    /// <summary>As <see cref="GetAsync"/>, but a run that is not recorded is refused, saying where to find the recorded ones.</summary>
    public static async Task<RunRecord> FindAsync(PostgresTarget target, long? id, CancellationToken cancellationToken = default) =>
        await GetAsync(target, id, cancellationToken)
            ?? throw new FerryException(
                id is null ? $"No run is recorded in {target.DisplayUrl}." : $"No run {id} in {target.DisplayUrl}: `ferry runs` lists the recorded ones.",
                FailureKind.Configuration);

    /// <summary>Parses <c>ID</c> or <c>last</c> (null); anything else is refused naming what to give.</summary>
    public static long? ParseId(string text) =>
        text.Equals("last", StringComparison.OrdinalIgnoreCase) ? null
        : long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id) && id > 0 ? id
        : throw new FerryException($"'{text}' is not a run: give a run's id (a number, as `ferry runs` lists them) or 'last'.", FailureKind.Configuration);

    static async Task<IReadOnlyList<RunRecord>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var runs = new List<RunRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            runs.Add(new RunRecord(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                Text(4),
                Text(5),
                Text(6),
                Text(7),
                reader.GetFieldValue<DateTimeOffset>(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                Enum.TryParse<RunOutcome>(reader.GetString(10), ignoreCase: true, out var outcome) ? outcome : RunOutcome.Failed,
                reader.IsDBNull(11) ? null : reader.GetInt32(11),
                Text(12) is { } document ? JsonDocument.Parse(document).RootElement.Clone() : null,
                Text(13)));
        }

        return runs;
    }
}
