using Npgsql;

namespace Ferry.Sources.Postgres.Discovery;

/// <summary>
/// The catalog queries discovery runs on a PostgreSQL source, read from the <c>Catalog/*.sql</c> files embedded in the
/// assembly, each returning its rows as arrays of column values. They run in the snapshot's transaction with
/// <c>search_path</c> set to <c>pg_catalog</c> alone, so that the server's words name every other object with its schema.
/// </summary>
internal sealed class PostgresCatalog(NpgsqlConnection connection)
{
    static readonly string SchemasSql = Internal.EmbeddedSql.Catalog(typeof(PostgresCatalog), "schemas.sql");
    static readonly string TablesSql = Internal.EmbeddedSql.Catalog(typeof(PostgresCatalog), "tables.sql");
    static readonly string ColumnsSql = Internal.EmbeddedSql.Catalog(typeof(PostgresCatalog), "attributes.sql") + Internal.EmbeddedSql.Catalog(typeof(PostgresCatalog), "columns.sql");
    static readonly string ConstraintsSql = Internal.EmbeddedSql.Catalog(typeof(PostgresCatalog), "constraints.sql");
    static readonly string IndexesSql = Internal.EmbeddedSql.Catalog(typeof(PostgresCatalog), "indexes.sql");

    public async Task QualifyEverythingAsync(CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SET LOCAL search_path = pg_catalog", connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>nspname of the schemas read when none are named.</summary>
    public Task<List<object?[]>> SchemasAsync(CancellationToken cancellationToken) => QueryAsync(SchemasSql, null, cancellationToken);

    /// <summary>oid, schema, name, relkind, unlogged, partition_by, estimated_rows, pages, comment of the schemas' tables.</summary>
    public Task<List<object?[]>> TablesAsync(string[] schemas, CancellationToken cancellationToken) => QueryAsync(TablesSql, schemas, cancellationToken);

    /// <summary>The columns of the tables (see columns.sql for the fields).</summary>
    public Task<List<object?[]>> ColumnsAsync(long[] tables, CancellationToken cancellationToken) => QueryAsync(ColumnsSql, tables, cancellationToken);

    /// <summary>The constraints declared on the tables (see constraints.sql).</summary>
    public Task<List<object?[]>> ConstraintsAsync(long[] tables, CancellationToken cancellationToken) => QueryAsync(ConstraintsSql, tables, cancellationToken);

    /// <summary>The indexes no constraint owns (see indexes.sql).</summary>
    public Task<List<object?[]>> IndexesAsync(long[] tables, CancellationToken cancellationToken) => QueryAsync(IndexesSql, tables, cancellationToken);

    public Task<List<object?[]>> QueryAsync(string sql, object? parameter, CancellationToken cancellationToken) =>
        parameter is null
            ? PostgresServerObjects.QueryAsync(connection, sql, cancellationToken)
            : PostgresServerObjects.QueryAsync(connection, sql, cancellationToken, parameter);
}
