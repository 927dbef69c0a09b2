using Npgsql;

namespace Ferry.Tests.Infrastructure;

/// <summary>The server sessions of a run under test, as pg_stat_activity shows them, and their ending (pg_terminate_backend).</summary>
public static class Backends
{
    /// <summary>
    /// Waits until a client backend of <paramref name="observer"/>'s database (other than the observer and
    /// <paramref name="besides"/>) matches <paramref name="condition"/> (SQL over pg_stat_activity); fails when
    /// <paramref name="run"/> ends first, with what it printed.
    /// </summary>
    public static async Task<(int Pid, string Query)> WaitForAsync(NpgsqlConnection observer, string condition, Task<CliResult> run, params NpgsqlConnection[] besides)
    {
        var others = besides.Select(b => b.ProcessID).Append(observer.ProcessID).ToArray();
        var sql = $"""
            SELECT pid, query FROM pg_stat_activity
            WHERE datname = current_database() AND backend_type = 'client backend' AND NOT pid = ANY($1) AND ({condition})
            ORDER BY backend_start LIMIT 1
            """;
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(3)); // a hang guard, not a measure
        while (true)
        {
            await using (var command = new NpgsqlCommand(sql, observer))
            {
                command.Parameters.Add(new NpgsqlParameter { Value = others });
                await using var reader = await command.ExecuteReaderAsync(limit.Token);
                if (await reader.ReadAsync(limit.Token))
                    return (reader.GetInt32(0), reader.GetString(1));
            }

            if (run.IsCompleted)
                throw new InvalidOperationException($"The run ended before a backend matched {condition}:\n{await run}");
            await Task.Delay(20, limit.Token);
        }
    }

    public static async Task TerminateAsync(NpgsqlConnection observer, int pid)
    {
        await using var command = new NpgsqlCommand("SELECT pg_terminate_backend($1)", observer);
        command.Parameters.Add(new NpgsqlParameter { Value = pid });
        await command.ExecuteNonQueryAsync();
    }

    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
