using System.Globalization;
using Ferry.Sources.DuckDb.Native;
using Ferry.Transforms.Spec;
using Ferry.Verify.Internal;

namespace Ferry.Check.Internal;

/// <summary>
/// A DuckDB database a check runs on: a file opened read-only, or Parquet or CSV files as the one table a copy
/// loads them into (a view over them in a database in memory). A table is found in any case, in the schema written
/// or else <c>main</c>; its key is its primary key, else every column.
/// </summary>
internal sealed class DuckDbCheckDatabase : ICheckDatabase
{
    readonly DuckDbDatabase _database;
    readonly DuckDbConnection _connection;

    DuckDbCheckDatabase(DuckDbDatabase database)
    {
        _database = database;
        _connection = database.Connect();
    }

    public ICheckDialect Dialect { get; } = new DuckDbCheckDialect();

    /// <summary>A DuckDB database file.</summary>
    public static DuckDbCheckDatabase OpenFile(string path) => new(DuckDbDatabase.Open(path, readOnly: true));

    /// <summary>Files as the table <paramref name="table"/>: <paramref name="relation"/> is DuckDB's read of them (<c>read_parquet(…)</c>).</summary>
    public static DuckDbCheckDatabase OpenFiles(string table, string relation)
    {
        var database = new DuckDbCheckDatabase(DuckDbDatabase.Open(null, readOnly: false));
        try
        {
            database._connection.Execute($"CREATE VIEW {Schema.Identifiers.QuoteAlways(table)} AS SELECT * FROM {relation}");
        }
        catch (FerryException e)
        {
            database.Dispose();
            throw new FerryException($"DuckDB cannot read the files of {table}: {e.Message}", FailureKind.Configuration, e);
        }

        return database;
    }

    public async Task<CheckedTable?> FindTableAsync(SourceTableName name, CancellationToken cancellationToken)
    {
        var candidates = (await TextAsync(
            "SELECT schema_name, table_name FROM duckdb_tables() WHERE database_name = current_database() " +
            "UNION ALL SELECT schema_name, view_name FROM duckdb_views() WHERE database_name = current_database() AND NOT internal ORDER BY 1, 2", cancellationToken))
            .Select(r => (Schema: r[0]!, Name: r[1]!))
            .Where(c => name.Schema is null ? c.Schema == "main" && name.Matches(null, c.Name) : name.Matches(c.Schema, c.Name))
            .ToList();
        var exact = candidates.Where(c => c.Name == name.Name).ToList();
        (string Schema, string Name) found;
        if (exact.Count > 0)
            found = exact[0];
        else if (candidates.Count == 1)
            found = candidates[0];
        else if (candidates.Count == 0)
            return null;
        else
            throw new CheckQueryException($"'{name}' could be any of {string.Join(", ", candidates.Select(c => c.Schema + "." + c.Name))}: quote the name to say which (\"Name\" keeps its case)");

        var where = $"database_name = current_database() AND schema_name = {FileCheckDialect.Literal(found.Schema)} AND table_name = {FileCheckDialect.Literal(found.Name)}";
        var columns = (await TextAsync($"SELECT column_name, data_type FROM duckdb_columns() WHERE {where} ORDER BY column_index", cancellationToken))
            .Select(r => new TargetColumn(r[0]!, Integer(r[1]!) ? "int8" : r[1]!.ToLowerInvariant(), 'b', null, r[1]!))
            .ToList();
        var keyNames = (await TextAsync($"SELECT unnest(constraint_column_names) FROM duckdb_constraints() WHERE {where} AND constraint_type = 'PRIMARY KEY'", cancellationToken))
            .Select(r => r[0]!)
            .ToList();
        return new CheckedTable(found.Schema, found.Name, columns, [.. keyNames.Select(k => columns.First(c => c.Name == k))]);
    }

    /// <summary>DuckDB's whole-number types (reported as numbers, as a PostgreSQL integer key is).</summary>
    static bool Integer(string type) => type is "TINYINT" or "SMALLINT" or "INTEGER" or "BIGINT" or "UTINYINT" or "USMALLINT" or "UINTEGER";

    Task<List<string?[]>> TextAsync(string sql, CancellationToken cancellationToken) =>
        Task.Run(() => Guard(() => _connection.QueryText(sql)), cancellationToken);

    public Task<List<object?[]>> RowsAsync(string sql, CancellationToken cancellationToken) => Task.Run(() =>
    {
        var rows = new List<object?[]>();
        Stream(sql, (values, types) =>
        {
            var row = new object?[values.Length];
            for (var i = 0; i < row.Length; i++)
                row[i] = values[i] is { } text && types[i] is DuckDbType.BigInt or DuckDbType.Integer or DuckDbType.SmallInt or DuckDbType.TinyInt
                    ? long.Parse(text, CultureInfo.InvariantCulture)
                    : values[i];
            rows.Add(row);
        });
        return rows;
    }, cancellationToken);

    /// <summary>A file opened read-only can take no change; files read as a view have nothing a query could change.</summary>
    public Task<List<object?[]>> ReadOnlyRowsAsync(string sql, CancellationToken cancellationToken) => RowsAsync(sql, cancellationToken);

    public Task StreamAsync(string sql, Action<string?[]> row, CancellationToken cancellationToken) =>
        Task.Run(() => Stream(sql, (values, _) => row(values)), cancellationToken);

    void Stream(string sql, Action<string?[], DuckDbType[]> row) => Guard(() =>
    {
        _connection.StreamText(sql, row);
        return 0;
    });

    /// <summary>DuckDB's refusal of a query, as the check's: the expectation it served is in error.</summary>
    static T Guard<T>(Func<T> query)
    {
        try
        {
            return query();
        }
        catch (FerryException e)
        {
            throw new CheckQueryException(e.Message, e);
        }
    }

    void Dispose()
    {
        _connection.Dispose();
        _database.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
