using System.Globalization;
using System.Text;
using Ferry.Check.Internal;
using Ferry.Connections;
using Ferry.Reports.Metrics;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Sources.DuckDb;
using Ferry.Sources.Postgres;
using Ferry.Sync.Internal;
using Npgsql;

namespace Ferry.Sync;

/// <summary>
/// <c>ferry sync status</c>: every synced table of the target (those of one source, when it is given) with its last run, last
/// success, watermark, lag and last error; with the source, the rows above each watermark, counted there. Not ok when a
/// table's last run failed or its lag is more than the maximum allowed.
/// </summary>
public sealed class SyncStatusReport
{
    SyncStatusReport(IReadOnlyList<TableSyncStatus> tables, TimeSpan? maxLag, DateTimeOffset now)
    {
        Tables = tables;
        MaxLag = maxLag;
        Now = now;
    }

    public IReadOnlyList<TableSyncStatus> Tables { get; }

    /// <summary>The lag over which a table is not ok (<c>--max-lag</c>); null when any lag is.</summary>
    public TimeSpan? MaxLag { get; }

    /// <summary>The time lags are measured to.</summary>
    public DateTimeOffset Now { get; }

    /// <summary>No table's last run failed and none is behind by more than <see cref="MaxLag"/>.</summary>
    public bool Ok => Tables.All(t => !t.Failed && !t.OverMaxLag);

    /// <summary>
    /// Reads the status from <paramref name="target"/>'s <c>ferry.sync_state</c> (none synced yet: no tables). Given
    /// <paramref name="source"/> (as <c>ferry sync</c> takes it), only its tables, each with the source's rows above its watermark.
    /// </summary>
    public static async Task<SyncStatusReport> ReadAsync(PostgresTarget target, string? source, string? tableName, string? workingDirectory, TimeSpan? maxLag, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        string? stateKey = null;
        if (source is not null)
        {
            await using var opened = SourceFactory.Open(source, new SourceOptions(), tableName, workingDirectory);
            stateKey = SourceFactory.StateKey(opened);
        }

        var states = new List<TableSyncStatus>();
        await using (var connection = await target.OpenAsync(cancellationToken))
        {
            await using var exists = new NpgsqlCommand("SELECT to_regclass('ferry.sync_state') IS NOT NULL", connection);
            if ((bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
                states = await ReadStatesAsync(connection, stateKey, now, cancellationToken);
        }

        if (source is not null && states.Count > 0)
        {
            var engine = SourceFactory.Parse(source).Engine;
            await using var database = await CheckSources.Of(source, workingDirectory, tableName).OpenAsync(cancellationToken);
            for (var i = 0; i < states.Count; i++)
            {
                var state = states[i];
                if (state.WatermarkColumn is null || state.Watermark is null)
                    continue;
                var rows = await database.RowsAsync($"SELECT count(*) FROM {Relation(engine, state.SourceTable)} WHERE {Identifiers.QuoteAlways(state.WatermarkColumn)} > {Literal(state.Watermark)}", cancellationToken);
                var behind = Convert.ToInt64(rows[0][0], CultureInfo.InvariantCulture);
                states[i] = state with { RowsBehind = behind, LagSeconds = behind == 0 ? state.SinceSuccessSeconds : state.LagSeconds };
            }
        }

        if (maxLag is { } max)
            states = [.. states.Select(s => s with { OverMaxLag = s.LagSeconds is not { } lag || lag > max.TotalSeconds })];
        return new SyncStatusReport(states, maxLag, now);
    }

    static async Task<List<TableSyncStatus>> ReadStatesAsync(NpgsqlConnection connection, string? source, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("""
            SELECT source, table_name, source_table, mode, watermark_column, watermark, last_run, last_success, newest_change, last_error, deletes_pending
            FROM ferry.sync_state WHERE $1::text IS NULL OR source = $1 ORDER BY table_name, source
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)source ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var states = new List<TableSyncStatus>();
        while (await reader.ReadAsync(cancellationToken))
        {
            DateTimeOffset? Time(int i) => reader.IsDBNull(i) ? null : reader.GetFieldValue<DateTimeOffset>(i);
            string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            var lastSuccess = Time(7);
            var newestChange = Time(8);
            double? since = lastSuccess is { } success ? Math.Max(0, (now - success).TotalSeconds) : null;
            states.Add(new TableSyncStatus
            {
                Source = reader.GetString(0),
                Table = reader.GetString(1),
                SourceTable = reader.GetString(2),
                Mode = reader.GetString(3),
                WatermarkColumn = Text(4),
                Watermark = Text(5),
                LastRun = reader.GetFieldValue<DateTimeOffset>(6),
                LastSuccess = lastSuccess,
                NewestChange = newestChange,
                LastError = Text(9),
                DeletesPending = reader.IsDBNull(10) ? null : reader.GetInt64(10),
                SinceSuccessSeconds = since,
                LagSeconds = lastSuccess is null ? null : newestChange is { } change ? Math.Max(0, (now - change).TotalSeconds) : since,
            });
        }

        return states;
    }

    /// <summary>The source's table in its own SQL: a schema-qualified name (PostgreSQL, DuckDB) is quoted part by part.</summary>
    static string Relation(SourceEngine engine, string table)
    {
        var dot = table.IndexOf('.', StringComparison.Ordinal);
        return (engine == PostgresEngine.Postgres || engine == DuckDbEngines.DuckDb) && dot > 0
            ? Identifiers.QuoteAlways(table[..dot]) + "." + Identifiers.QuoteAlways(table[(dot + 1)..])
            : Identifiers.QuoteAlways(table);
    }

    /// <summary>A whole-number watermark as a number (so it compares as one), any other as a string literal the column's type reads.</summary>
    static string Literal(string watermark) =>
        long.TryParse(watermark, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number.ToString(CultureInfo.InvariantCulture)
            : Identifiers.Literal(watermark);

    /// <summary>The status in Prometheus' text format (docs/sync.md lists the metrics).</summary>
    public string RenderMetrics() => SyncStatusMetrics.Render(this);

    /// <summary>Writes <see cref="RenderMetrics"/> to <paramref name="path"/> atomically, as every metrics file is written.</summary>
    public void WriteMetrics(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(RenderMetrics());
        Ferry.Internal.AtomicFile.Write(path, "metrics file", "ferry-sync.prom", FailureKind.Failed, stream => stream.Write(bytes));
    }
}
