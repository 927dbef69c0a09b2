using System.Globalization;
using Ferry.Connections;
using Ferry.Transforms.Spec;
using Ferry.Verify.Internal;
using Npgsql;

namespace Ferry.Check.Internal;

/// <summary>
/// A PostgreSQL database a check runs on, over one session: a table is found as PostgreSQL would find it (in the
/// search path unless a schema is written; a quoted name exactly, an unquoted one in any case when only one table has it so).
/// </summary>
internal sealed class PostgresCheckDatabase : ICheckDatabase
{
    readonly NpgsqlConnection _connection;

    PostgresCheckDatabase(NpgsqlConnection connection)
    {
        _connection = connection;
        Dialect = new PostgresCheckDialect(connection.PostgreSqlVersion.Major);
    }

    public ICheckDialect Dialect { get; }

    public static async Task<PostgresCheckDatabase> OpenAsync(PostgresTarget target, CancellationToken cancellationToken) =>
        new(await target.OpenAsync(cancellationToken));

    public async Task<CheckedTable?> FindTableAsync(SourceTableName name, CancellationToken cancellationToken)
    {
        var candidates = new List<(string Schema, string Name)>();
        await using (var command = new NpgsqlCommand(
            """
            SELECT n.nspname::text, c.relname::text
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND lower(c.relname) = lower($1)
              AND (CASE WHEN $2::text IS NULL THEN n.nspname = ANY (current_schemas(false)) ELSE lower(n.nspname) = lower($2) END)
            ORDER BY array_position(current_schemas(false), n.nspname::text), n.nspname, c.relname
            """,
            _connection))
        {
            command.Parameters.Add(new() { Value = name.Name });
            command.Parameters.Add(new() { Value = (object?)name.Schema ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                candidates.Add((reader.GetString(0), reader.GetString(1)));
        }

        var matching = candidates.Where(c => name.Matches(c.Schema, c.Name)).ToList();
        var exact = matching.Where(c => c.Name == name.Name && (name.Schema is null || c.Schema == name.Schema)).ToList();
        (string Schema, string Name) found;
        if (exact.Count > 0)
            found = exact[0];
        else if (matching.Count == 1)
            found = matching[0];
        else if (matching.Count == 0)
            return null;
        else
            throw new CheckQueryException($"'{name}' could be any of {string.Join(", ", matching.Select(m => $"{Identifiers(m)}"))}: quote the name to say which (\"Name\" keeps its case)");

        var table = await TargetTable.LoadAsync(_connection, found.Schema, found.Name, cancellationToken, views: true);
        if (table is null)
            return null;
        var primary = table.Keys.FirstOrDefault(k => k.Primary)?.Columns.Select(c => table.Column(c)!).ToList() ?? [];
        return new CheckedTable(table.Schema, table.Name, table.Columns, primary);
    }

    static string Identifiers((string Schema, string Name) table) => Schema.Identifiers.Qualify(table.Schema, table.Name);

    public Task<List<object?[]>> RowsAsync(string sql, CancellationToken cancellationToken) => QueryAsync(sql, readOnly: false, cancellationToken);

    public Task<List<object?[]>> ReadOnlyRowsAsync(string sql, CancellationToken cancellationToken) => QueryAsync(sql, readOnly: true, cancellationToken);

    async Task<List<object?[]>> QueryAsync(string sql, bool readOnly, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await using var transaction = readOnly ? await _connection.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            if (transaction is not null)
            {
                await using var setting = new NpgsqlCommand("SET TRANSACTION READ ONLY", _connection, transaction);
                await setting.ExecuteNonQueryAsync(cancellationToken);
            }

            await using var command = new NpgsqlCommand(sql, _connection, transaction) { CommandTimeout = 0 };
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var row = new object?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                    row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) is var value && value is long or int or short ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : Convert.ToString(value, CultureInfo.InvariantCulture);
                rows.Add(row);
            }
        }
        catch (PostgresException e)
        {
            throw new CheckQueryException(Message(e), e);
        }
        finally
        {
            // A user's query never commits: whatever it did is undone.
            if (transaction is not null)
                await transaction.RollbackAsync(CancellationToken.None);
        }

        return rows;
    }

    public async Task StreamAsync(string sql, Action<string?[]> row, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(sql, _connection) { CommandTimeout = 0 };
            await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, cancellationToken);
            var values = new string?[reader.FieldCount];
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < values.Length; i++)
                    values[i] = await reader.IsDBNullAsync(i, cancellationToken) ? null : reader.GetString(i);
                row(values);
            }
        }
        catch (PostgresException e)
        {
            throw new CheckQueryException(Message(e), e);
        }
    }

    /// <summary>PostgreSQL's message, with its hint when it gives one.</summary>
    static string Message(PostgresException e) => e.Hint is { Length: > 0 } hint ? $"{e.MessageText} ({hint})" : e.MessageText;

    public ValueTask DisposeAsync() => _connection.DisposeAsync();
}
