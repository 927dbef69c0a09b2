using System.Globalization;
using Ferry.Schema;
using Npgsql;

namespace Ferry.Target;

/// <summary>
/// Before a copy writes anything: the target can have every extension the source's objects need, because it has
/// it, or it is available there and the user may create it (a superuser; or, for a trusted extension, a user
/// with CREATE on the database). Otherwise the copy is refused, naming each extension, what needs it and what to do.
/// </summary>
internal static class ExtensionCheck
{
    const string Sql = """
        SELECT n.name, EXISTS (SELECT 1 FROM pg_catalog.pg_extension x WHERE x.extname = n.name) AS installed,
               a.name IS NOT NULL AS available, coalesce(v.trusted, false) AS trusted,
               (SELECT r.rolsuper FROM pg_catalog.pg_roles r WHERE r.rolname = current_user) AS superuser,
               has_database_privilege(current_database(), 'CREATE') AS can_create,
               current_setting('server_version_num')::int / 10000 AS major
        FROM unnest($1::text[]) n(name)
        LEFT JOIN pg_catalog.pg_available_extensions a ON a.name = n.name
        LEFT JOIN pg_catalog.pg_available_extension_versions v ON v.name = n.name AND v.version = a.default_version
        """;

    public static async Task CheckAsync(NpgsqlConnection connection, SchemaPlan plan, CancellationToken cancellationToken)
    {
        var extensions = plan.ServerObjects.Where(o => o.Kind == ServerObjectKind.Extension).ToDictionary(o => o.Name, StringComparer.Ordinal);
        if (extensions.Count == 0)
            return;
        await using var command = new NpgsqlCommand(Sql, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = extensions.Keys.ToArray() });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var refusals = new List<string>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var extension = extensions[reader.GetString(0)];
            var (installed, available, trusted, superuser, canCreate) = (reader.GetBoolean(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetBoolean(4), reader.GetBoolean(5));
            if (installed || available && (superuser || trusted && canCreate))
                continue;
            var create = extension.Sql[^1];
            var why = !available
                ? $"the target's server does not have it: install its package there (e.g. postgresql-{reader.GetInt32(6).ToString(CultureInfo.InvariantCulture)}-{extension.Name}, or the one that ships it), then have an administrator run {create}"
                : trusted
                    ? $"it is trusted, but the user has no CREATE privilege on the database: have an administrator run {create}, or GRANT CREATE ON DATABASE to the user"
                    : $"only a superuser can create it (it is not trusted): have an administrator run {create}";
            refusals.Add($"extension {extension.Name} (needed by {string.Join(", ", extension.NeededBy)}): {why}");
        }

        if (refusals.Count > 0)
            throw new FerryException($"The target cannot have what the source's tables need. {string.Join("; ", refusals)}. Nothing was written.", FailureKind.Configuration);
    }
}
