using System.Data;
using Ferry.Schema;
using Npgsql;

namespace Ferry.Sources.Postgres.Discovery;

/// <summary>
/// A PostgreSQL source's derived tables (<see cref="SourceOptions.DerivedTables"/>): the query's result columns as the
/// server describes them (parsed, not run), each typed as a table's column is, in the server's words (a column straight
/// from a table keeps its type modifier); read by running the query in the snapshot, in one piece.
/// </summary>
internal static class PostgresDerivedTables
{
    static readonly string ColumnsSql = Internal.EmbeddedSql.Catalog(typeof(PostgresDerivedTables), "derived_attributes.sql") + Internal.EmbeddedSql.Catalog(typeof(PostgresDerivedTables), "columns.sql");

    /// <summary>
    /// Adds each derived table to <paramref name="model"/>, described on <paramref name="connection"/> (in the snapshot, with
    /// the user's search_path, which it leaves set to pg_catalog); a query the server refuses is refused, naming it.
    /// </summary>
    public static async Task AddAsync(
        SourceModel model, NpgsqlConnection connection, SourceOptions options, string description, Func<object?[], ColumnModel> column, CancellationToken cancellationToken)
    {
        // Every query is described under the user's search_path first; the types are then named in the catalog's words.
        var described = new List<(DerivedTable Derived, IReadOnlyList<Npgsql.Schema.NpgsqlDbColumn> Columns)>();
        foreach (var derived in options.DerivedTables)
        {
            var from = DerivedTables.Check(model, derived, description, Identifiers.Quote);
            described.Add((derived, await DescribeAsync(connection, derived, from, description, cancellationToken)));
        }

        await using (var qualify = new NpgsqlCommand("SET LOCAL search_path = pg_catalog", connection))
            await qualify.ExecuteNonQueryAsync(cancellationToken);
        foreach (var (derived, result) in described)
        {
            var rows = await PostgresServerObjects.QueryAsync(connection, ColumnsSql, cancellationToken,
                result.Select(c => c.ColumnName).ToArray(),
                result.Select(c => (long)c.TypeOID).ToArray(),
                result.Select(c => (long)c.TableOID).ToArray(),
                result.Select(c => (short)(c.ColumnAttributeNumber ?? 0)).ToArray());
            var table = new TableModel
            {
                SourceName = derived.Name,
                Columns = [.. rows.Select(column)],
                BinaryValues = true,
                SourceState = new PostgresTableState(Partitioned: false, Pages: 0),
            };
            model.Tables.Add(DerivedTables.Complete(table, derived, options.Names));
        }
    }

    /// <summary>The query's result columns (the server parses it without running it), or the refusal naming the server's message.</summary>
    static async Task<IReadOnlyList<Npgsql.Schema.NpgsqlDbColumn>> DescribeAsync(
        NpgsqlConnection connection, DerivedTable derived, string from, string description, CancellationToken cancellationToken)
    {
        List<Npgsql.Schema.NpgsqlDbColumn> columns;
        try
        {
            await using var command = new NpgsqlCommand($"SELECT * FROM {from}", connection);
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, cancellationToken);
            columns = [.. (await reader.GetColumnSchemaAsync(cancellationToken)).Cast<Npgsql.Schema.NpgsqlDbColumn>()];
        }
        catch (PostgresException e)
        {
            throw DerivedTables.Refused(derived, description, e.MessageText);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var column in columns)
        {
            if (!seen.Add(column.ColumnName))
                throw DerivedTables.Refused(derived, description, $"it returns two columns named '{column.ColumnName}' (name each with AS)");
        }

        return columns;
    }
}
