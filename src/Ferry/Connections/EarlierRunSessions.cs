using System.Globalization;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ferry.Connections;

/// <summary>A server session of an earlier run, still working: what <c>pg_stat_activity</c> shows of it.</summary>
internal sealed record RunSession(int Pid, string? State, DateTimeOffset? Since, string? Query)
{
    const int QueryShown = 120;

    /// <summary><c>pid 123 (active since 2025-01-02 10:00:00Z: CREATE INDEX …)</c>.</summary>
    public override string ToString()
    {
        var query = Query is null ? null : string.Join(' ', Query.Split((char[])['\r', '\n', '\t', ' '], StringSplitOptions.RemoveEmptyEntries));
        if (query?.Length > QueryShown)
            query = query[..QueryShown] + "…";
        var since = Since is { } s ? " since " + s.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) : "";
        return $"pid {Pid.ToString(CultureInfo.InvariantCulture)} ({State ?? "state not visible to this user"}{since}{(query is null ? "" : ": " + query)})";
    }
}

/// <summary>
/// The sessions an earlier run of the same scope (<see cref="RunMark"/>) left working on the server: a client killed
/// (kill -9, a lost machine) does not stop its backends, which run what they were sent to the end and commit it. A
/// run that must not overlap with them (a copy's --resume, a migration runner) ends them or waits for them first.
/// </summary>
internal static class EarlierRunSessions
{
    static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Sessions in this database whose application_name carries the scope of <paramref name="mark"/> but not this run's
    /// mark, and that are not idle (an idle session of a dead client ends by itself when it reads the closed socket; a
    /// session whose state this user may not see counts as working).
    /// </summary>
    public static async Task<List<RunSession>> FindAsync(NpgsqlConnection connection, RunMark mark, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT pid, state, coalesce(query_start, xact_start, backend_start), query FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND state IS DISTINCT FROM 'idle'
              AND strpos(application_name, $1) > 0 AND strpos(application_name, $2) = 0
            ORDER BY pid
            """,
            connection);
        command.Parameters.AddWithValue(mark.ScopePrefix);
        command.Parameters.AddWithValue(mark.Mark);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sessions = new List<RunSession>();
        while (await reader.ReadAsync(cancellationToken))
        {
            sessions.Add(new RunSession(
                reader.GetInt32(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return sessions;
    }

    /// <summary>
    /// Waits until no session of an earlier run is working, saying once which ones it waits for; when
    /// <paramref name="deadline"/> passes first, throws naming them, with how to end them. <paramref name="what"/> is
    /// the earlier run ("an earlier migration runner on public.schema_migrations"), <paramref name="raise"/> the option
    /// that gives more time ("raise --lock-timeout").
    /// </summary>
    public static async Task WaitAsync(NpgsqlConnection connection, RunMark mark, string what, DateTime deadline, string raise, ILogger logger, CancellationToken cancellationToken)
    {
        var warned = false;
        while (await FindAsync(connection, mark, cancellationToken) is { Count: > 0 } sessions)
        {
            if (DateTime.UtcNow >= deadline)
            {
                throw new FerryException(
                    $"{Capitalized(Sessions(sessions))} of {what} (its client was killed or lost its connection) {(sessions.Count == 1 ? "is" : "are")} still working on the server: {string.Join("; ", sessions)}. " +
                    $"Nothing was run. Wait for {(sessions.Count == 1 ? "it" : "them")} to finish and run again, {raise}, or end {(sessions.Count == 1 ? "it" : "them")} with {TerminateCommand(sessions)}.",
                    FailureKind.Failed);
            }

            if (!warned)
            {
                logger.LogInformation(
                    "Waiting for {Sessions} of {What} to finish (its client was killed or lost its connection, the server still runs what it was sent): {List}",
                    Sessions(sessions), what, string.Join("; ", sessions));
                warned = true;
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    /// <summary>
    /// Ends the sessions of an earlier run (what they were doing rolls back) and waits until they are gone. Sessions
    /// this user may not end (another role's, without pg_signal_backend) are waited for instead, saying how to end them.
    /// </summary>
    public static async Task EndAsync(NpgsqlConnection connection, RunMark mark, string what, ILogger logger, CancellationToken cancellationToken)
    {
        var sessions = await FindAsync(connection, mark, cancellationToken);
        if (sessions.Count == 0)
            return;
        logger.LogInformation("Ending {Sessions} that {What} left working on the server (its client was killed or lost its connection): {List}", Sessions(sessions), what, string.Join("; ", sessions));
        var refused = new List<RunSession>();
        foreach (var session in sessions)
        {
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend($1)", connection);
            terminate.Parameters.AddWithValue(session.Pid);
            try
            {
                await terminate.ExecuteScalarAsync(cancellationToken);
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
            {
                refused.Add(session);
            }
        }

        if (refused.Count > 0)
        {
            logger.LogWarning(
                "Not allowed to end {List}: waiting for {Them} to finish instead (an administrator can end {Them} with {Command})",
                string.Join("; ", refused), refused.Count == 1 ? "it" : "them", refused.Count == 1 ? "it" : "them", TerminateCommand(refused));
        }

        while ((await FindAsync(connection, mark, cancellationToken)).Count > 0)
            await Task.Delay(PollInterval, cancellationToken);
    }

    static string Sessions(List<RunSession> sessions) => sessions.Count == 1 ? "a session" : $"{sessions.Count} sessions";

    static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    static string TerminateCommand(List<RunSession> sessions) => sessions.Count == 1
        ? $"SELECT pg_terminate_backend({sessions[0].Pid.ToString(CultureInfo.InvariantCulture)})"
        : $"SELECT pg_terminate_backend(pid) FROM unnest(ARRAY[{string.Join(", ", sessions.Select(s => s.Pid.ToString(CultureInfo.InvariantCulture)))}]) AS pid";
}
