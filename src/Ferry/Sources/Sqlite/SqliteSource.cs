using Ferry.Schema;
using Microsoft.Data.Sqlite;

namespace Ferry.Sources.Sqlite;

/// <summary>
/// A SQLite file as a copy source (<c>sqlite:PATH</c>). Discovery maps each column's declared type with
/// <see cref="SqliteTypeRules"/> and lets the stored values correct it; readers stream rowid ranges on their
/// own read-only connections through SQLite's C API, converting values to the target types directly.
/// </summary>
internal sealed class SqliteSource : ISource, IProfileDeferringSource, ITypeCheckedSource, IRowCountingSource
{
    readonly string _path;
    readonly SourceOptions _options;
    readonly SqliteProfileDeferral? _deferral;

    public SqliteSource(string path, SourceOptions options)
        : this(path, options, "sqlite:" + path, deferral: null)
    {
    }

    SqliteSource(string path, SourceOptions options, string description, SqliteProfileDeferral? deferral)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(options);
        _path = Path.GetFullPath(path);
        _options = options;
        Description = description;
        _deferral = deferral;
    }

    public string Description { get; }

    public async Task<SourceModel> DiscoverAsync(CancellationToken cancellationToken)
    {
        if (!File.Exists(_path))
            throw new FerryException($"SQLite file '{_path}' does not exist. Check the path after 'sqlite:'.");
        var builder = new SqliteConnectionStringBuilder { DataSource = _path, Mode = SqliteOpenMode.ReadOnly, Pooling = false };
        await using var connection = new SqliteConnection(builder.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            await SqliteLockWait.FirstQueryAsync(_path, _options.Logger, async seconds =>
            {
                await using var check = connection.CreateCommand();
                check.CommandText = "SELECT count(*) FROM sqlite_schema";
                check.CommandTimeout = seconds;
                return await check.ExecuteScalarAsync(cancellationToken);
            });
        }
        catch (SqliteException e)
        {
            throw new FerryException($"'{_path}' is not a readable SQLite database: {e.Message}", FailureKind.Configuration, e);
        }

        var model = await new SqliteDiscovery(_path, connection, _options, _deferral).DiscoverAsync(Description, cancellationToken);
        await Task.Run(() => SqliteDerivedTables.Add(model, _path, _options, cancellationToken), cancellationToken);
        SourceFilters.Attach(model, _options, Description, (table, condition) =>
        {
            using var check = connection.CreateCommand();
            check.CommandText = $"SELECT 1 FROM {SqliteDerivedTables.From(table)} WHERE ({condition}) LIMIT 0";
            try
            {
                using var reader = check.ExecuteReader();
                reader.Read();
                return null;
            }
            catch (SqliteException e)
            {
                return e.Message;
            }
        });
        return model;
    }

    public Task<long> CountFilteredAsync(TableModel table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.SourceFilter is not { } condition)
            return Task.FromResult(0L);
        using var db = SqliteNative.OpenReadOnly(_path);
        using var count = SqliteNative.Prepare(db, FilteredRows.CountSql(SqliteDerivedTables.From(table), condition), _path);
        if (SQLitePCL.raw.sqlite3_step(count) != SQLitePCL.raw.SQLITE_ROW)
            throw new FerryException($"Counting the rows of table {table.SourceName} in SQLite file '{_path}' failed: {SQLitePCL.raw.sqlite3_errmsg(db).utf8_to_string()}.", FailureKind.Failed);
        return Task.FromResult(SQLitePCL.raw.sqlite3_column_int64(count, 0));
    }

    public IReadOnlyList<ReadRange> PlanRanges(TableModel table, int parts)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (table.SourceState is not SqliteTableState { RowidName: not null, MinRowid: { } min, MaxRowid: { } max }
            || parts <= 1 || (table.EstimatedRows ?? 0) < parts || max - min < parts)
            return [ReadRange.All];

        // Even splits of the rowid span; the outer ranges are open so rows outside the span seen at discovery
        // are still read exactly once.
        var span = (decimal)max - min + 1;
        var ranges = new List<ReadRange>(parts);
        var from = long.MinValue;
        for (var i = 1; i <= parts; i++)
        {
            var to = i == parts ? long.MaxValue : (long)(min + Math.Floor(span * i / parts)) - 1;
            ranges.Add(new ReadRange(from, to));
            from = to + 1;
        }

        return ranges;
    }

    public ITableReader OpenReader(PlannedTable table, ReadRange range)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(range);
        return new SqliteTableReader(_path, table, range, _options, _deferral);
    }

    IEnumerable<string> ITypeCheckedSource.Unreadable(PlannedTable table)
    {
        var decoder = new SqliteTextDecoder(_options.InvalidUtf8);
        return table.Copied.Where(c => SqliteValueReader.TryFor(c.Type, decoder) is null)
            .Select(c => SqliteValueReader.CannotRead(c, table.Source.SourceName));
    }

    ISource IProfileDeferringSource.DeferringProfile(IReadOnlySet<string> profiled) => new SqliteSource(_path, _options, Description, new SqliteProfileDeferral(profiled));

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
