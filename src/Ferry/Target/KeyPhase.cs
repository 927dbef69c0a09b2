using Ferry.Connections;
using Ferry.Copy;
using Ferry.Schema;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Ferry.Target;

/// <summary>
/// Primary keys, unique constraints and indexes, several at once, each on its own connection. One that exists when
/// the phase gets to it (built by the run being resumed, or by its session that ran on after its client was killed)
/// is kept when it is the one planned: on the planned table, under the planned name, with the definition the server
/// gives the planned statement (seen on an empty copy of the table). One of that name that differs is reported, never
/// dropped or built over.
/// </summary>
internal sealed class KeyPhase
{
    /// <summary>Errors of a statement that met an object of its name: relation exists, constraint exists, a second primary key.</summary>
    static readonly string[] AlreadyThere = [PostgresErrorCodes.DuplicateTable, PostgresErrorCodes.DuplicateObject, PostgresErrorCodes.InvalidTableDefinition];

    readonly NpgsqlDataSource _dataSource;
    readonly Retrier _retrier;
    readonly CopyResult _result;
    readonly ILogger _logger;
    readonly Lock _lock = new();

    KeyPhase(NpgsqlDataSource dataSource, Retrier retrier, CopyResult result, ILogger logger)
    {
        _dataSource = dataSource;
        _retrier = retrier;
        _result = result;
        _logger = logger;
    }

    sealed record Work(PlannedTable Table, string Name, string Sql, PlannedPartition? Partition)
    {
        /// <summary>The schema of the relation it is built on, which its name is unique in.</summary>
        public string Schema => Partition?.TargetSchema ?? Table.TargetSchema;

        /// <summary>The relation it is built on, as <c>schema.name</c>: the table, or one of its partitions.</summary>
        public string Relation => Partition?.DisplayName ?? Table.DisplayName;

        public bool IsKey => Sql.StartsWith("ALTER TABLE", StringComparison.Ordinal);

        public string What => $"{(IsKey ? "constraint" : "index")} {Name}";
    }

    /// <summary>An index (or the index of a key) in the target: its table, whether it is valid, and how the server defines it.</summary>
    sealed record Existing(string TableSchema, string TableName, bool Valid, string Definition);

    /// <summary>Builds the steps of <paramref name="keys"/>; on --resume (<paramref name="resume"/>) keeps those that exist as planned.</summary>
    public static Task RunAsync(NpgsqlDataSource dataSource, Retrier retrier, StepGroup keys, bool resume, CopyResult result, ParallelOptions jobs, ILogger logger) =>
        new KeyPhase(dataSource, retrier, result, logger).RunAsync(keys, resume, jobs);

    async Task RunAsync(StepGroup keys, bool resume, ParallelOptions jobs)
    {
        var work = keys.Steps
            .Select(s => new Work(s.Table!, s.Name!, s.Sql, s.Partition))
            .OrderByDescending(o => o.Table.Source.EstimatedRows ?? 0)
            .ToList();
        if (resume && work.Count > 0)
        {
            await using var connection = await _dataSource.OpenConnectionAsync(jobs.CancellationToken);
            var found = await RecogniseAsync(connection, work, jobs.CancellationToken);
            work = work.Where(w => !found.ContainsKey(w)).ToList();
        }

        // A build whose connection is lost is run again; one that committed before the loss then meets itself, kept below.
        await Parallel.ForEachAsync(work, jobs, (item, ct) => new ValueTask(_retrier.RunAsync($"building {item.What} on {item.Relation}", async (_, ct2) =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(ct2);
            try
            {
                await TargetSql.ExecuteAsync(connection, item.Sql, ct2);
            }
            catch (PostgresException e) when (ConnectionLoss.Describe(e) is null)
            {
                // Met an object of its name: kept when it is the one planned; else RecogniseAsync said what is in the way.
                var seen = AlreadyThere.Contains(e.SqlState) ? (await RecogniseAsync(connection, [item], ct2)).GetValueOrDefault(item) : (bool?)null;
                if (seen == true)
                    _logger.LogInformation("{Table}: {What} exists as planned already; kept", item.Relation, item.What);
                else if (seen is null)
                    Record(item, $"{e.MessageText}{(e.Detail is { Length: > 0 } d ? " (" + d + ")" : "")}");
            }
        }, ct)));
    }

    static string Prefix(Work item) => $"{item.Relation}: {item.What} was not created: ";

    void Record(Work item, string reason)
    {
        lock (_lock)
            (item.IsKey ? _result.Failures : _result.Warnings).Add(Prefix(item) + reason);
    }

    /// <summary>
    /// The items whose name is taken in their schema: true for one that exists as planned; false for one whose name
    /// is taken otherwise (by another table's index, another definition, an invalid index), reported as not created,
    /// saying what is in its way.
    /// </summary>
    async Task<Dictionary<Work, bool>> RecogniseAsync(NpgsqlConnection connection, List<Work> items, CancellationToken cancellationToken)
    {
        var existing = await ExistingAsync(connection, items.Select(i => i.Schema).Distinct().ToArray(), cancellationToken);
        var present = items.Where(i => existing.ContainsKey((i.Schema, i.Name))).ToList();
        var planned = await PlannedAsync(connection, present.Select(i => i.Table).Distinct().ToList(), cancellationToken);
        var seen = new Dictionary<Work, bool>();
        foreach (var item in present)
        {
            var index = existing[(item.Schema, item.Name)];
            // A partition's own objects are not built on the probe: they are recognised by their relation and name.
            var definition = item.Partition is null ? planned?.GetValueOrDefault((item.Table, item.Name)) : null;
            var table = $"{index.TableSchema}.{index.TableName}";
            seen[item] = table == item.Relation && index.Valid && (planned is null || item.Partition is not null || definition == index.Definition);
            if (seen[item])
                continue;
            Record(item, table != item.Relation
                ? $"an index of that name exists on {table}. Drop or rename it, then run with --resume again."
                : !index.Valid
                    ? $"an invalid index of that name exists on the table ({index.Definition}). Drop it, then run with --resume again."
                    : $"one of that name exists with another definition ({index.Definition}; planned: {definition}). Drop it, then run with --resume again, or use --replace.");
        }

        return seen;
    }

    /// <summary>The indexes (of keys too) in the schemas, by (schema, name).</summary>
    static async Task<Dictionary<(string, string), Existing>> ExistingAsync(NpgsqlConnection connection, string[] schemas, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT n.nspname, c.relname, tn.nspname, t.relname, i.indisvalid, {Definition}
            FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
            LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u')
            WHERE n.nspname = ANY($1)
            """,
            connection);
        command.Parameters.AddWithValue(schemas);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var existing = new Dictionary<(string, string), Existing>();
        while (await reader.ReadAsync(cancellationToken))
            existing[(reader.GetString(0), reader.GetString(1))] = new Existing(reader.GetString(2), reader.GetString(3), reader.GetBoolean(4), reader.GetString(5));
        return existing;
    }

    /// <summary>How the server writes a key (its constraint) or an index, without its name and table: comparable across tables.</summary>
    const string Definition = """
        CASE WHEN con.oid IS NOT NULL THEN pg_get_constraintdef(con.oid)
             ELSE CASE WHEN i.indisunique THEN 'UNIQUE INDEX' ELSE 'INDEX' END || substr(pg_get_indexdef(i.indexrelid), strpos(pg_get_indexdef(i.indexrelid), ' USING '))
        END
        """;

    /// <summary>
    /// The definitions the server gives the planned keys and indexes of <paramref name="tables"/>: each built on an
    /// empty temporary copy of its table, in a transaction rolled back. Null when that cannot be done (no right to
    /// create temporary tables, say): then an object is recognised by its table and name alone.
    /// </summary>
    async Task<Dictionary<(PlannedTable, string), string>?> PlannedAsync(NpgsqlConnection connection, List<PlannedTable> tables, CancellationToken cancellationToken)
    {
        var definitions = new Dictionary<(PlannedTable, string), string>();
        if (tables.Count == 0)
            return definitions;
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            for (var t = 0; t < tables.Count; t++)
            {
                var probe = $"ferry_key_probe_{t}";
                await TargetSql.ExecuteAsync(connection, $"CREATE TEMP TABLE {probe} (LIKE {tables[t].QualifiedName})", cancellationToken);
                foreach (var (_, sql) in DdlWriter.KeyAndIndexObjects(tables[t], "pg_temp." + probe))
                    await TargetSql.ExecuteAsync(connection, sql, cancellationToken);
                await using var command = new NpgsqlCommand(
                    $"""
                    SELECT c.relname, {Definition}
                    FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
                    LEFT JOIN pg_constraint con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid AND con.contype IN ('p', 'u')
                    WHERE i.indrelid = 'pg_temp.{probe}'::regclass
                    """,
                    connection);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                    definitions[(tables[t], reader.GetString(0))] = reader.GetString(1);
            }
        }
        catch (PostgresException e)
        {
            _logger.LogInformation("Keys and indexes that exist are recognised by name only: their planned definitions could not be seen on a temporary table ({Reason})", e.MessageText);
            return null;
        }
        finally
        {
            if (connection.State == System.Data.ConnectionState.Open)
                await transaction.RollbackAsync(CancellationToken.None);
        }

        return definitions;
    }
}
