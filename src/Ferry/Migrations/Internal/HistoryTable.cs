using Ferry.Schema;
using Npgsql;

namespace Ferry.Migrations.Internal;

/// <summary>One row of the history table.</summary>
internal sealed record HistoryRow(
    long Rank,
    MigrationKind Kind,
    string? Version,
    string Name,
    string? Checksum,
    DateTimeOffset AppliedAt,
    long? ExecutionMs,
    string AppliedBy,
    bool Success,
    string? Error)
{
    public MigrationVersion? ParsedVersion => Version is null ? null : MigrationVersion.TryParse(Version);

    /// <summary>Its down file failed part-way, outside a transaction (<see cref="HistoryTable.RecordRevertFailure"/>).</summary>
    public bool PartlyReverted => HistoryTable.IsRevertFailure(Success, Error);
}

/// <summary>
/// The history table (default <c>public.schema_migrations</c>): one row per applied versioned migration, per
/// repeatable migration (its latest application) and per baseline. <c>applied_at</c> is the server's clock.
/// </summary>
internal sealed class HistoryTable
{
    public HistoryTable(string qualifiedName)
    {
        var parts = qualifiedName.Split('.');
        (Schema, Name) = parts.Length switch
        {
            1 when parts[0].Length > 0 => ("public", parts[0]),
            2 when parts[0].Length > 0 && parts[1].Length > 0 => (parts[0], parts[1]),
            _ => throw new FerryException($"--history-table '{qualifiedName}': give 'schema.table' or 'table'."),
        };
        QualifiedName = $"{Schema}.{Name}";
        Sql = Identifiers.Qualify(Schema, Name);
    }

    public string Schema { get; }

    public string Name { get; }

    /// <summary><c>schema.table</c> as the user wrote it (for messages and the lock key).</summary>
    public string QualifiedName { get; }

    /// <summary>The quoted name, for SQL.</summary>
    public string Sql { get; }

    const string Columns = "version, name, kind, checksum, execution_ms, applied_by, success, error";

    /// <summary>The table's columns (name, type) in order; null when there is no table.</summary>
    async Task<List<(string Name, string Type)>?> ColumnsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM (SELECT to_regclass($1) AS oid) t
            LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum > 0 AND NOT a.attisdropped
            WHERE t.oid IS NOT NULL ORDER BY a.attnum
            """,
            connection);
        command.Parameters.AddWithValue(Sql);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        List<(string, string)>? columns = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            columns ??= [];
            if (!reader.IsDBNull(0))
                columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }

    /// <summary>Whether the table exists, once it is known to be Ferry's (<see cref="HistoryTableShape"/>).</summary>
    async Task<bool> InspectAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (await ColumnsAsync(connection, cancellationToken) is not { } columns)
            return false;
        await HistoryTableShape.EnsureFerrysAsync(connection, this, columns, cancellationToken);
        return true;
    }

    /// <summary>Creates the schema (when missing) and the table (refusing one that is not Ferry's); returns whether the table was created.</summary>
    public async Task<bool> EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (await InspectAsync(connection, cancellationToken))
            return false;
        // CREATE SCHEMA IF NOT EXISTS still needs CREATE on the database, so only ask when the schema is missing.
        await using (var check = new NpgsqlCommand("SELECT to_regnamespace($1) IS NOT NULL", connection))
        {
            check.Parameters.AddWithValue(Identifiers.Quote(Schema));
            if (!(bool)(await check.ExecuteScalarAsync(cancellationToken))!)
                await ExecuteAsync(connection, $"CREATE SCHEMA IF NOT EXISTS {Identifiers.Quote(Schema)}", cancellationToken);
        }

        await ExecuteAsync(connection, $"""
            CREATE TABLE IF NOT EXISTS {Sql} (
                installed_rank bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                version text,
                name text NOT NULL,
                kind text NOT NULL CHECK (kind IN ('versioned', 'repeatable', 'baseline')),
                checksum text,
                applied_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                execution_ms bigint,
                applied_by text NOT NULL DEFAULT current_user,
                success boolean NOT NULL,
                error text
            );
            CREATE UNIQUE INDEX IF NOT EXISTS {Identifiers.Quote(Identifiers.Truncate(Name + "_version_key"))} ON {Sql} (version) WHERE version IS NOT NULL;
            COMMENT ON TABLE {Sql} IS 'Schema migrations applied by Ferry (ferry migrate)';
            """, cancellationToken);
        return true;
    }

    /// <summary><see cref="EnsureAsync"/>, then the rows: one inspection serves both (a new table has none).</summary>
    public async Task<List<HistoryRow>> EnsureAndReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await EnsureAsync(connection, cancellationToken) ? [] : await ReadRowsAsync(connection, cancellationToken);

    /// <summary>The rows, none when the table does not exist (refusing a table that is not Ferry's).</summary>
    public async Task<List<HistoryRow>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await InspectAsync(connection, cancellationToken) ? await ReadRowsAsync(connection, cancellationToken) : [];

    async Task<List<HistoryRow>> ReadRowsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT installed_rank, kind, version, name, checksum, applied_at, execution_ms, applied_by, success, error FROM {Sql} ORDER BY installed_rank",
            connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rows = new List<HistoryRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new HistoryRow(
                reader.GetInt64(0),
                Enum.Parse<MigrationKind>(reader.GetString(1), ignoreCase: true),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetInt64(6),
                reader.GetString(7),
                reader.GetBoolean(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return rows;
    }

    /// <summary>The name under which the history insert returns its <c>execution_ms</c>.</summary>
    public const string ExecutionMsColumn = "ferry_execution_ms";

    /// <summary>
    /// The ranks of each migration's rows in <paramref name="rows"/> (the history as read under the lock), indexed once:
    /// a versioned migration's by version as a number (a failed <c>001</c> is the row of <c>1_x.up.sql</c>), a
    /// repeatable one's by name.
    /// </summary>
    public static Func<MigrationFiles, long[]> RankIndex(IEnumerable<HistoryRow> rows)
    {
        var list = rows.ToList();
        var versioned = list.Where(r => r.Kind == MigrationKind.Versioned && r.ParsedVersion is not null).ToLookup(r => r.ParsedVersion!, r => r.Rank);
        var repeatable = list.Where(r => r.Kind == MigrationKind.Repeatable).ToLookup(r => r.Name, r => r.Rank, StringComparer.Ordinal);
        return migration => (migration.Version is null ? repeatable[migration.Name] : versioned[migration.Version]).ToArray();
    }

    /// <summary>
    /// Records an application, replacing the earlier rows of the same migration (<paramref name="replacing"/>, from
    /// <see cref="RankIndex"/>): a failure or a repeatable's last run. With <paramref name="executionMs"/> null the
    /// server measures it: from its transaction's start to now.
    /// </summary>
    public NpgsqlBatchCommand[] Record(MigrationFiles migration, string checksum, long? executionMs, bool success, string? error, long[] replacing)
    {
        const string ServerMeasured = "(extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint";
        var insert = new NpgsqlBatchCommand(
            $"INSERT INTO {Sql} ({Columns}) VALUES ($1, $2, $3, $4, coalesce($5, {ServerMeasured}), current_user, $6, $7) RETURNING execution_ms AS {ExecutionMsColumn}")
        {
            Parameters =
            {
                new() { Value = (object?)migration.Version?.Text ?? DBNull.Value },
                new() { Value = migration.Name },
                new() { Value = migration.Kind == MigrationKind.Versioned ? "versioned" : "repeatable" },
                new() { Value = checksum },
                new() { Value = (object?)executionMs ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Bigint },
                new() { Value = success },
                new() { Value = (object?)error ?? DBNull.Value },
            },
        };
        if (replacing.Length == 0)
            return [insert];
        return [new($"DELETE FROM {Sql} WHERE installed_rank = ANY($1)") { Parameters = { new() { Value = replacing } } }, insert];
    }

    /// <summary>How the <c>error</c> of a migration whose down file failed part-way begins.</summary>
    const string RevertFailurePrefix = "partly reverted: ";

    public static bool IsRevertFailure(bool success, string? error) =>
        !success && error is not null && error.StartsWith(RevertFailurePrefix, StringComparison.Ordinal);

    /// <summary>
    /// Marks an applied migration as failed, partly reverted: its down file, run outside a transaction, stopped after
    /// some of its statements. The row stays (with its checksum and applied_at) until a down run finishes the revert
    /// or <c>repair</c> forgets it.
    /// </summary>
    public NpgsqlBatchCommand RecordRevertFailure(long rank, string downFile, string error) =>
        new($"UPDATE {Sql} SET success = false, error = $2 WHERE installed_rank = $1")
        {
            Parameters = { new() { Value = rank }, new() { Value = $"{RevertFailurePrefix}{downFile} {error}" } },
        };

    public NpgsqlBatchCommand Forget(long rank) =>
        new($"DELETE FROM {Sql} WHERE installed_rank = $1") { Parameters = { new() { Value = rank } } };

    public NpgsqlBatchCommand Realign(long rank, string checksum) =>
        new($"UPDATE {Sql} SET checksum = $2 WHERE installed_rank = $1") { Parameters = { new() { Value = rank }, new() { Value = checksum } } };

    public NpgsqlBatchCommand Baseline(string version) =>
        new($"INSERT INTO {Sql} ({Columns}) VALUES ($1, '<< baseline >>', 'baseline', NULL, 0, current_user, true, NULL)") { Parameters = { new() { Value = version } } };

    static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
