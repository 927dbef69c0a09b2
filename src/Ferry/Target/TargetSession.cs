using Ferry.Connections;
using Npgsql;

namespace Ferry.Target;

/// <summary>
/// The copy's own connection to the target, for its steps one after another (creating the tables, foreign keys,
/// identities, views), opened again after a loss. Each step runs through the <see cref="Retrier"/>: it must be safe to
/// run again whole, or check first (it is told which retry it is) whether its last attempt took effect.
/// </summary>
internal sealed class TargetSession(NpgsqlDataSource dataSource, Retrier retrier) : IAsyncDisposable
{
    NpgsqlConnection? _connection;

    public Retrier Retrier => retrier;

    /// <summary>Starts with a connection already open.</summary>
    public void Adopt(NpgsqlConnection connection) => _connection = connection;

    public async Task<T> RunAsync<T>(string doing, Func<NpgsqlConnection, int, CancellationToken, Task<T>> step, CancellationToken cancellationToken) =>
        await retrier.RunAsync(doing, async (retry, ct) =>
        {
            try
            {
                return await step(_connection ??= await dataSource.OpenConnectionAsync(ct), retry, ct);
            }
            catch (Exception e) when (ConnectionLoss.Describe(e) is not null)
            {
                await ForgetAsync();
                throw;
            }
        }, cancellationToken);

    public Task RunAsync(string doing, Func<NpgsqlConnection, int, CancellationToken, Task> step, CancellationToken cancellationToken) =>
        RunAsync(doing, async (connection, retry, ct) =>
        {
            await step(connection, retry, ct);
            return true;
        }, cancellationToken);

    /// <summary>Runs statements that may run again whole (idempotent, or in one implicit transaction with IF EXISTS).</summary>
    public Task ExecuteAsync(string doing, string sql, CancellationToken cancellationToken) =>
        RunAsync(doing, (connection, _, ct) => TargetSql.ExecuteAsync(connection, sql, ct), cancellationToken);

    async Task ForgetAsync()
    {
        var connection = _connection;
        _connection = null;
        try
        {
            if (connection is not null)
                await connection.DisposeAsync();
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException or IOException or ObjectDisposedException)
        {
            // A broken connection may fail to close; it is gone either way.
        }
    }

    public ValueTask DisposeAsync() => new(ForgetAsync());
}

/// <summary>Statements and queries on a target connection, as the copy's steps run them.</summary>
internal static class TargetSql
{
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Each row's values as text, joined by ", " (NULL as <c>NULL</c>).</summary>
    public static async Task<List<string>> StringsAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var values = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var parts = new string[reader.FieldCount];
            for (var i = 0; i < parts.Length; i++)
                parts[i] = reader.IsDBNull(i) ? "NULL" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            values.Add(string.Join(", ", parts));
        }

        return values;
    }

    /// <summary>Whether a relation (table, index, view) of that qualified name exists.</summary>
    public static async Task<bool> ExistsAsync(NpgsqlConnection connection, string qualifiedName, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT to_regclass($1) IS NOT NULL", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = qualifiedName });
        return (bool)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
