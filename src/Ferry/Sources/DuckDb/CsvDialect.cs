using System.Globalization;
using System.Text;
using Ferry.Internal;
using Ferry.Sources.DuckDb.Native;

namespace Ferry.Sources.DuckDb;

/// <summary>A CSV column as read: its name and its DuckDB type (SQL text, e.g. <c>BIGINT</c>).</summary>
internal readonly record struct CsvColumn(string Name, string Type);

/// <summary>
/// How one CSV file is split and typed: what DuckDB's sniffer found (<c>sniff_csv</c>), with the user's overrides.
/// Every read passes all of it to <c>read_csv</c> with <c>auto_detect = false</c>, so planning, loading and verifying
/// read the file alike: a sniffer run again (with <c>store_rejects</c>, or on other files) can guess another layout.
/// </summary>
internal sealed record CsvDialect
{
    public required string Delimiter { get; init; }

    /// <summary>The quote character; empty: none.</summary>
    public required string Quote { get; init; }

    public required string Escape { get; init; }

    /// <summary>DuckDB's spelling of the line end: <c>\n</c>, <c>\r\n</c> or <c>\r</c> (backslash escapes); empty: DuckDB's default.</summary>
    public required string NewLine { get; init; }

    public required string Comment { get; init; }

    /// <summary>Lines before the header (or the first row): a preamble.</summary>
    public required int Skip { get; init; }

    public required bool Header { get; init; }

    public string? DateFormat { get; init; }

    public string? TimestampFormat { get; init; }

    public required IReadOnlyList<CsvColumn> Columns { get; init; }

    public string? NullString { get; init; }

    public bool Strict { get; init; } = true;

    /// <summary>What DuckDB's sniffer finds in <paramref name="file"/> given the user's <paramref name="options"/>.</summary>
    /// <exception cref="FerryException">DuckDB's message, as it is, when the sniffer finds no dialect.</exception>
    public static CsvDialect Sniff(DuckDbConnection connection, string file, CsvOptions options)
    {
        var dialect = SniffOnce(connection, file, options);
        if (options.Quote is not null || dialect.Quote.Length > 0)
            return dialect;
        // No quote in the rows sampled: a quoted field further down (a comma in a comment) still reads as RFC 4180 has it,
        // unless quoting with " breaks the sample (a field starting with " that does not end with one).
        try
        {
            var quoted = SniffOnce(connection, file, options with { Quote = "\"" });
            return quoted.Delimiter == dialect.Delimiter && quoted.Columns.SequenceEqual(dialect.Columns) ? quoted : dialect;
        }
        catch (FerryException)
        {
            return dialect;
        }
    }

    static CsvDialect SniffOnce(DuckDbConnection connection, string file, CsvOptions options)
    {
        var arguments = new StringBuilder();
        if (options.Header is { } header)
            arguments.Append(", header = ").Append(header ? "true" : "false");
        if (options.Delimiter is { } delimiter)
            arguments.Append(", delim = ").Append(DuckDbSource.Literal(delimiter));
        if (options.Quote is { } quote)
            arguments.Append(", quote = ").Append(DuckDbSource.Literal(quote));
        if (options.NullString is { } nullString)
            arguments.Append(", nullstr = ").Append(DuckDbSource.Literal(nullString));
        if (options.Strict == false)
            arguments.Append(", strict_mode = false");
        var row = connection.QueryText(
            "SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows::VARCHAR, HasHeader::VARCHAR, " +
            "to_json(list_transform(Columns, c -> c.name))::VARCHAR, to_json(list_transform(Columns, c -> c.type))::VARCHAR, DateFormat, TimestampFormat " +
            $"FROM sniff_csv({DuckDbSource.Literal(file)}{arguments})")[0];
        var names = JsonText.StringArray(row[7] ?? "null");
        var types = JsonText.StringArray(row[8] ?? "null");
        var quoteCharacter = Setting(row[1]);
        return new CsvDialect
        {
            Delimiter = Setting(row[0]),
            Quote = quoteCharacter,
            // A quote with no escape found: a doubled quote inside a quoted field is RFC 4180's escape, not an error.
            Escape = Setting(row[2]) is { Length: > 0 } escape ? escape : quoteCharacter,
            NewLine = Setting(row[3]) is var newLine && newLine is "\\n" or "\\r\\n" or "\\r" ? newLine : "",
            Comment = Setting(row[4]),
            Skip = int.Parse(row[5] ?? "0", CultureInfo.InvariantCulture),
            Header = row[6] == "true",
            Columns = [.. names.Zip(types, (n, t) => new CsvColumn(n, t))],
            DateFormat = Setting(row[9]) is { Length: > 0 } date ? date : null,
            TimestampFormat = Setting(row[10]) is { Length: > 0 } timestamp ? timestamp : null,
            NullString = options.NullString,
            Strict = options.Strict != false,
        };
    }

    /// <summary>sniff_csv spells an empty setting "(empty)".</summary>
    static string Setting(string? value) => value is null or "(empty)" ? "" : value;

    /// <summary>
    /// <c>read_csv</c> of <paramref name="files"/> (all of this dialect) with every setting explicit.
    /// </summary>
    /// <param name="files">The files.</param>
    /// <param name="varcharColumns">Columns read as VARCHAR whatever their type (a --cast to text, a digits check).</param>
    /// <param name="storeRejects">Skip the lines DuckDB cannot read, listing them in the connection's reject_errors.</param>
    public string ReadCsv(IEnumerable<string> files, IReadOnlySet<string> varcharColumns, bool storeRejects)
    {
        var sql = new StringBuilder("read_csv([").AppendJoin(", ", files.Select(DuckDbSource.Literal)).Append("], ").Append(Settings(varcharColumns));
        if (storeRejects)
            sql.Append(", store_rejects = true");
        return sql.Append(')').ToString();
    }

    /// <summary>The read_csv arguments after the files: equal for files one read_csv can read together.</summary>
    public string Settings(IReadOnlySet<string> varcharColumns)
    {
        var sql = new StringBuilder("auto_detect = false");
        sql.Append(", delim = ").Append(DuckDbSource.Literal(Delimiter))
            .Append(", quote = ").Append(DuckDbSource.Literal(Quote))
            .Append(", escape = ").Append(DuckDbSource.Literal(Escape));
        if (NewLine.Length > 0)
            sql.Append(", new_line = ").Append(DuckDbSource.Literal(NewLine));
        sql.Append(CultureInfo.InvariantCulture, $", skip = {Skip}")
            .Append(", comment = ").Append(DuckDbSource.Literal(Comment))
            .Append(", header = ").Append(Header ? "true" : "false")
            .Append(", columns = {")
            .AppendJoin(", ", Columns.Select(c => DuckDbSource.Literal(c.Name) + ": " + DuckDbSource.Literal(varcharColumns.Contains(c.Name) ? "VARCHAR" : c.Type)))
            .Append('}');
        if (DateFormat is { } date)
            sql.Append(", dateformat = ").Append(DuckDbSource.Literal(date));
        if (TimestampFormat is { } timestamp)
            sql.Append(", timestampformat = ").Append(DuckDbSource.Literal(timestamp));
        if (NullString is { } nullString)
            sql.Append(", nullstr = ").Append(DuckDbSource.Literal(nullString));
        if (!Strict)
            sql.Append(", strict_mode = false");
        return sql.ToString();
    }
}
