using System.Globalization;
using System.Text;
using Ferry.Schema;
using Ferry.Sources.DuckDb.Native;

namespace Ferry.Sources.DuckDb;

/// <summary>
/// A source read through DuckDB's engine: a DuckDB database file (<c>duckdb:PATH</c>: every table in every
/// schema, and its views), Parquet files (<c>parquet:GLOB</c>: all matching files into one table, columns unioned
/// by name) or CSV files (<c>csv:GLOB</c>, DuckDB's sniffer with overridable header, delimiter, quote, null string).
/// </summary>
internal sealed class DuckDbSource : ISource, ITypeCheckedSource, IRowCountingSource
{
    enum SourceKind
    {
        Database,
        Parquet,
        Csv,
    }

    readonly SourceKind _kind;
    readonly string _path;
    readonly string? _table;
    readonly CsvOptions _csv;
    readonly SourceOptions _options;
    readonly Lazy<DuckDbDatabase> _database;

    DuckDbSource(SourceKind kind, string description, string path, string? table, CsvOptions? csv, SourceOptions? options)
    {
        _kind = kind;
        Description = description;
        _path = path;
        _table = table;
        _csv = csv ?? new CsvOptions();
        _options = options ?? new SourceOptions();
        _database = new Lazy<DuckDbDatabase>(() => kind == SourceKind.Database
            ? DuckDbDatabase.Open(path, readOnly: true)
            : DuckDbDatabase.Open(null, readOnly: false));
    }

    /// <summary><c>duckdb:PATH</c>: the database is opened read-only.</summary>
    public static DuckDbSource Database(string path, SourceOptions? options = null)
    {
        if (!File.Exists(path))
            throw new FerryException($"DuckDB database {path} does not exist.");
        return new DuckDbSource(SourceKind.Database, "duckdb:" + path, path, null, null, options);
    }

    /// <summary><c>parquet:GLOB</c> into the table <paramref name="table"/>.</summary>
    public static DuckDbSource Parquet(string glob, string table, SourceOptions? options = null) =>
        new(SourceKind.Parquet, "parquet:" + glob, glob, RequireTable(table, "parquet:" + glob), null, options);

    /// <summary><c>csv:GLOB</c> into the table <paramref name="table"/>.</summary>
    public static DuckDbSource Csv(string glob, string table, CsvOptions? csv = null, SourceOptions? options = null) =>
        new(SourceKind.Csv, "csv:" + glob, glob, RequireTable(table, "csv:" + glob), csv, options);

    static string RequireTable(string? table, string description) =>
        string.IsNullOrWhiteSpace(table)
            ? throw new FerryException($"{description} needs --table NAME: the table its files are loaded into.")
            : table;

    public string Description { get; }

    public Task<SourceModel> DiscoverAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _database.Value.Connect();
        var model = new SourceModel { Source = Description };
        switch (_kind)
        {
            case SourceKind.Database:
                new DuckDbDatabaseDiscovery(Description, _options).Discover(connection, model, cancellationToken);
                break;
            default:
                if (new DuckDbFileDiscovery(Description, _options.Names, _path, _table!, _kind == SourceKind.Csv ? _csv : null).Discover(connection, model) is { } table)
                    model.Tables.Add(table);
                break;
        }

        AddDerivedTables(connection, model);
        SourceFilters.Attach(model, _options, Description, (table, condition) =>
        {
            try
            {
                connection.Describe($"SELECT 1 FROM {From(table)} WHERE ({condition})");
                return null;
            }
            catch (FerryException e)
            {
                return e.Message;
            }
        });
        return Task.FromResult(model);
    }

    /// <summary>
    /// Each derived table, typed by DuckDB's description of its query. A glob's table is a view of the in-memory database
    /// first, so that a query can name it.
    /// </summary>
    void AddDerivedTables(DuckDbConnection connection, SourceModel model)
    {
        if (_options.DerivedTables.Count == 0)
            return;
        if (_kind != SourceKind.Database && model.Tables is [{ SourceState: DuckDbTableState files }])
        {
            // The files as discovery read them: CSV without its reject tables, Parquet without the row number its ranges use.
            connection.Execute($"CREATE OR REPLACE VIEW {Quote(_table!)} AS " + (files.Csv is { } csv
                ? "SELECT * FROM " + csv.FromSql(CsvLayout.NoColumns, storeRejects: false)
                : "SELECT * EXCLUDE (file_row_number) FROM " + files.FromSql));
        }

        var builder = new DuckDbTableBuilder(Description, _options.Names);
        foreach (var derived in _options.DerivedTables)
        {
            var from = DerivedTables.Check(model, derived, Description, Quote);
            try
            {
                connection.Describe("SELECT * FROM " + from);
            }
            catch (FerryException e)
            {
                throw DerivedTables.Refused(derived, Description, e.Message);
            }

            model.Tables.Add(DerivedTables.Complete(builder.Build(connection, model, null, derived.Name, from, "SELECT * FROM " + from), derived, _options.Names));
        }
    }

    public Task<long> CountFilteredAsync(TableModel table, CancellationToken cancellationToken)
    {
        if (table.SourceFilter is not { } condition)
            return Task.FromResult(0L);
        using var connection = _database.Value.Connect();
        var count = connection.QueryText(FilteredRows.CountSql(From(table), condition))[0][0];
        return Task.FromResult(long.Parse(count!, CultureInfo.InvariantCulture));
    }

    /// <summary>The table's rows as its readers see them (a CSV file's unreadable lines skipped).</summary>
    string From(TableModel table) => table.SourceState is DuckDbTableState state
        ? state.Csv is { } csv ? csv.FromSql(CsvLayout.NoColumns, storeRejects: true) : state.FromSql
        : throw new InvalidOperationException($"Table {table.SourceName} was not discovered by {Description}.");

    /// <summary>
    /// DuckDB tables split by rowid, Parquet by row number within each file (DuckDB skips the row groups outside a
    /// range, so parallel readers do not decode the same data); CSV is read whole.
    /// </summary>
    public IReadOnlyList<ReadRange> PlanRanges(TableModel table, int parts)
    {
        if (parts < 2 || table.SourceState is not DuckDbTableState { RangeColumn: not null, MaxRangeSql: { } maxSql })
            return [ReadRange.All];
        using var connection = _database.Value.Connect();
        if (!long.TryParse(connection.QueryText(maxSql)[0][0], CultureInfo.InvariantCulture, out var max) || max < parts)
            return [ReadRange.All];
        var size = (max / parts) + 1;
        var ranges = new List<ReadRange>();
        for (var from = 0L; from <= max; from += size)
            ranges.Add(new ReadRange(from, Math.Min(from + size - 1, max)));
        ranges[^1] = ranges[^1] with { To = long.MaxValue }; // Rows added since planning still belong somewhere.
        return ranges;
    }

    public ITableReader OpenReader(PlannedTable planned, ReadRange range)
    {
        var table = planned.Source;
        if (table.SourceState is not DuckDbTableState state)
            throw new InvalidOperationException($"Table {table.SourceName} was not discovered by {Description}.");
        var columns = planned.Copied;
        var types = new DuckDbTypeInfo[columns.Count];
        var readers = new DuckDbColumnReader[columns.Count];
        var select = new StringBuilder("SELECT ");
        var textColumns = TextCastColumns(state, columns);
        for (var i = 0; i < columns.Count; i++)
        {
            var column = columns[i];
            var declared = textColumns.Contains(column.SourceName) ? new DuckDbTypeInfo { Id = DuckDbType.Varchar } : state.Types[column.SourceName];
            if (i > 0)
                select.Append(", ");
            var (expression, type) = DuckDbReadCast.For(Quote(column.SourceName), declared, column.Type);
            select.Append(expression);
            readers[i] = DuckDbColumnReader.For(declared, column.Type, $"{table.QualifiedSourceName}.{column.SourceName}", _options.Limits);
            types[i] = type;
        }

        if (columns.Count == 0)
            select.Append("NULL");
        // CSV is read with store_rejects: DuckDB skips a line it cannot read and lists it, to be rejected like any row.
        select.Append(" FROM ").Append(state.Csv is { } csv ? csv.FromSql(textColumns, storeRejects: true) : state.FromSql);
        var conditions = new List<string>();
        if (table.SourceFilter is { } filter)
            conditions.Add($"({filter})");
        if (!range.IsAll && state.RangeColumn is { } rangeColumn)
        {
            conditions.Add(string.Create(CultureInfo.InvariantCulture, $"{rangeColumn} >= {range.From ?? 0}"));
            if (range.To is { } to && to != long.MaxValue)
                conditions.Add(string.Create(CultureInfo.InvariantCulture, $"{rangeColumn} <= {to}"));
        }

        if (conditions.Count > 0)
            select.Append(" WHERE ").Append(string.Join(" AND ", conditions));
        return new DuckDbTableReader(_database.Value, select.ToString(), types, readers, $"{Description} table {table.QualifiedSourceName}",
            _kind == SourceKind.Csv ? message => CsvReadError.Describe(message, table.SourceName) : null,
            state.Csv is { } layout
                ? connection => CsvReadError.SkippedLines(connection, columns.Select(c => c.SourceName).ToList(), table.SourceName, layout.Files.Count > 1)
                : null);
    }

    /// <summary>
    /// The columns of a CSV table going to text, varchar or numeric (cast, or <see cref="CsvSource.KeepCsvDigits"/>) that the
    /// sniffer typed otherwise: DuckDB reads them as VARCHAR, so every value comes through as the file has it (one
    /// the sniffed type cannot hold would stop the read; a number read as DOUBLE first would lose digits).
    /// </summary>
    static HashSet<string> TextCastColumns(DuckDbTableState state, IEnumerable<PlannedColumn> columns) => new(
        state.Csv is null ? [] : columns
            .Where(c => c.Type.Kind is PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Numeric && state.Types[c.SourceName].Id != DuckDbType.Varchar)
            .Select(c => c.SourceName),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The columns whose readers <see cref="OpenReader"/> would refuse (a --cast to a type they cannot produce), before anything is written.</summary>
    IEnumerable<string> ITypeCheckedSource.Unreadable(PlannedTable planned)
    {
        var table = planned.Source;
        if (table.SourceState is not DuckDbTableState state)
            yield break;
        foreach (var column in planned.Copied)
        {
            string? refusal = null;
            try
            {
                DuckDbColumnReader.For(state.Types[column.SourceName], column.Type, $"{table.QualifiedSourceName}.{column.SourceName}");
            }
            catch (FerryException e)
            {
                refusal = e.Message;
            }

            if (refusal is not null)
                yield return refusal;
        }
    }

    public ValueTask DisposeAsync()
    {
        if (_database.IsValueCreated)
            _database.Value.Dispose();
        return ValueTask.CompletedTask;
    }

    internal static string Quote(string identifier) => Identifiers.QuoteAlways(identifier);

    internal static string Literal(string value) => Identifiers.StandardLiteral(value);
}
