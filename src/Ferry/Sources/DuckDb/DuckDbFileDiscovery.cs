using System.Globalization;
using Ferry.Schema;
using Ferry.Sources.DuckDb.Native;

namespace Ferry.Sources.DuckDb;

/// <summary>
/// The files of a glob as one table (<c>parquet:GLOB</c>, or <c>csv:GLOB</c> when <paramref name="csv"/> is given):
/// every file read before anything is created, columns matched by name across files.
/// </summary>
internal sealed class DuckDbFileDiscovery(string description, NamingRule names, string glob, string tableName, CsvOptions? csv)
{
    readonly DuckDbTableBuilder _builder = new(description, names);

    public TableModel? Discover(DuckDbConnection connection, SourceModel model)
    {
        var files = connection.QueryText($"SELECT file FROM glob({DuckDbSource.Literal(glob)}) ORDER BY file").Select(r => r[0]!).ToList();
        if (files.Count == 0)
            throw new FerryException($"{description} matches no files; check the path and the glob pattern.");
        var discovered = csv is not null ? DiscoverCsv(connection, model, files) : DiscoverParquet(connection, model, files);
        if (discovered?.SourceState is DuckDbTableState { Files.Count: > 1 and var count })
            discovered.Notes.Add($"{count} files loaded into one table, columns matched by name.");
        return discovered;
    }

    /// <summary>Each file sniffed once; every read of the table then passes exactly what was found (<see cref="CsvDialect"/>).</summary>
    TableModel? DiscoverCsv(DuckDbConnection connection, SourceModel model, IReadOnlyList<string> files)
    {
        if (CsvSource.Discover(connection, files, csv!, tableName, model.Notes) is not { } layout)
            return null;
        var from = layout.FromSql(CsvLayout.NoColumns, storeRejects: false);
        var table = _builder.Build(connection, model, null, tableName, from, "SELECT * FROM " + from);
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
        var table = _builder.Build(connection, model, null, tableName, from, "SELECT * FROM " + from);
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

    static string FileList(IEnumerable<string> files) => "[" + string.Join(", ", files.Select(DuckDbSource.Literal)) + "]";
}
