using Ferry.Schema;
using Npgsql;

namespace Ferry.Sources.Postgres.Discovery;

/// <summary>The collations a copy makes (Catalog/collations.sql): libc's or ICU's, as the source defines them, in the target's schemas.</summary>
internal static class PostgresCollations
{
    static readonly string Sql = Internal.EmbeddedSql.Catalog(typeof(PostgresCollations), "collations.sql");

    /// <summary>Each collation of <paramref name="oids"/> → CREATE COLLATION IF NOT EXISTS (a --resume finds it made).</summary>
    public static async Task<Dictionary<long, ServerObject>> ReadAsync(NpgsqlConnection connection, long[] oids, PostgresNames names, CancellationToken cancellationToken)
    {
        var collations = new Dictionary<long, ServerObject>();
        if (oids.Length == 0)
            return collations;
        foreach (var row in await PostgresServerObjects.QueryAsync(connection, Sql, cancellationToken, oids))
        {
            var (schema, name) = (names.Schema((string)row[1]!), (string)row[2]!);
            var options = (string)row[3]! == "i"
                ? $"provider = icu, locale = {Identifiers.Literal((string)row[7]!)}{(row[8] is string rules ? ", rules = " + Identifiers.Literal(rules) : "")}"
                : $"provider = libc, lc_collate = {Identifiers.Literal((string)row[5]!)}, lc_ctype = {Identifiers.Literal((string)row[6]!)}";
            var qualified = Identifiers.Qualify(schema, name);
            collations[(long)row[0]!] = new ServerObject(ServerObjectKind.Collation, schema, name,
                [$"CREATE COLLATION IF NOT EXISTS {qualified} ({options}, deterministic = {((bool)row[4]! ? "true" : "false")})"])
            {
                DropSql = $"DROP COLLATION IF EXISTS {qualified}",
            };
        }

        return collations;
    }
}
