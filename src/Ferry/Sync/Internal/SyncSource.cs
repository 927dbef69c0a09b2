using System.Globalization;
using Ferry.Check.Internal;
using Ferry.Schema;
using Ferry.Sources;
using Ferry.Sources.Postgres;
using Ferry.Sources.Sqlite;
using Npgsql;

namespace Ferry.Sync.Internal;

/// <summary>
/// What a sync asks of its source besides rows: a watermark column's newest value, a table's row count, and the condition
/// that reads the rows above a watermark, each in the source engine's own SQL. A PostgreSQL source answers in the snapshot
/// its readers share; another source through the connection <c>ferry check</c> runs its queries on.
/// </summary>
internal sealed class SyncSource(ISource source, SourceEngine engine, string? tableName) : IAsyncDisposable
{
    /// <summary>Past this many transactions since the recorded one, its 32-bit id no longer orders safely: every row is read.</summary>
    const long XidHorizon = 1_000_000_000;

    ICheckDatabase? _database;

    PostgresSource? Postgres => source as PostgresSource;

    /// <summary>The oldest transaction still open in a PostgreSQL source's snapshot (64-bit); null for other sources.</summary>
    public long? SnapshotXmin =>
        Postgres is { } postgres ? long.Parse(postgres.Position.Transactions.AsSpan(0, postgres.Position.Transactions.IndexOf(':', StringComparison.Ordinal)), CultureInfo.InvariantCulture) : null;

    /// <summary>Parquet or CSV files: rows are only ever added to them, so a table without a key is appended to above its watermark.</summary>
    public bool AppendOnly => engine == Sources.DuckDb.DuckDbEngines.Parquet || engine == Sources.DuckDb.DuckDbEngines.Csv;

    /// <summary>Whether the watermark is read in the rows' own snapshot (else before them, the overlap covering what commits between).</summary>
    public bool InSnapshot => Postgres is not null;

    /// <summary>The newest value of <paramref name="watermark"/>'s column in <paramref name="table"/> (as its text, or a whole number's digits); null when the table is empty.</summary>
    public async Task<string?> MaxAsync(PlannedTable table, Watermark watermark, string? userFilter, CancellationToken cancellationToken)
    {
        var column = Identifiers.QuoteAlways(watermark.Column.SourceName);
        var value = Postgres is not null ? $"max({column})::text" : engine == SqliteEngine.Sqlite ? $"max({column})" : $"CAST(max({column}) AS VARCHAR)";
        var result = await ScalarAsync(table, value, userFilter, cancellationToken);
        if (result is long number)
            return watermark.Kind == WatermarkKind.Integer ? number.ToString(CultureInfo.InvariantCulture)
                : throw new FerryException($"--watermark {watermark.Column.SourceName}: {table.Source.QualifiedSourceName} stores numbers in this {watermark.Column.Type.ToSql()} column; a watermark over it needs ISO 8601 text (or --cast it to bigint).", FailureKind.Configuration);
        return result as string;
    }

    /// <summary>The rows of <paramref name="table"/> the copy reads (those <paramref name="userFilter"/> keeps).</summary>
    public async Task<long> CountAsync(PlannedTable table, string? userFilter, CancellationToken cancellationToken) =>
        Convert.ToInt64(await ScalarAsync(table, "count(*)", userFilter, cancellationToken), CultureInfo.InvariantCulture);

    async Task<object?> ScalarAsync(PlannedTable table, string aggregate, string? userFilter, CancellationToken cancellationToken)
    {
        var where = userFilter is null ? "" : $" WHERE ({userFilter})";
        if (Postgres is { } postgres)
        {
            await using var connection = await postgres.OpenInSnapshotAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"SELECT {aggregate} FROM {SourceCopy.Relation(table.Source)}{where}", connection) { CommandTimeout = 0 };
            var value = await command.ExecuteScalarAsync(cancellationToken);
            return value is DBNull ? null : value;
        }

        _database ??= await CheckSources.Of(SourceFactory.StateKey(source), null, tableName).OpenAsync(cancellationToken);
        var relation = table.Source.SourceSchema is { } schema ? Identifiers.QuoteAlways(schema) + "." + Identifiers.QuoteAlways(table.Source.SourceName) : Identifiers.QuoteAlways(table.Source.SourceName);
        var rows = await _database.RowsAsync($"SELECT {aggregate} FROM {relation}{where}", cancellationToken);
        return rows is [var row, ..] ? row[0] : null;
    }

    /// <summary>
    /// The condition that reads the rows of <paramref name="table"/> changed since <paramref name="last"/>: the column above it
    /// (less <paramref name="overlap"/> for dates and timestamps); on a PostgreSQL table, also every row written by a transaction
    /// at least as new as <paramref name="lastXmin"/>, the oldest one still open when the last run read its rows (one that
    /// commits later may carry an older value, which no overlap bounds).
    /// </summary>
    public string Condition(PlannedTable table, Watermark watermark, string last, long? lastXmin, TimeSpan overlap)
    {
        var column = Identifiers.QuoteAlways(watermark.Column.SourceName);
        string above;
        if (watermark.Kind == WatermarkKind.Integer)
        {
            above = $"{column} > {long.Parse(last, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture)}";
        }
        else if (engine == SqliteEngine.Sqlite)
        {
            var bound = Watermark.SqliteTextMinus(last, overlap)
                ?? throw new FerryException($"--watermark {watermark.Column.SourceName}: {table.Source.QualifiedSourceName}'s newest value '{last}' is not ISO 8601 text (YYYY-MM-DD HH:MM:SS); a SQLite watermark compares its stored text.", FailureKind.Configuration);
            above = $"{column} > {Identifiers.Literal(bound)}";
        }
        else
        {
            var value = $"CAST({Identifiers.Literal(last)} AS {watermark.Column.SourceType})";
            above = overlap <= TimeSpan.Zero ? $"{column} > {value}"
                : $"{column} > ({value} - INTERVAL '{((long)overlap.TotalSeconds).ToString(CultureInfo.InvariantCulture)} seconds')";
        }

        if (Postgres is null || lastXmin is not { } xmin || table.Source.SourceQuery is not null)
            return above;
        // age() orders 32-bit ids only within 2^31 of now: farther back (checked in 64 bits), every row is read. A frozen row's
        // age is the largest there is, so it never counts as new; a row written at or after the recorded xmin always does.
        var xid32 = Math.Max(3, xmin % (1L << 32)).ToString(CultureInfo.InvariantCulture);
        var horizon = (xmin + XidHorizon).ToString(CultureInfo.InvariantCulture);
        return $"{above} OR CASE WHEN (SELECT txid_snapshot_xmin(txid_current_snapshot())) < {horizon} THEN age(xmin) <= age('{xid32}'::xid) ELSE true END";
    }

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
            await _database.DisposeAsync();
    }
}
