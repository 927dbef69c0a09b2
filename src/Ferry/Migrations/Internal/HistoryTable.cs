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
    string? Error,
    int? StatementsDone = null)
{
    public MigrationVersion? ParsedVersion => Version is null ? null : MigrationVersion.TryParse(Version);

    /// <summary>Its down file failed part-way, outside a transaction (<see cref="HistoryTable.RecordRevertFailure"/>).</summary>
    public bool PartlyReverted => HistoryTable.IsRevertFailure(Success, Error);

    /// <summary>Run outside a transaction, it stopped part-way without recording an error (<see cref="HistoryTable.Unfinished"/>).</summary>
    public bool Unfinished => HistoryTable.IsUnfinished(Success, Error);
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

    /// <summary>
    /// How many statements of a migration run outside a transaction have completed, while it runs and when it failed
    /// (null otherwise). Added after the first release: an older table gets it from the first runner that writes.
    /// </summary>
    public const string StatementsDoneColumn = "statements_done";

    /// <summary>Whether the table has <see cref="StatementsDoneColumn"/> (as last seen); progress is recorded only then.</summary>
    public bool RecordsProgress { get; private set; } = true;

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

    /// <summary>The table's columns once it is known to be Ferry's (<see cref="HistoryTableShape"/>); null when there is no table.</summary>
    async Task<HashSet<string>?> InspectAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (await ColumnsAsync(connection, cancellationToken) is not { } columns)
            return null;
        await HistoryTableShape.EnsureFerrysAsync(connection, this, columns, cancellationToken);
        var names = columns.Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
        RecordsProgress = names.Contains(StatementsDoneColumn);
        return names;
    }

    /// <summary>
    /// Creates the schema (when missing) and the table, or upgrades Ferry's table of an older version (refusing one
    /// that is not Ferry's); returns whether the table was created.
    /// </summary>
    public async Task<bool> EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        if (await InspectAsync(connection, cancellationToken) is not null)
        {
            if (!RecordsProgress)
                await UpgradeAsync(connection, cancellationToken);
            return false;
        }

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
                error text,
                {StatementsDoneColumn} integer
            );
            CREATE UNIQUE INDEX IF NOT EXISTS {Identifiers.Quote(Identifiers.Truncate(Name + "_version_key"))} ON {Sql} (version) WHERE version IS NOT NULL;
            COMMENT ON TABLE {Sql} IS 'Schema migrations applied by Ferry (ferry migrate)';
            """, cancellationToken);
        RecordsProgress = true;
        return true;
    }

    /// <summary>
    /// Adds the columns of later versions to an older Ferry history table: nullable, so that an older Ferry still reads
    /// and writes it. Without the right to (only the owner may alter a table) the run goes on without recording progress.
    /// </summary>
    async Task UpgradeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var upgrade = $"ALTER TABLE {Sql} ADD COLUMN IF NOT EXISTS {StatementsDoneColumn} integer";
        try
        {
            await ExecuteAsync(connection, upgrade, cancellationToken);
            RecordsProgress = true;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege)
        {
            UpgradeRefused = $"{QualifiedName} lacks the column {StatementsDoneColumn}, and this user may not add it ({e.MessageText}): the statements done by a migration run outside a transaction are not recorded, so one interrupted part-way cannot be continued. Its owner can add it: {upgrade};";
        }
    }

    /// <summary>Why an older history table could not be upgraded, for the runner to say; null when it was (or needed no upgrade).</summary>
    public string? UpgradeRefused { get; private set; }

    /// <summary><see cref="EnsureAsync"/>, then the rows: one inspection serves both (a new table has none).</summary>
    public async Task<List<HistoryRow>> EnsureAndReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await EnsureAsync(connection, cancellationToken) ? [] : await ReadRowsAsync(connection, cancellationToken);

    /// <summary>The rows, none when the table does not exist (refusing a table that is not Ferry's).</summary>
    public async Task<List<HistoryRow>> ReadAsync(NpgsqlConnection connection, CancellationToken cancellationToken) =>
        await InspectAsync(connection, cancellationToken) is null ? [] : await ReadRowsAsync(connection, cancellationToken);

    async Task<List<HistoryRow>> ReadRowsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"SELECT installed_rank, kind, version, name, checksum, applied_at, execution_ms, applied_by, success, error, {(RecordsProgress ? StatementsDoneColumn : "NULL::integer")} FROM {Sql} ORDER BY installed_rank",
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
                reader.IsDBNull(9) ? null : reader.GetString(9),
                reader.IsDBNull(10) ? null : reader.GetInt32(10)));
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
    /// server measures it: from its transaction's start to now. <paramref name="statementsDone"/>: of a failed
    /// migration run outside a transaction, the statements that completed before the failed one.
    /// </summary>
    public NpgsqlBatchCommand[] Record(MigrationFiles migration, string checksum, long? executionMs, bool success, string? error, long[] replacing, int? statementsDone = null) =>
        Insert(migration, checksum, executionMs, success, error, replacing, statementsDone, $"execution_ms AS {ExecutionMsColumn}");

    /// <summary>
    /// The row of a migration about to run outside a transaction, before its first statement: failed, <see cref="Unfinished"/>,
    /// with the statements an earlier run completed (<paramref name="done"/>), replacing its earlier rows. Returns its
    /// installed_rank, for <see cref="Progress"/> and for the row that replaces it when it ends.
    /// </summary>
    public NpgsqlBatchCommand[] Start(MigrationFiles migration, string checksum, int done, int total, long[] replacing) =>
        Insert(migration, checksum, null, false, Unfinished(done, total), replacing, done, "installed_rank");

    NpgsqlBatchCommand[] Insert(MigrationFiles migration, string checksum, long? executionMs, bool success, string? error, long[] replacing, int? statementsDone, string returning)
    {
        const string ServerMeasured = "(extract(epoch FROM clock_timestamp() - now()) * 1000)::bigint";
        var progress = RecordsProgress && statementsDone is not null;
        var insert = new NpgsqlBatchCommand(
            $"INSERT INTO {Sql} ({Columns}{(progress ? ", " + StatementsDoneColumn : "")}) VALUES ($1, $2, $3, $4, coalesce($5, {ServerMeasured}), current_user, $6, $7{(progress ? ", $8" : "")}) RETURNING {returning}")
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
        if (progress)
            insert.Parameters.Add(new() { Value = statementsDone!.Value });
        if (replacing.Length == 0)
            return [insert];
        return [new($"DELETE FROM {Sql} WHERE installed_rank = ANY($1)") { Parameters = { new() { Value = replacing } } }, insert];
    }

    /// <summary>Records that the first <paramref name="done"/> of <paramref name="total"/> statements of the <see cref="Start"/>ed row <paramref name="rank"/> completed.</summary>
    public NpgsqlBatchCommand Progress(long rank, int done, int total) =>
        new($"UPDATE {Sql} SET {StatementsDoneColumn} = $2, error = $3 WHERE installed_rank = $1")
        {
            Parameters = { new() { Value = rank }, new() { Value = done }, new() { Value = Unfinished(done, total) } },
        };

    /// <summary>How the <c>error</c> of a migration that stopped part-way outside a transaction, with no error recorded, begins.</summary>
    const string UnfinishedPrefix = "unfinished: ";

    /// <summary>The <c>error</c> of a <see cref="Start"/>ed row: what completed, for a reader of the table.</summary>
    static string Unfinished(int done, int total) => UnfinishedPrefix + done switch
    {
        0 => $"none of its {total} statements had completed",
        1 => $"statement 1 of {total} completed",
        _ => $"statements 1-{done} of {total} completed",
    } + " (it runs outside a transaction, statement by statement; a runner that stopped part-way left this row)";

    public static bool IsUnfinished(bool success, string? error) =>
        !success && error is not null && error.StartsWith(UnfinishedPrefix, StringComparison.Ordinal);

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
