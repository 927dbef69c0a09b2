using Npgsql;

namespace Ferry.Backup.Internal;

/// <summary>Statements run as they are, and a qualified, quoted name.</summary>
internal static class Sql
{
    public static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static async Task<T?> ScalarAsync<T>(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        foreach (var parameter in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        return await command.ExecuteScalarAsync(cancellationToken) is T value ? value : default;
    }

    public static string Qualify(string schema, string name) => Ferry.Schema.Identifiers.QuoteAlways(schema) + "." + Ferry.Schema.Identifiers.QuoteAlways(name);

    /// <summary>The kind of relation standing at schema.name (<c>r</c>, <c>v</c>, <c>m</c>, <c>i</c>, <c>S</c>, …); null when none.</summary>
    public static async Task<char?> RelationKindAsync(NpgsqlConnection connection, string schema, string name, CancellationToken cancellationToken) =>
        await ScalarAsync<char>(connection,
            "SELECT c.relkind FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2",
            cancellationToken, schema, name) is var kind and not '\0' ? kind : null;
}
