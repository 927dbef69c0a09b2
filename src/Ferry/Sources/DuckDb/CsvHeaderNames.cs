using System.Globalization;
using System.Text;
using Ferry.Sources.DuckDb.Native;

namespace Ferry.Sources.DuckDb;

/// <summary>
/// Header cells without a name. DuckDB's sniffer names such a column <c>columnN</c> (N from 0) without a word; Ferry
/// names it as every source's unnamed column is named, <c>column_N</c> (N its position from 1, Schema.Naming's rule),
/// and says so.
/// </summary>
internal static class CsvHeaderNames
{
    /// <summary><paramref name="dialect"/> with its unnamed header columns named; a note for each in <paramref name="notes"/>.</summary>
    public static CsvDialect Name(DuckDbConnection connection, string file, CsvDialect dialect, List<string> notes)
    {
        if (!dialect.Header || dialect.Columns.Count == 0)
            return dialect;
        var cells = RawHeader(connection, file, dialect);
        var taken = dialect.Columns.Select(c => c.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var columns = dialect.Columns.ToArray();
        for (var i = 0; i < columns.Length && i < cells.Length; i++)
        {
            if (!string.IsNullOrWhiteSpace(cells[i]))
                continue;
            var name = Schema.Naming.UnnamedColumn(i + 1);
            if (!taken.Add(name))
            {
                notes.Add($"CSV file {file}: column {i + 1} has no name in the header; it keeps DuckDB's name {columns[i].Name} (a column {name} exists).");
                continue;
            }

            notes.Add($"CSV file {file}: column {i + 1} has no name in the header; it is named {name}.");
            columns[i] = columns[i] with { Name = name };
        }

        return dialect with { Columns = columns };
    }

    /// <summary>The header line's cells as written, read with the file's own dialect.</summary>
    static string?[] RawHeader(DuckDbConnection connection, string file, CsvDialect dialect)
    {
        var raw = dialect with
        {
            Header = false,
            Columns = [.. dialect.Columns.Select((_, i) => new CsvColumn("h" + i.ToString(CultureInfo.InvariantCulture), "VARCHAR"))],
            DateFormat = null,
            TimestampFormat = null,
            NullString = null,
        };
        var sql = new StringBuilder("SELECT * FROM ").Append(raw.ReadCsv([file], new HashSet<string>(), storeRejects: false)).Append(" LIMIT 1");
        var rows = connection.QueryText(sql.ToString());
        return rows.Count == 0 ? [] : rows[0];
    }
}
