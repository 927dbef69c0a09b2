using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Ferry.Internal;
using Ferry.Schema;
using Ferry.Sources.DuckDb.Native;

namespace Ferry.Sources.DuckDb;

/// <summary>
/// A source read through DuckDB's engine: a DuckDB database file (<c>duckdb:PATH</c>: every table in every
/// schema, and its views), Parquet files (<c>parquet:GLOB</c>: all matching files into one table, columns unioned
/// by name) or CSV files (<c>csv:GLOB</c>, DuckDB's sniffer with overridable header, delimiter, quote, null string).
/// </summary>
public sealed partial class DuckDbSource : ISource, ITypeCheckedSource
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

    /// <summary>Named ENUM types of a DuckDB database, by their labels (a column's type does not carry the name).</summary>
    readonly Dictionary<string, string> _enumNames = [];

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
                DiscoverDatabase(connection, model, cancellationToken);
                break;
            default:
                if (DiscoverFiles(connection, model) is { } table)
                    model.Tables.Add(table);
                break;
        }

        return Task.FromResult(model);
    }

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

    public ITableReader OpenReader(TableModel table, ReadRange range)
    {
        if (table.SourceState is not DuckDbTableState state)
            throw new InvalidOperationException($"Table {table.SourceName} was not discovered by {Description}.");
        var columns = table.Columns.Where(c => c.GeneratedSql is null).ToList();
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
        if (!range.IsAll && state.RangeColumn is { } rangeColumn)
        {
            select.Append(CultureInfo.InvariantCulture, $" WHERE {rangeColumn} >= {range.From ?? 0}");
            if (range.To is { } to && to != long.MaxValue)
                select.Append(CultureInfo.InvariantCulture, $" AND {rangeColumn} <= {to}");
        }
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
    static HashSet<string> TextCastColumns(DuckDbTableState state, IEnumerable<ColumnModel> columns) => new(
        state.Csv is null ? [] : columns
            .Where(c => c.Type.Kind is PgTypeKind.Text or PgTypeKind.Varchar or PgTypeKind.Numeric && state.Types[c.SourceName].Id != DuckDbType.Varchar)
            .Select(c => c.SourceName),
        StringComparer.OrdinalIgnoreCase);

    /// <summary>The columns whose readers <see cref="OpenReader"/> would refuse (a --cast to a type they cannot produce), before anything is written.</summary>
    IEnumerable<string> ITypeCheckedSource.Unreadable(TableModel table)
    {
        if (table.SourceState is not DuckDbTableState state)
            yield break;
        foreach (var column in table.Columns.Where(c => c.GeneratedSql is null))
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

    // ---- DuckDB database files ----

    void DiscoverDatabase(DuckDbConnection connection, SourceModel model, CancellationToken cancellationToken)
    {
        var tables = connection.QueryText(
            "SELECT schema_name, table_name, estimated_size FROM duckdb_tables() " +
            "WHERE database_name = current_database() AND NOT internal AND NOT temporary ORDER BY schema_name, table_name");
        var selection = TableSelection.Of(_options.Tables, _options.Names);
        var selected = selection.Select(tables, t => (t[0], t[1]!),
            missing => $"{Description} has no table {string.Join(", ", missing)}; it has {string.Join(", ", tables.Select(t => t[0] + "." + t[1]))}.");

        foreach (var type in connection.QueryText(
            "SELECT schema_name, type_name FROM duckdb_types() WHERE database_name = current_database() AND NOT internal AND logical_type = 'ENUM'"))
        {
            var labels = connection.QueryText($"SELECT to_json(enum_range(NULL::{Quote(type[0]!)}.{Quote(type[1]!)}))::VARCHAR")[0][0]!;
            _enumNames.TryAdd(LabelKey(JsonText.StringArray(labels)), type[1]!);
        }

        var columnFacts = connection.QueryText(
            "SELECT schema_name, table_name, column_name, is_nullable, column_default FROM duckdb_columns() " +
            "WHERE database_name = current_database() AND NOT internal")
            .ToDictionary(r => (r[0]!, r[1]!, r[2]!), r => (Nullable: r[3] == "true", Default: r[4]));
        var constraints = connection.QueryText(
            "SELECT schema_name, table_name, constraint_type, constraint_name, to_json(constraint_column_names)::VARCHAR, " +
            "referenced_table, to_json(referenced_column_names)::VARCHAR, expression FROM duckdb_constraints() " +
            "WHERE database_name = current_database() ORDER BY constraint_index");

        var indexes = connection.QueryText(
            "SELECT schema_name, table_name, index_name, is_unique, sql FROM duckdb_indexes() WHERE database_name = current_database() ORDER BY index_name");

        foreach (var row in selected)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (schema, name) = (row[0]!, row[1]!);
            var from = Quote(schema) + "." + Quote(name);
            var table = BuildTable(connection, model, schema, name, from, "SELECT * FROM " + from);
            table.SourceState = ((DuckDbTableState)table.SourceState!) with { RangeColumn = "rowid", MaxRangeSql = $"SELECT max(rowid) FROM {from}" };
            table.EstimatedRows = long.TryParse(row[2], CultureInfo.InvariantCulture, out var estimate) ? estimate : null;
            foreach (var column in table.Columns)
            {
                if (!columnFacts.TryGetValue((schema, name, column.SourceName), out var facts))
                    continue;
                column.NotNull = !facts.Nullable;
                ApplyDefault(table, column, facts.Default);
            }

            ApplyConstraints(table, constraints.Where(c => c[0] == schema && c[1] == name));
            foreach (var index in indexes.Where(i => i[0] == schema && i[1] == name))
                ApplyIndex(table, index[2]!, index[3] == "true", index[4] ?? "");
            model.Tables.Add(table);
        }

        foreach (var view in connection.QueryText(
            "SELECT schema_name, view_name, sql FROM duckdb_views() WHERE database_name = current_database() AND NOT internal AND NOT temporary " +
            "ORDER BY schema_name, view_name"))
        {
            var (schema, name, sql) = (view[0]!, view[1]!, view[2] ?? "");
            if (!selection.Mentions(schema, name))
                continue;
            var body = ViewBody().Match(sql);
            model.Views.Add(new ViewModel
            {
                SourceSchema = schema,
                SourceName = name,
                SourceSql = sql,
                TargetSql = body.Success ? DuckDbSqlText.WithPostgresStrings(body.Groups["select"].Value.Trim().TrimEnd(';')) : null,
                Problem = body.Success ? null : "the view's SQL is not a plain CREATE VIEW … AS SELECT; recreate it by hand",
            });
        }
    }

    void ApplyDefault(TableModel table, ColumnModel column, string? sourceDefault)
    {
        if (string.IsNullOrWhiteSpace(sourceDefault))
            return;
        var text = sourceDefault.Trim();
        if (text.StartsWith("nextval(", StringComparison.OrdinalIgnoreCase) && column.Type.Kind is PgTypeKind.SmallInt or PgTypeKind.Integer or PgTypeKind.BigInt)
        {
            column.Identity = true;
            return;
        }

        column.DefaultSql = SimpleDefault().IsMatch(text) ? DuckDbSqlText.WithPostgresStrings(text)
            : text.Equals("CURRENT_TIMESTAMP", StringComparison.OrdinalIgnoreCase) || text.Equals("now()", StringComparison.OrdinalIgnoreCase) ? "now()"
            : text.Equals("CURRENT_DATE", StringComparison.OrdinalIgnoreCase) ? "CURRENT_DATE"
            : null;
        if (column.DefaultSql is null)
            table.Notes.Add($"Column {column.SourceName}: DuckDB default {text} is not carried over (not a plain literal); add it by hand if needed.");
    }

    void ApplyConstraints(TableModel table, IEnumerable<string?[]> constraints)
    {
        foreach (var c in constraints)
        {
            var type = c[2];
            var columns = c[4] is { } json ? JsonText.StringArray(json) : [];
            var targets = columns.Select(c => _options.Names.Apply(c)).ToList();
            switch (type)
            {
                case "PRIMARY KEY":
                    table.PrimaryKey = new KeyModel(null, targets);
                    foreach (var column in columns)
                        table.Column(column).NotNull = true;
                    break;
                case "UNIQUE":
                    if (table.PrimaryKey is null || !table.PrimaryKey.Columns.SequenceEqual(targets))
                        table.UniqueKeys.Add(new KeyModel(null, targets));
                    break;
                // DuckDB checks every foreign key at once and forgets DEFERRABLE: NOT DEFERRABLE (the model's default) is what it means.
                case "FOREIGN KEY" when c[5] is { Length: > 0 } referenced:
                    var referencedColumns = c[6] is { } rj ? JsonText.StringArray(rj) : [];
                    table.ForeignKeys.Add(new ForeignKeyModel(null, targets, table.SourceSchema, referenced,
                        referencedColumns.Select(c => _options.Names.Apply(c)).ToList()));
                    break;
                case "CHECK":
                    table.Notes.Add($"CHECK ({c[7]}) is DuckDB SQL and is not carried over; add it by hand if needed.");
                    break;
            }
        }
    }

    /// <summary>An index on plain columns comes along (DuckDB keeps no sort order); one on expressions becomes a note.</summary>
    void ApplyIndex(TableModel table, string name, bool unique, string sql)
    {
        var open = sql.IndexOf('(', StringComparison.Ordinal);
        var close = sql.LastIndexOf(')');
        var elements = new List<string>();
        if (open > 0 && close > open)
        {
            foreach (var part in SplitTopLevel(sql[(open + 1)..close]))
            {
                var column = part.Trim();
                if (column.Length > 1 && column[0] == '"' && column[^1] == '"')
                    column = column[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal);
                var match = table.Columns.FirstOrDefault(c => string.Equals(c.SourceName, column, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                {
                    elements.Clear();
                    break;
                }

                elements.Add(Identifiers.Quote(_options.Names.Apply(match.SourceName)));
            }
        }

        if (elements.Count > 0)
            table.Indexes.Add(new IndexModel(_options.Names.Apply(name), elements, unique));
        else
            table.Notes.Add($"Index {name} is on expressions ({sql.Trim()}); it is DuckDB SQL and is not carried over.");
    }

    static IEnumerable<string> SplitTopLevel(string list)
    {
        var depth = 0;
        var quoted = false;
        var start = 0;
        for (var i = 0; i < list.Length; i++)
        {
            var c = list[i];
            if (c == '"')
                quoted = !quoted;
            else if (!quoted && c == '(')
                depth++;
            else if (!quoted && c == ')')
                depth--;
            else if (!quoted && depth == 0 && c == ',')
            {
                yield return list[start..i];
                start = i + 1;
            }
        }

        yield return list[start..];
    }

    // ---- Parquet and CSV files ----

    TableModel? DiscoverFiles(DuckDbConnection connection, SourceModel model)
    {
        var files = connection.QueryText($"SELECT file FROM glob({Literal(_path)}) ORDER BY file").Select(r => r[0]!).ToList();
        if (files.Count == 0)
            throw new FerryException($"{Description} matches no files; check the path and the glob pattern.");
        var table = _kind == SourceKind.Csv ? DiscoverCsv(connection, model, files) : DiscoverParquet(connection, model, files);
        if (table?.SourceState is DuckDbTableState { Files.Count: > 1 and var count })
            table.Notes.Add($"{count} files loaded into one table, columns matched by name.");
        return table;
    }

    /// <summary>Each file sniffed once; every read of the table then passes exactly what was found (<see cref="CsvDialect"/>).</summary>
    TableModel? DiscoverCsv(DuckDbConnection connection, SourceModel model, IReadOnlyList<string> files)
    {
        if (CsvSource.Discover(connection, files, _csv, _table!, model.Notes) is not { } layout)
            return null;
        var from = layout.FromSql(CsvLayout.NoColumns, storeRejects: false);
        var table = BuildTable(connection, model, null, _table!, from, "SELECT * FROM " + from);
        table.SourceState = ((DuckDbTableState)table.SourceState!) with { Files = layout.Files, Csv = layout };
        CsvSource.KeepCsvDigits(connection, table, layout);
        return table;
    }

    /// <summary>Every file's footer and first rows are read here, so a file DuckDB cannot read stops the copy before anything is created.</summary>
    TableModel DiscoverParquet(DuckDbConnection connection, SourceModel model, IReadOnlyList<string> files)
    {
        var seen = new Dictionary<string, (string File, string Type)>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in files)
        {
            IReadOnlyList<DuckDbField> columns;
            try
            {
                columns = connection.Describe("SELECT * FROM " + ReadParquet([file]));
                using var probe = connection.Stream($"SELECT * FROM {ReadParquet([file])} LIMIT 1");
                probe.NextChunk()?.Dispose();
            }
            catch (FerryException e)
            {
                throw new FerryException($"Parquet file {file} cannot be read by DuckDB (corrupt or unsupported): {e.Message}", FailureKind.Configuration, e);
            }

            foreach (var column in columns)
            {
                var type = column.Type.ToSql();
                if (!seen.TryGetValue(column.Name, out var first))
                    seen[column.Name] = (file, type);
                else if (first.Type != type)
                {
                    throw new FerryException(
                        $"Parquet file {file} has column {column.Name} as {type}, but {first.File} has it as {first.Type}; " +
                        "files loaded into one table must agree on each column's type. Convert them, or load them into separate tables.");
                }
            }
        }

        var from = ReadParquet(files);
        var table = BuildTable(connection, model, null, _table!, from, "SELECT * FROM " + from);
        table.SourceState = ((DuckDbTableState)table.SourceState!) with
        {
            Files = files,
            FromSql = from.Replace("union_by_name = true", "union_by_name = true, file_row_number = true", StringComparison.Ordinal),
            RangeColumn = "file_row_number",
            MaxRangeSql = $"SELECT max(num_rows) - 1 FROM parquet_file_metadata({FileList(files)})",
        };
        var rows = connection.QueryText($"SELECT sum(num_rows) FROM parquet_file_metadata({FileList(files)})");
        table.EstimatedRows = long.TryParse(rows[0][0], CultureInfo.InvariantCulture, out var n) ? n : null;
        return table;
    }

    /// <summary>The Parquet files, read as one table with columns matched by name.</summary>
    static string ReadParquet(IReadOnlyList<string> files) => $"read_parquet({FileList(files)}, union_by_name = true)";

    static string FileList(IEnumerable<string> files) => "[" + string.Join(", ", files.Select(Literal)) + "]";

    // ---- shared ----

    TableModel BuildTable(DuckDbConnection connection, SourceModel model, string? schema, string name, string from, string describeSql)
    {
        IReadOnlyList<DuckDbField> fields;
        try
        {
            fields = connection.Describe(describeSql);
        }
        catch (FerryException e)
        {
            throw new FerryException($"{Description}: DuckDB cannot read {(schema is null ? name : schema + "." + name)}: {e.Message}", FailureKind.Configuration, e);
        }

        var columns = new List<ColumnModel>();
        var types = new Dictionary<string, DuckDbTypeInfo>();
        var notes = new List<string>();
        foreach (var field in fields)
        {
            var mapped = DuckDbTypeMapping.Map(field.Type, () => EnumType(model, field.Type, name, field.Name), Description, name, field.Name);
            columns.Add(new ColumnModel { SourceName = field.Name, SourceType = field.Type.ToSql(), Type = mapped.Type, Rule = mapped.Rule, Refusal = mapped.Refusal });
            if (mapped.Note is { } note)
                notes.Add(note);
            types[field.Name] = field.Type;
        }

        return new TableModel { SourceSchema = schema, SourceName = name, Columns = columns, Notes = notes, SourceState = new DuckDbTableState(from, types) };
    }

    /// <summary>A named DuckDB ENUM type keeps its name; an anonymous one is named table_column.</summary>
    string EnumType(SourceModel model, DuckDbTypeInfo type, string table, string column)
    {
        var typeName = type.Alias is { Length: > 0 } alias ? alias
            : _enumNames.TryGetValue(LabelKey(type.EnumLabels), out var named) ? named
            : $"{table}_{column}";
        var name = new EnumModel("public", Identifiers.Truncate(_options.Names.Apply(typeName)), type.EnumLabels);
        var existing = model.Enums.FirstOrDefault(e => e.QualifiedName == name.QualifiedName);
        if (existing is null)
            model.Enums.Add(name);
        else if (!existing.Labels.SequenceEqual(type.EnumLabels))
            throw new FerryException($"{Description}: two ENUM types become {name.QualifiedName} with different labels; rename one of them.");
        return name.QualifiedName;
    }

    static string LabelKey(IEnumerable<string> labels) => string.Join('\u001f', labels);

    internal static string Quote(string identifier) => Identifiers.QuoteAlways(identifier);

    internal static string Literal(string value) => Identifiers.StandardLiteral(value);

    [GeneratedRegex(@"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+.+?\s+AS\s+(?<select>(?:SELECT|WITH|VALUES|FROM)\b.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex ViewBody();

    [GeneratedRegex(@"^(-?\d+(\.\d+)?|'([^']|'')*'|true|false|NULL)$", RegexOptions.IgnoreCase)]
    private static partial Regex SimpleDefault();
}
