using System.Globalization;
using System.IO.Compression;
using Ferry.Schema;
using Ferry.Sources.DuckDb.Native;

namespace Ferry.Sources.DuckDb;

/// <summary>
/// The CSV side of <c>csv:GLOB</c> discovery: each file's dialect sniffed once, its first rows read before anything
/// is created, empty files left out, columns matched by name across files with one type each; and the check that
/// keeps digits a double would lose.
/// </summary>
internal static class CsvSource
{
    /// <summary>Rows read from each file at discovery: one chunk, enough to meet a file DuckDB cannot read at all.</summary>
    const int ProbeRows = 2048;

    /// <summary>How the files of <paramref name="table"/> are read; null when every file is empty (a note says so).</summary>
    /// <exception cref="FerryException">A file DuckDB cannot read, named, with the way out.</exception>
    public static CsvLayout? Discover(DuckDbConnection connection, IReadOnlyList<string> files, CsvOptions options, string table, List<string> notes)
    {
        var read = new List<(string File, CsvDialect Dialect)>();
        var empty = new List<string>();
        foreach (var file in files)
        {
            if (new FileInfo(file).Length == 0)
            {
                empty.Add(file);
                continue;
            }

            var dialect = Sniff(connection, file, options);
            if (Probe(connection, file, dialect, table) == 0 && IsEmpty(dialect))
                empty.Add(file);
            else
                read.Add((file, CsvHeaderNames.Name(connection, file, dialect, notes)));
        }

        if (empty.Count > 0)
        {
            var which = $"CSV file{(empty.Count > 1 ? "s" : "")} {string.Join(", ", empty)} {(empty.Count > 1 ? "have" : "has")} no header and no rows";
            notes.Add(read.Count == 0 ? $"{which}: no table {table} is created" : $"{which}: left out");
        }

        if (read.Count == 0)
            return null;
        var types = UnifiedTypes(connection, read.Select(r => r.Dialect));
        return CsvLayout.Of(read.Select(r => (r.File, r.Dialect with { Columns = [.. r.Dialect.Columns.Select(c => c with { Type = types[c.Name] })] })));
    }

    /// <summary>No header, no rows: what the sniffer makes of a file of blank lines.</summary>
    static bool IsEmpty(CsvDialect dialect) => !dialect.Header && dialect.Columns is [{ Type: "VARCHAR" }];

    static CsvDialect Sniff(DuckDbConnection connection, string file, CsvOptions options)
    {
        try
        {
            return CsvDialect.Sniff(connection, file, options);
        }
        catch (FerryException e)
        {
            if (options.Strict != false && MixedLineEnds(file) is var (crlf, lf))
            {
                throw new FerryException(
                    $"CSV file {file} mixes line ends (line {crlf} ends in CRLF, line {lf} in LF), which DuckDB's strict CSV parser refuses. " +
                    "Convert them to one kind (e.g. sed -i 's/\\r$//' FILE), or read it with --csv-strict false (DuckDB's lenient parser: it also drops the " +
                    "extra fields of a line that has too many, and a stray quote can join lines; check the rows read).", FailureKind.Configuration, e);
            }

            throw new FerryException(
                $"CSV file {file}: DuckDB cannot tell how it is laid out ({DuckDbWords(e.Message)}). Set --csv-delimiter, --csv-quote or --csv-header, " +
                "or check that it is a CSV file.", FailureKind.Configuration, e);
        }
    }

    /// <summary>Reads the first rows of <paramref name="file"/> as the load will, so a file DuckDB cannot read stops discovery.</summary>
    /// <returns>The number of rows read (at most <see cref="ProbeRows"/>).</returns>
    static int Probe(DuckDbConnection connection, string file, CsvDialect dialect, string table)
    {
        try
        {
            using var result = connection.Stream($"SELECT * FROM {dialect.ReadCsv([file], CsvLayout.NoColumns, storeRejects: true)} LIMIT {ProbeRows}");
            var rows = 0;
            while (result.NextChunk() is { } chunk)
            {
                using (chunk)
                    rows += chunk.Size;
            }

            return rows;
        }
        catch (FerryException e)
        {
            var explained = CsvReadError.Describe(e.Message, table) ?? DuckDbWords(e.Message);
            throw new FerryException($"CSV file {file} cannot be read by DuckDB: {explained}. Nothing was written.", FailureKind.Configuration, e);
        }
    }

    /// <summary>DuckDB's own account of a failure, without its error class, the file it repeats and its list of options.</summary>
    static string DuckDbWords(string message)
    {
        var words = message.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith("Invalid Input Error: Error when sniffing file", StringComparison.Ordinal))
            .TakeWhile(l => !l.StartsWith("The search space", StringComparison.Ordinal) && !l.StartsWith("Possible", StringComparison.Ordinal))
            .Select(l => l.Replace("Invalid Input Error: ", "", StringComparison.Ordinal).TrimEnd('.'));
        var text = string.Join("; ", words);
        return text.Length > 0 ? text : "no reason given";
    }

    /// <summary>The first line ending in CRLF and the first in a bare LF (outside quotes), when the start of the file has both.</summary>
    static (long Crlf, long Lf)? MixedLineEnds(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            using var input = file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(stream, CompressionMode.Decompress) : (Stream)stream;
            var buffer = new byte[1 << 20];
            var length = input.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            long line = 1;
            long? crlf = null, lf = null;
            var quoted = false;
            for (var i = 0; i < length; i++)
            {
                if (buffer[i] == '"')
                    quoted = !quoted; // a line end inside quotes is data (Excel writes LF there, CRLF after rows)
                if (buffer[i] != '\n' || quoted)
                    continue;
                if (i > 0 && buffer[i - 1] == '\r')
                    crlf ??= line;
                else
                    lf ??= line;
                if (crlf is { } c && lf is { } l)
                    return (c, l);
                line++;
            }
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
        }

        return null;
    }

    /// <summary>One type per column name across files: DuckDB's common type of what the files hold (VARCHAR when there is none).</summary>
    static Dictionary<string, string> UnifiedTypes(DuckDbConnection connection, IEnumerable<CsvDialect> dialects)
    {
        var types = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var column in dialects.SelectMany(d => d.Columns))
        {
            if (!types.TryGetValue(column.Name, out var type))
                types[column.Name] = column.Type;
            else if (type != column.Type)
                types[column.Name] = CommonType(connection, type, column.Type);
        }

        return types;
    }

    static string CommonType(DuckDbConnection connection, string a, string b)
    {
        try
        {
            return connection.QueryText($"SELECT typeof(x) FROM (SELECT NULL::{a} AS x UNION ALL SELECT NULL::{b}) LIMIT 1")[0][0] ?? "VARCHAR";
        }
        catch (FerryException)
        {
            return "VARCHAR";
        }
    }

    /// <summary>
    /// A CSV column DuckDB sniffed as DOUBLE whose file holds a number that double precision cannot give back as
    /// written becomes numeric, read as text: exact. Such a number has more than 15 significant digits, and they are
    /// not what printing the nearest double with as many digits gives: an integer beyond BIGINT
    /// (123456789012345678901), 9007199254740993, 0.30000000000000001. Numbers written from doubles (shortest form,
    /// %.17g) stay double precision. A column that also holds NaN or an infinity stays double precision, with a
    /// note. One more read of the files; when it fails (a line DuckDB cannot read), the load reports that line.
    /// </summary>
    public static void KeepCsvDigits(DuckDbConnection connection, TableModel table, CsvLayout layout)
    {
        var state = (DuckDbTableState)table.SourceState!;
        var doubles = table.Columns.Where(c => state.Types[c.SourceName].Id == DuckDbType.Double).ToList();
        if (doubles.Count == 0)
            return;
        var counts = doubles.Select(c => DuckDbSource.Quote(c.SourceName)).Select(v =>
            $"count(*) FILTER (WHERE {LostDigits(v)}), count(*) FILTER (WHERE NOT isfinite(TRY_CAST({v} AS DOUBLE)))");
        var asText = new HashSet<string>(doubles.Select(c => c.SourceName), StringComparer.OrdinalIgnoreCase);
        string?[] row;
        try
        {
            row = connection.QueryText($"SELECT {string.Join(", ", counts)} FROM {layout.FromSql(asText, storeRejects: true)}")[0];
        }
        catch (FerryException)
        {
            return;
        }

        for (var i = 0; i < doubles.Count; i++)
        {
            var lost = long.Parse(row[2 * i]!, CultureInfo.InvariantCulture);
            if (lost == 0)
                continue;
            var column = doubles[i];
            if (long.Parse(row[(2 * i) + 1]!, CultureInfo.InvariantCulture) > 0)
            {
                table.Notes.Add($"Column {column.SourceName}: {lost} values have more digits than double precision keeps, and the column holds NaN or infinities, which numeric does not take here; --cast {table.SourceName}.{column.SourceName}=text keeps them as written.");
                continue;
            }

            table.Columns[table.Columns.IndexOf(column)] = column.Retyped(PgType.Numeric, CsvDigitsRule);
        }
    }

    const string CsvDigitsRule = "CSV numbers with more digits than a double keeps → numeric";

    /// <summary>
    /// SQL: the text <paramref name="v"/> (read as VARCHAR) is a number double precision does not give back as
    /// written. Its significant digits (of the mantissa, without leading and trailing zeros) number more than 17, or
    /// 16 or 17 that differ from the nearest double's printed with as many digits (DuckDB's format is exact).
    /// </summary>
    static string LostDigits(string v)
    {
        string Digits(string text) => $"trim(regexp_replace(regexp_replace(trim({text}), '[eE].*$', ''), '[^0-9]', '', 'g'), '0')";
        var digits = Digits(v);
        var printed = $"format('{{:.{{}}e}}', TRY_CAST({v} AS DOUBLE), length({digits}) - 1)";
        return $"length({digits}) > 15 AND (length({digits}) > 17 OR {Digits(printed)} <> {digits})";
    }
}
