using Microsoft.Data.Sqlite;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// The catalog queries discovery runs on a SQLite file, read from the <c>Catalog/*.sql</c> files embedded in the
/// assembly, each returning its rows as arrays of column values.
/// </summary>
internal sealed class SqliteCatalog(string path, SqliteConnection connection)
{
    static readonly string SchemaSql = Resource("schema.sql");
    static readonly string TablesSql = Resource("tables.sql");
    static readonly string SequencesSql = Resource("sequences.sql");
    static readonly string ColumnsSql = Resource("columns.sql");
    static readonly string IndexesSql = Resource("indexes.sql");
    static readonly string IndexColumnsSql = Resource("index-columns.sql");
    static readonly string ForeignKeysSql = Resource("foreign-keys.sql");

    /// <summary>type, name, sql of every object in sqlite_schema.</summary>
    public Task<List<object?[]>> SchemaAsync(CancellationToken cancellationToken) => QueryAsync(SchemaSql, cancellationToken);

    /// <summary>name, type, wr, strict of the main schema's tables, by name.</summary>
    public Task<List<object?[]>> TablesAsync(CancellationToken cancellationToken) => QueryAsync(TablesSql, cancellationToken);

    /// <summary>name, seq of sqlite_sequence (which exists only once a table uses AUTOINCREMENT).</summary>
    public Task<List<object?[]>> SequencesAsync(CancellationToken cancellationToken) => QueryAsync(SequencesSql, cancellationToken);

    /// <summary>cid, name, type, notnull, dflt_value, pk, hidden of a table's columns.</summary>
    public Task<List<object?[]>> ColumnsAsync(string table, CancellationToken cancellationToken) => QueryAsync(ColumnsSql, cancellationToken, ("$table", table));

    /// <summary>name, unique, origin, partial of a table's indexes, the last created first.</summary>
    public Task<List<object?[]>> IndexesAsync(string table, CancellationToken cancellationToken) => QueryAsync(IndexesSql, cancellationToken, ("$table", table));

    /// <summary>name of an index's columns, in key order.</summary>
    public Task<List<object?[]>> IndexColumnsAsync(string index, CancellationToken cancellationToken) => QueryAsync(IndexColumnsSql, cancellationToken, ("$index", index));

    /// <summary>The rows of pragma_foreign_key_list for a table (see <see cref="SqliteForeignKeys.Row"/>).</summary>
    public Task<List<object?[]>> ForeignKeysAsync(string table, CancellationToken cancellationToken) => QueryAsync(ForeignKeysSql, cancellationToken, ("$table", table));

    /// <summary>Runs a query; a file another process holds locked, or one SQLite cannot read, is a <see cref="FerryException"/>.</summary>
    public async Task<List<object?[]>> QueryAsync(string sql, CancellationToken cancellationToken, params (string Name, string Value)[] parameters)
    {
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
                command.Parameters.AddWithValue(name, value);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await Internal.DataRows.ReadAllAsync(reader, cancellationToken);
        }
        catch (SqliteException e) when (SqliteLockWait.IsBusy(e))
        {
            throw SqliteLockWait.GaveUp(path);
        }
        catch (SqliteException e)
        {
            throw new FerryException($"Cannot read SQLite file '{path}': {e.Message}", FailureKind.Configuration, e);
        }
    }

    /// <summary>The text of an embedded <c>Catalog/*.sql</c> file (the csproj embeds every .sql file).</summary>
    internal static string Resource(string file) => Internal.EmbeddedSql.Catalog(typeof(SqliteCatalog), file);
}
