using System.Text.Json;
using Ferry.Connections;
using Ferry.Journal.Internal;
using Npgsql;

namespace Ferry.Journal;

/// <summary>
/// One run's row in <c>ferry.runs</c>: written as the run starts, completed as it ends. Its connection stays open for
/// the run and holds a session-level advisory lock keyed on the run's id, so a run killed before it ends (its row
/// still <c>running</c>) is told from one still working: no session holds its lock (<see cref="RunHistory"/> shows it
/// as <c>interrupted</c>). The journal never fails the run: when it cannot be written, <see cref="Problem"/> says why
/// and nothing else happens.
/// </summary>
public sealed class RunJournal : IAsyncDisposable
{
    /// <summary>Bounds every journal statement: a journal that cannot be written quickly is skipped, not waited for.</summary>
    static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    readonly PostgresTarget _target;
    readonly RunStart _start;
    NpgsqlConnection? _connection;

    RunJournal(PostgresTarget target, RunStart start)
    {
        _target = target;
        _start = start;
    }

    /// <summary>The run's id in <c>ferry.runs</c>; null when it could not be recorded.</summary>
    public long? RunId { get; private set; }

    /// <summary>When the journal could not be written: why, in one line (for a warning); else null.</summary>
    public string? Problem { get; private set; }

    /// <summary>The run as recorded when it ended (<see cref="CompleteAsync"/>); null before.</summary>
    public RunRecord? Record { get; private set; }

    /// <summary>Records the run's start. Never throws for the journal's sake (a run cancelled before its row is written still cancels).</summary>
    public static async Task<RunJournal> StartAsync(PostgresTarget target, RunStart start, CancellationToken cancellationToken)
    {
        var journal = new RunJournal(target, start);
        try
        {
            journal._connection = await journal.OpenAsync(cancellationToken);
            await JournalSchema.EnsureAsync(journal._connection, cancellationToken);
            await using var insert = new NpgsqlCommand("""
                INSERT INTO ferry.runs (kind, command, ferry_version, environment, target, client_host, client_user)
                VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id
                """, journal._connection);
            foreach (var value in (string?[])[start.Kind, start.Command, start.Version, start.Environment, start.Target, start.ClientHost, start.ClientUser])
                insert.Parameters.Add(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            // Once its row is asked for, the start is not cancelled (its statements are bounded by Patience): a run
            // stopped now is still recorded, as cancelled.
            journal.RunId = (long)(await insert.ExecuteScalarAsync(CancellationToken.None))!;
            await using var hold = new NpgsqlCommand($"SELECT pg_advisory_lock({JournalSchema.RunLockKey(journal.RunId.Value)})", journal._connection);
            await hold.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            journal.Problem = $"this run is not recorded in ferry.runs ({Reason(e)}); it goes on without its journal";
            await journal.CloseAsync();
        }

        return journal;
    }

    /// <summary>
    /// Records how the run ended, its <c>--json</c> document (JSON text, or null) and its summary, and releases the run's
    /// lock. Never throws, and is not cancelled with the run: a cancelled run is recorded as such.
    /// </summary>
    public async Task CompleteAsync(RunOutcome outcome, int exitCode, string? document, string? summary)
    {
        JsonElement? parsed = null;
        try
        {
            parsed = document is null ? null : JsonDocument.Parse(document).RootElement.Clone();
        }
        catch (JsonException e)
        {
            (Problem, document) = ($"run {RunId}'s document is not JSON ({e.Message}); recorded without it", null);
        }

        var ended = DateTimeOffset.UtcNow;
        DateTimeOffset started = ended;
        if (RunId is { } id)
        {
            try
            {
                using var patience = new CancellationTokenSource(Patience);
                // The run's own connection may be gone (a server restart, a network cut): a new one completes the row.
                if (_connection is not { State: System.Data.ConnectionState.Open })
                {
                    await CloseAsync();
                    _connection = await OpenAsync(patience.Token);
                }

                await using var update = new NpgsqlCommand("""
                    UPDATE ferry.runs SET ended_at = clock_timestamp(), outcome = $2, exit_code = $3, document = $4::jsonb, summary = $5
                    WHERE id = $1 RETURNING started_at, ended_at
                    """, _connection);
                update.Parameters.AddWithValue(id);
                update.Parameters.AddWithValue(RunRecord.Name(outcome));
                update.Parameters.AddWithValue(exitCode);
                update.Parameters.Add(new NpgsqlParameter { Value = (object?)document ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                update.Parameters.Add(new NpgsqlParameter { Value = (object?)summary ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
                await using var reader = await update.ExecuteReaderAsync(patience.Token);
                if (await reader.ReadAsync(patience.Token))
                    (started, ended) = (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1));
            }
            catch (Exception e)
            {
                Problem = $"the end of run {id} is not recorded in ferry.runs ({Reason(e)})";
            }
            finally
            {
                await CloseAsync();
            }
        }

        Record = _start.Ended(RunId ?? 0, started, ended, outcome, exitCode, parsed, summary);
    }

    async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        // Not pooled: closing it must end the session, and the run's lock with it. Its own name, so a look at pg_stat_activity tells the journal's idle session from the run's working ones.
        var settings = new NpgsqlConnectionStringBuilder(_target.ConnectionString) { ApplicationName = "ferry journal", Pooling = false, Timeout = (int)Patience.TotalSeconds, CommandTimeout = (int)Patience.TotalSeconds };
        var connection = await _target.OpenAsync(new NpgsqlConnection(settings.ConnectionString), cancellationToken);
        await using var limits = new NpgsqlCommand($"SET lock_timeout = '{(int)Patience.TotalSeconds}s'", connection);
        await limits.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    static string Reason(Exception e) => Redaction.RedactText(e switch
    {
        PostgresException pg => pg.MessageText,
        FerryException f => f.Message,
        _ => e.Message,
    });

    async Task CloseAsync()
    {
        if (_connection is null)
            return;
        // Closing the session releases the run's lock with it.
        await _connection.DisposeAsync();
        _connection = null;
    }

    public ValueTask DisposeAsync() => new(CloseAsync());
}
