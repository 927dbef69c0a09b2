using System.Globalization;
using Ferry.Schema;
using Npgsql;

namespace Ferry.Sources.Postgres.Discovery;

/// <summary>
/// A PostgreSQL source's sequences that are not an identity's (Catalog/sequences.sql): made with their options
/// and set to the source's value, so that a default's <c>nextval</c> goes on where the source's would; a serial's
/// sequence owned by its column again once the table exists.
/// </summary>
internal static class PostgresSequences
{
    static readonly string Sql = Internal.EmbeddedSql.Catalog(typeof(PostgresSequences), "sequences.sql");

    /// <summary>
    /// The sequences of <paramref name="schemas"/> and those the tables' defaults call (not one owned by a table left
    /// out), each registered with <paramref name="names"/> so that regclass literals naming it move with it; then the
    /// OWNED BY of those a copied column owns.
    /// </summary>
    public static async Task<(List<ServerObject> Sequences, List<ServerObject> Owners)> ReadAsync(
        NpgsqlConnection connection, string[] schemas, long[] tables, PostgresNames names, CancellationToken cancellationToken)
    {
        var copied = tables.ToHashSet();
        var rows = (await PostgresServerObjects.QueryAsync(connection, Sql, cancellationToken, schemas, tables))
            .Where(r => r[10] is not long owner || copied.Contains(owner)).ToList();
        var values = await ValuesAsync(connection, rows, cancellationToken);
        var sequences = new List<ServerObject>();
        var owners = new List<ServerObject>();
        foreach (var row in rows)
        {
            var (schema, name) = ((string)row[1]!, (string)row[2]!);
            names.Copies(schema, name);
            var target = Identifiers.Qualify(names.Schema(schema), names.Name(name));
            var (last, called) = values[(long)row[0]!];
            sequences.Add(new ServerObject(ServerObjectKind.Sequence, names.Schema(schema), names.Name(name), [
                string.Create(CultureInfo.InvariantCulture, $"CREATE SEQUENCE {target} AS {row[3]} INCREMENT BY {row[4]} MINVALUE {row[5]} MAXVALUE {row[6]} START WITH {row[7]} CACHE {row[8]} {((bool)row[9]! ? "CYCLE" : "NO CYCLE")}"),
                string.Create(CultureInfo.InvariantCulture, $"SELECT pg_catalog.setval({Identifiers.Literal(target)}, {last}, {(called ? "true" : "false")})"),
            ])
            {
                DropSql = $"DROP SEQUENCE IF EXISTS {target}",
            });
            if (row[10] is long)
            {
                var column = Identifiers.Qualify(names.Schema((string)row[11]!), names.Name((string)row[12]!)) + "." + Identifiers.Quote(names.Name((string)row[13]!));
                owners.Add(new ServerObject(ServerObjectKind.SequenceOwner, names.Schema(schema), names.Name(name), [$"ALTER SEQUENCE {target} OWNED BY {column}"]));
            }
        }

        return (sequences, owners);
    }

    /// <summary>
    /// Each sequence's last_value and is_called, read from the sequences themselves in one query. Sequences are not
    /// transactional: the values are those at discovery, just after the snapshot was taken (as pg_dump reads them).
    /// </summary>
    static async Task<Dictionary<long, (long Last, bool Called)>> ValuesAsync(NpgsqlConnection connection, List<object?[]> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
            return [];
        var sql = string.Join("\nUNION ALL ", rows.Select(r =>
            string.Create(CultureInfo.InvariantCulture, $"SELECT {(long)r[0]!}::int8, last_value, is_called FROM {Identifiers.Qualify((string)r[1]!, (string)r[2]!)}")));
        try
        {
            return (await PostgresServerObjects.QueryAsync(connection, sql, cancellationToken))
                .ToDictionary(r => (long)r[0]!, r => ((long)r[1]!, (bool)r[2]!));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            throw new FerryException(
                $"Cannot read the source's sequences' values: {e.MessageText}. Grant the source's user SELECT on them " +
                "(GRANT SELECT ON ALL SEQUENCES IN SCHEMA …), or leave their schema out with --source-schemas.", FailureKind.Configuration, e);
        }
    }
}
