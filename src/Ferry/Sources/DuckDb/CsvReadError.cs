using System.Text.RegularExpressions;

namespace Ferry.Sources.DuckDb;

/// <summary>
/// DuckDB's error for a CSV line it cannot read ('CSV Error on Line: N', the original line, what went wrong,
/// then its sniffer's settings) as one line: the file, the line number, the column and value, and the way out.
/// </summary>
internal static partial class CsvReadError
{
    /// <summary>The line for <paramref name="duckDbMessage"/>, or null when it is not an error on a CSV line.</summary>
    /// <param name="duckDbMessage">DuckDB's message.</param>
    /// <param name="table">The table's source name, for the <c>--cast table.column=text</c> it suggests.</param>
    public static string? Describe(string duckDbMessage, string table)
    {
        var line = LineNumber().Match(duckDbMessage);
        if (!line.Success)
            return null;
        var file = FileSetting().Match(duckDbMessage) is { Success: true } f ? f.Groups["file"].Value.Trim() : null;
        var original = OriginalLine().Match(duckDbMessage) is { Success: true } o ? Shorten(o.Groups["line"].Value.TrimEnd('\r')) : null;
        var where = $"line {line.Groups["n"].Value}{(file is null ? "" : " of " + file)}";
        var quoted = original is null ? "" : $" (the line: {original})";

        if (Conversion().Match(duckDbMessage) is { Success: true } conversion)
        {
            var column = conversion.Groups["column"].Value;
            var what = conversion.Groups["what"].Value.Trim().TrimEnd('.');
            return $"{where}, column {column}: {FirstLower(what)}{quoted}. DuckDB's sniffer chose the column's type from the rows it samples; " +
                $"load the column as text with --cast {table}.{column}=text, or fix the value in the file.";
        }

        if (FieldCount().Match(duckDbMessage) is { Success: true } count)
        {
            return $"{where} has {FieldCountText(count)}{quoted}; fix or remove that line in the file.";
        }

        // Another problem with the line (an unterminated quote, invalid UTF-8): DuckDB's own words, without its settings.
        var problem = string.Join("; ", duckDbMessage[(line.Index + line.Length)..]
            .Split('\n')
            .Select(l => l.Trim())
            .SkipWhile(l => l.Length == 0 || l.StartsWith("Original Line:", StringComparison.Ordinal))
            .TakeWhile(l => l.Length > 0 && !l.StartsWith("Possible", StringComparison.Ordinal)));
        return $"{where}: {(problem.Length > 0 ? problem.TrimEnd('.') : "DuckDB cannot read it")}{quoted}; fix or remove that line in the file.";
    }

    /// <summary>The lines DuckDB skipped while reading with store_rejects, from the connection's reject_errors, in file order.</summary>
    /// <param name="connection">The connection that read the files.</param>
    /// <param name="columns">The columns read, in order (a line's column is its index here).</param>
    /// <param name="table">The table's source name, for the <c>--cast table.column=text</c> a reason suggests.</param>
    /// <param name="nameFiles">Whether a reason names the file (the table has several).</param>
    public static IReadOnlyList<SkippedLine> SkippedLines(Native.DuckDbConnection connection, IReadOnlyList<string> columns, string table, bool nameFiles)
    {
        var lines = new List<SkippedLine>();
        var indexes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var c = 0; c < columns.Count; c++)
            indexes.TryAdd(columns[c], c); // the first of a name, as a search would find it
        foreach (var row in connection.QueryText(
            "SELECT e.line::VARCHAR, e.column_name, e.error_type::VARCHAR, e.csv_line, e.error_message, s.file_path " +
            "FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id) ORDER BY e.scan_id, e.file_id, e.line, e.column_idx"))
        {
            var (number, column, type, text, message) = (row[0] ?? "?", row[1], row[2] ?? "", row[3], row[4] ?? "");
            var line = nameFiles && row[5] is { } file ? $"{number} of {file}" : number;
            var index = column is not null && indexes.TryGetValue(column, out var i) ? i : -1;
            var quoted = text is null ? "" : $" (the line: {Shorten(text.TrimEnd('\r', '\n'))})";
            if (type == "CAST" && Converted().Match(message) is { Success: true } cast && index >= 0)
            {
                lines.Add(new SkippedLine(index, cast.Groups["value"].Value,
                    $"line {line}: could not convert \"{cast.Groups["value"].Value}\" to {cast.Groups["type"].Value}{quoted}; --cast {table}.{column}=text loads the column as text"));
                continue;
            }

            if (FieldCount().Match(message) is { Success: true } count)
            {
                lines.Add(new SkippedLine(-1, text, $"line {line}: {FieldCountText(count)}{quoted}"));
                continue;
            }

            var what = message.Split('\n')[0].Trim().TrimEnd('.');
            lines.Add(new SkippedLine(index, text, $"line {line}: {(what.Length > 0 ? FirstLower(what) : type.ToLowerInvariant().Replace('_', ' '))}{quoted}"));
        }

        return lines;
    }

    static string FieldCountText(Match count)
    {
        var (expected, found) = (int.Parse(count.Groups["expected"].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(count.Groups["found"].Value, System.Globalization.CultureInfo.InvariantCulture));
        return $"{(found > expected ? "too many" : "too few")} fields: {found}, where the file has {expected} columns";
    }

    static string Shorten(string line) => line.Length <= 200 ? line : line[..200] + "…";

    static string FirstLower(string text) => text.Length > 0 ? char.ToLowerInvariant(text[0]) + text[1..] : text;

    [GeneratedRegex(@"CSV Error on Line: (?<n>\d+)")]
    private static partial Regex LineNumber();

    [GeneratedRegex(@"^\s*file = (?<file>.+)$", RegexOptions.Multiline)]
    private static partial Regex FileSetting();

    [GeneratedRegex(@"^Original Line: (?<line>.*)$", RegexOptions.Multiline)]
    private static partial Regex OriginalLine();

    [GeneratedRegex(@"Error when converting column ""(?<column>(?:[^""]|"""")*)""\. (?<what>[^\n]*)")]
    private static partial Regex Conversion();

    [GeneratedRegex(@"Could not convert string ""(?<value>.*)"" to '(?<type>[^']*)'", RegexOptions.Singleline)]
    private static partial Regex Converted();

    [GeneratedRegex(@"Expected Number of Columns: (?<expected>\d+) Found: (?<found>\d+)")]
    private static partial Regex FieldCount();
}
