using System.Text.RegularExpressions;

namespace Ferry.Sources.DuckDb;

/// <summary>
/// DuckDB's error for a CSV line it cannot read ('CSV Error on Line: N', the original line, what went wrong,
/// then its sniffer's settings) as one line: the file, the line number, the column and value, and the way out.
/// </summary>
internal static partial class CsvReadError
{
    /// <summary>The line for <paramref name="duckDbMessage"/>, or null when it is not an error DuckDB's CSV reader explains.</summary>
    /// <param name="duckDbMessage">DuckDB's message.</param>
    /// <param name="table">The table's source name, for the <c>--cast table.column=text</c> it suggests.</param>
    public static string? Describe(string duckDbMessage, string table)
    {
        var line = LineNumber().Match(duckDbMessage);
        var file = FileSetting().Match(duckDbMessage) is { Success: true } f ? f.Groups["file"].Value.Trim() : null;
        if (!line.Success)
        {
            // No line to name: the parser's state machine failed (line ends that change kind after the rows the sniffer saw, a stray quote).
            return duckDbMessage.Contains("state machine reached an invalid state", StringComparison.Ordinal)
                ? $"{file ?? "the file"}: DuckDB's strict CSV parser reached an invalid state past the rows its sniffer sampled, e.g. at line ends " +
                  "that change from LF to CRLF; convert them to one kind, or read it with --csv-strict false (lenient: it also drops extra fields)"
                : null;
        }

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

    /// <summary>
    /// The lines DuckDB skipped while reading with store_rejects, from the connection's reject_errors, in file order:
    /// one per line, whatever the number of its errors (DuckDB lists each), with all of them in the reason.
    /// </summary>
    /// <param name="connection">The connection that read the files.</param>
    /// <param name="columns">The columns read, in order (a line's column is its index here).</param>
    /// <param name="table">The table's source name, for the <c>--cast table.column=text</c> a reason suggests.</param>
    /// <param name="nameFiles">Whether a reason names the file (the table has several).</param>
    public static IReadOnlyList<SkippedLine> SkippedLines(Native.DuckDbConnection connection, IReadOnlyList<string> columns, string table, bool nameFiles)
    {
        var indexes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var c = 0; c < columns.Count; c++)
            indexes.TryAdd(columns[c], c); // the first of a name, as a search would find it
        var errors = connection.QueryText(
            "SELECT e.scan_id::VARCHAR || '/' || e.file_id::VARCHAR || '/' || e.line::VARCHAR, e.line::VARCHAR, e.column_name, e.error_type::VARCHAR, " +
            "e.csv_line, e.error_message, s.file_path FROM reject_errors e JOIN reject_scans s USING (scan_id, file_id) " +
            "ORDER BY e.scan_id, e.file_id, e.line, e.column_idx");
        return [.. errors.GroupBy(e => e[0]).Select(line => Skipped([.. line], indexes, table, nameFiles))];
    }

    /// <summary>One skipped line from its errors (reject_errors rows of one line).</summary>
    static SkippedLine Skipped(IReadOnlyList<string?[]> errors, Dictionary<string, int> indexes, string table, bool nameFiles)
    {
        var (line, text, file) = (errors[0][1] ?? "?", errors[0][4], errors[0][6]);
        var problems = new List<string>();
        var advice = new List<string>();
        var blamed = new List<(int Column, string? Value)>();
        foreach (var error in errors)
        {
            var (column, type, message) = (error[2], error[3] ?? "", error[5] ?? "");
            var index = column is not null && indexes.TryGetValue(column, out var i) ? i : -1;
            if (type == "CAST" && Converted().Match(message) is { Success: true } cast && index >= 0)
            {
                problems.Add($"could not convert \"{cast.Groups["value"].Value}\" to {cast.Groups["type"].Value}");
                advice.Add($"--cast {table}.{column}=text loads the column as text");
                blamed.Add((index, cast.Groups["value"].Value));
            }
            else if (FieldCount().Match(message) is { Success: true } count)
            {
                problems.Add(FieldCountText(count));
                blamed.Add((-1, text));
            }
            else
            {
                var what = message.Split('\n')[0].Trim().TrimEnd('.');
                problems.Add(what.Length > 0 ? FirstLower(what) : type.ToLowerInvariant().Replace('_', ' '));
                blamed.Add((index, text));
            }
        }

        var quoted = text is null ? "" : $" (the line: {Shorten(text.TrimEnd('\r', '\n'))})";
        var where = nameFiles && file is not null ? $"line {line} of {file}" : $"line {line}";
        var reason = $"{where}: {string.Join("; ", problems)}{quoted}{string.Concat(advice.Distinct().Select(a => "; " + a))}";
        // One column to blame keeps its value; several, or none, keep the whole line.
        return blamed.Select(b => b.Column).Distinct().Count() == 1 ? new SkippedLine(blamed[0].Column, blamed[0].Value, reason) : new SkippedLine(-1, text, reason);
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
