using System.Globalization;
using System.Text.Json;
using Ferry.Transforms.Spec;
using Ferry.Verify.Internal;
using Microsoft.Data.Sqlite;

namespace Ferry.Check.Internal;

/// <summary>
/// A SQLite file a check runs on, opened read-only (nothing a query does can change it). A table is found by its
/// name in any case (SQLite's names fold no case), in <c>main</c>; its key is its primary key, else every column.
/// </summary>
internal sealed class SqliteCheckDatabase : ICheckDatabase
{
    readonly SqliteConnection _connection;
    readonly SqliteRegexp _regexp;

    SqliteCheckDatabase(SqliteConnection connection)
    {
        _connection = connection;
        _regexp = SqliteRegexp.Register(connection);
    }

    public ICheckDialect Dialect { get; } = new SqliteCheckDialect();

    public static async Task<SqliteCheckDatabase> OpenAsync(string path, CancellationToken cancellationToken)
    {
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
        }
        catch (SqliteException e)
        {
            await connection.DisposeAsync();
            throw new FerryException($"'{path}' is not a readable SQLite database: {e.Message}", FailureKind.Configuration, e);
        }

        try
        {
            return new SqliteCheckDatabase(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<CheckedTable?> FindTableAsync(SourceTableName name, CancellationToken cancellationToken)
    {
        if (name.Schema is not null && !name.Matches("main", name.Name))
            return null;
        var names = new List<string>();
        foreach (var row in await RowsAsync("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name", cancellationToken))
            names.Add((string)row[0]!);
        var found = names.FirstOrDefault(n => n == name.Name) ?? names.FirstOrDefault(n => name.Matches(null, n));
        if (found is null)
            return null;
        var columns = new List<(TargetColumn Column, long Key)>();
        foreach (var row in await RowsAsync($"SELECT name, type, pk FROM pragma_table_info({FileCheckDialect.Literal(found)}) ORDER BY cid", cancellationToken))
        {
            var declared = (string?)row[1] ?? "";
            // SQLite's integer affinity: its keys are reported as numbers, as a PostgreSQL integer key is.
            var typeName = declared.Contains("INT", StringComparison.OrdinalIgnoreCase) ? "int8" : declared.ToLowerInvariant();
            columns.Add((new TargetColumn((string)row[0]!, typeName, 'b', null, declared), (long)row[2]!));
        }

        return new CheckedTable("main", found, [.. columns.Select(c => c.Column)], [.. columns.Where(c => c.Key > 0).OrderBy(c => c.Key).Select(c => c.Column)]);
    }

    public async Task<List<object?[]>> RowsAsync(string sql, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await ReadAsync(sql, reader =>
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) is long n ? n : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            rows.Add(row);
        }, cancellationToken);
        return rows;
    }

    /// <summary>The connection is read-only; each row comes back as the dialect's user query promises: one JSON object, then the count.</summary>
    public async Task<List<object?[]>> ReadOnlyRowsAsync(string sql, CancellationToken cancellationToken)
    {
        var rows = new List<object?[]>();
        await ReadAsync(sql, reader =>
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                for (var i = 0; i < reader.FieldCount - 1; i++)
                {
                    json.WritePropertyName(reader.GetName(i));
                    switch (reader.IsDBNull(i) ? null : reader.GetValue(i))
                    {
                        case null:
                            json.WriteNullValue();
                            break;
                        case long n:
                            json.WriteNumberValue(n);
                            break;
                        case double d:
                            json.WriteNumberValue(d);
                            break;
                        case byte[] bytes:
                            json.WriteStringValue(Convert.ToHexString(bytes));
                            break;
                        case var value:
                            json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                            break;
                    }
                }

                json.WriteEndObject();
            }

            rows.Add([System.Text.Encoding.UTF8.GetString(buffer.ToArray()), reader.GetInt64(reader.FieldCount - 1)]);
        }, cancellationToken);
        return rows;
    }

    public Task StreamAsync(string sql, Action<string?[]> row, CancellationToken cancellationToken)
    {
        string?[]? values = null;
        return ReadAsync(sql, reader =>
        {
            values ??= new string?[reader.FieldCount];
            for (var i = 0; i < values.Length; i++)
                values[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
            row(values);
        }, cancellationToken);
    }

    async Task ReadAsync(string sql, Action<SqliteDataReader> row, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.CommandTimeout = 0;
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
                row(reader);
        }
        catch (SqliteException e)
        {
            throw new CheckQueryException(e.Message, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _connection.DisposeAsync();
        _regexp.Dispose();
    }
}
