using System.Globalization;
using System.Text.RegularExpressions;
using Ferry.Backup.Internal;
using Ferry.Connections;

namespace Ferry.Backup;

/// <summary>
/// Takes a backup (<c>ferry backup</c>): resolves its tables, names it, has its store copy them (a schema in the
/// database, or a <c>pg_dump</c> archive) and records its manifest in <c>ferry.backups</c>.
/// </summary>
public static partial class BackupRunner
{
    public static async Task<BackupManifest> CreateAsync(PostgresTarget target, BackupRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (request.Jobs < 1)
            throw new FerryException($"--jobs must be at least 1, not {request.Jobs}.");
        if (request.Name is { } given && (!NamePattern().IsMatch(given) || given.StartsWith("pg_", StringComparison.OrdinalIgnoreCase) || given == "ferry"))
        {
            throw new FerryException(
                $"--name '{given}' is not a backup name: use letters, digits and underscores, starting with a letter or underscore, at most 63 characters, not pg_… or ferry (it names a schema).");
        }

        await using var connection = await target.OpenAsync(cancellationToken);
        await BackupsTable.EnsureAsync(connection, cancellationToken);
        var (tables, schemas) = await TableSelection.ResolveAsync(connection, request, cancellationToken);
        var createdAt = DateTimeOffset.UtcNow;
        var name = request.Name ?? await FreeNameAsync(connection, "backup_" + createdAt.ToString("yyyyMMdd_HHmmss", CultureInfo.InvariantCulture), cancellationToken);
        if (request.Name is not null && await TakenAsync(connection, name, cancellationToken) is { } taken)
            throw new FerryException($"--name {name}: {taken}. Choose another name, or drop that one first (ferry backups drop {name}).");

        var store = BackupStores.For(request.File is null ? BackupManifest.SchemaKind : BackupManifest.FileKind);
        BackupManifest manifest;
        try
        {
            manifest = await store.CreateAsync(target, new BackupPlan(name, createdAt, tables, schemas, request), progress, cancellationToken);
        }
        catch (Npgsql.PostgresException e)
        {
            throw new FerryException($"backup {name} failed, nothing was kept: {e.MessageText}" + (e.TableName is { } table ? $" (table {e.SchemaName}.{table})" : "") + ".", FailureKind.Failed, e);
        }

        try
        {
            await BackupsTable.InsertAsync(connection, manifest, cancellationToken);
        }
        catch
        {
            await store.DropAsync(target, manifest, CancellationToken.None);
            throw;
        }

        return manifest;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex NamePattern();

    /// <summary>The automatic name, with _2, _3, … when a backup of that second exists.</summary>
    static async Task<string> FreeNameAsync(Npgsql.NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        var candidate = name;
        for (var n = 2; await TakenAsync(connection, candidate, cancellationToken) is not null; n++)
            candidate = name + "_" + n.ToString(CultureInfo.InvariantCulture);
        return candidate;
    }

    /// <summary>Why the name is taken (a backup of that name, a schema of that name); null when it is free.</summary>
    static async Task<string?> TakenAsync(Npgsql.NpgsqlConnection connection, string name, CancellationToken cancellationToken)
    {
        if (await Sql.ScalarAsync<bool>(connection, "SELECT EXISTS (SELECT 1 FROM ferry.backups WHERE name = $1)", cancellationToken, name))
            return $"a backup named {name} exists";
        if (await Sql.ScalarAsync<bool>(connection, "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_namespace WHERE nspname = $1)", cancellationToken, name))
            return $"the database has a schema named {name}";
        return null;
    }
}
