using Npgsql;

namespace Ferry.Migrations.Internal;

/// <summary>
/// What is at the history table's name, told by its columns: Ferry's history table (an older one may lack the columns
/// added since), or another runner's, which Ferry refuses to read or write and never alters.
/// </summary>
internal static class HistoryTableShape
{
    /// <summary>The columns every Ferry history table has had.</summary>
    static readonly string[] Required = ["installed_rank", "version", "name", "kind", "checksum", "applied_at", "execution_ms", "applied_by", "success", "error"];

    /// <summary>
    /// Other runners' history tables, by their columns: a table is taken for one when it has all of them and, for a
    /// signature of one or two columns, nothing else. A companion is a table the tool keeps beside it, in the same schema.
    /// </summary>
    static readonly Signature[] Others =
    [
        new("golang-migrate", ["version", "dirty"]),
        new("Rails (Active Record)", ["version"], "ar_internal_metadata"),
        new("dbmate (or Rails)", ["version"]),
        new("Flyway", ["installed_rank", "version", "description", "type", "script", "checksum", "installed_by", "installed_on", "execution_time", "success"]),
        new("goose", ["id", "version_id", "is_applied", "tstamp"]),
        new("Sqitch", ["change_id", "script_hash", "change", "project", "committed_at"]),
        new("Liquibase", ["id", "author", "filename", "dateexecuted", "orderexecuted", "md5sum"]),
        new("sqlx", ["version", "description", "installed_on", "success", "checksum", "execution_time"]),
        new("Prisma", ["id", "checksum", "finished_at", "migration_name", "started_at", "applied_steps_count"]),
        new("Django", ["id", "app", "name", "applied"]),
        new("Knex", ["id", "name", "batch", "migration_time"]),
        new("DbUp", ["schemaversionsid", "scriptname", "applied"]),
        new("node-pg-migrate", ["id", "name", "run_on"]),
        new("TypeORM", ["id", "timestamp", "name"]),
        new("Diesel", ["version", "run_on"]),
        new("Alembic", ["version_num"]),
        new("Sequelize", ["name"]),
    ];

    sealed record Signature(string Tool, string[] Columns, string? Companion = null);

    /// <summary>
    /// Refuses a table at the history table's name that is not Ferry's (exit 2), before anything reads or writes it:
    /// naming the runner it looks like, or the columns Ferry misses in it, and the way out (--history-table).
    /// <paramref name="columns"/> are the table's (name, type), in order.
    /// </summary>
    public static async Task EnsureFerrysAsync(NpgsqlConnection connection, HistoryTable history, IReadOnlyList<(string Name, string Type)> columns, CancellationToken cancellationToken)
    {
        var names = columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        var missing = Required.Where(c => !names.Contains(c)).ToList();
        if (missing.Count == 0)
            return;
        var companions = await CompanionsAsync(connection, history.Schema, cancellationToken);
        var tool = Others.FirstOrDefault(s =>
            s.Columns.All(names.Contains) && (s.Columns.Length > 2 || names.Count == s.Columns.Length) && (s.Companion is null || companions.Contains(s.Companion)))?.Tool;
        var shape = string.Join(", ", columns.Select(c => $"{c.Name} {c.Type}"));
        var what = tool is null
            ? $"{history.QualifiedName} is not a Ferry history table ({shape}): it lacks {string.Join(", ", missing)}."
            : $"{history.QualifiedName} looks like {tool}'s history table ({shape}), not Ferry's.";
        throw new FerryException(
            $"{what} Ferry neither reads nor changes it; nothing was run. Give Ferry a history table of its own with --history-table " +
            $"(e.g. --history-table {history.Schema}.ferry_migrations, or migrations.history_table in ferry.yml).");
    }

    static async Task<HashSet<string>> CompanionsAsync(NpgsqlConnection connection, string schema, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = ANY($2)",
            connection);
        command.Parameters.AddWithValue(schema);
        command.Parameters.AddWithValue(Others.Where(s => s.Companion is not null).Select(s => s.Companion!).ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var found = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
            found.Add(reader.GetString(0));
        return found;
    }
}
