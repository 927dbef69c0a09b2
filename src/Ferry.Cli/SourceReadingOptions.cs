using System.CommandLine;
using Ferry.Sources;
using Ferry.Sources.DuckDb;
using Ferry.Sources.Postgres;

namespace Ferry.Cli;

/// <summary>
/// How a source's values are read: <c>copy</c> takes them to load, <c>verify</c> to read the source exactly as that
/// copy did (a row the copy rejected for invalid UTF-8, or a CSV split on another delimiter, would differ).
/// </summary>
internal sealed class SourceReadingOptions
{
    readonly Option<string> _invalidUtf8 = new("--invalid-utf8") { Description = "TEXT that is not UTF-8: repair (decode as Windows-1252, logged) or reject the row", DefaultValueFactory = _ => "repair" };
    readonly Option<string?> _csvHeader = new("--csv-header") { Description = "csv: whether the files start with a header line (default: DuckDB's sniffer decides)", HelpName = "true|false" };
    readonly Option<string?> _csvDelimiter = new("--csv-delimiter") { Description = "csv: the column delimiter (default: sniffed)", HelpName = "C" };
    readonly Option<string?> _csvQuote = new("--csv-quote") { Description = "csv: the quote character (default: sniffed)", HelpName = "C" };
    readonly Option<string?> _csvNull = new("--csv-null") { Description = "csv: the text that means NULL (default: empty)", HelpName = "TEXT" };
    readonly Option<string?> _sourceSchemas = new("--source-schemas") { Description = "postgres: the source schemas read (default: every schema but the system's)", HelpName = "a,b" };
    readonly Option<string[]> _schemaMap = new("--schema-map") { Description = "postgres: a source schema's objects go to another target schema (repeatable)", HelpName = "old=new", AllowMultipleArgumentsPerToken = false };
    readonly Option<string[]> _where = new("--where") { Description = "Read only a table's rows matching an SQL condition in the source engine's dialect, run by the source (repeatable)", HelpName = "'table: condition'", AllowMultipleArgumentsPerToken = false };
    readonly Option<string?> _csvStrict = new("--csv-strict") { Description = "csv: false reads files DuckDB's strict parser refuses (mixed CRLF/LF line ends); lenient: extra fields are dropped (default: true)", HelpName = "true|false" };

    public SourceReadingOptions()
    {
        _invalidUtf8.AcceptOnlyFromAmong("repair", "reject");
        _csvHeader.AcceptOnlyFromAmong("true", "false");
        _csvStrict.AcceptOnlyFromAmong("true", "false");
    }

    /// <summary>Adds the options to a command, <c>--invalid-utf8</c> and <c>--where</c> first, then the PostgreSQL source's, and the CSV ones last.</summary>
    public void AddTo(Command command, params Option[] between)
    {
        command.Add(_invalidUtf8);
        foreach (var option in between)
            command.Add(option);
        command.Add(_where);
        command.Add(_sourceSchemas);
        command.Add(_schemaMap);
        command.Add(_csvHeader);
        command.Add(_csvDelimiter);
        command.Add(_csvQuote);
        command.Add(_csvNull);
        command.Add(_csvStrict);
    }

    public InvalidUtf8Handling InvalidUtf8(ParseResult parse) =>
        parse.GetValue(_invalidUtf8) == "reject" ? InvalidUtf8Handling.Reject : InvalidUtf8Handling.Repair;

    /// <summary><c>--where 'table: condition'</c>: the source tables' filters, for every engine.</summary>
    public IReadOnlyDictionary<string, string> Filters(ParseResult parse) => SourceOptions.ParseFilters(parse.GetValue(_where) ?? []);

    /// <summary>Each engine's own options: the CSV reader's and the PostgreSQL source's (<c>copy</c>'s --with-functions among them).</summary>
    public IReadOnlyList<IEngineOptions> Engines(ParseResult parse, bool withFunctions = false) => [Csv(parse), Postgres(parse, withFunctions)];

    PostgresOptions Postgres(ParseResult parse, bool withFunctions) => new()
    {
        WithFunctions = withFunctions,
        SourceSchemas = SharedOptions.TableList(parse.GetValue(_sourceSchemas)) ?? [],
        SchemaMap = PostgresOptions.ParseSchemaMap(parse.GetValue(_schemaMap) ?? []),
    };

    CsvOptions Csv(ParseResult parse) => new()
    {
        Header = parse.GetValue(_csvHeader) is { } header ? header == "true" : null,
        Delimiter = parse.GetValue(_csvDelimiter),
        Quote = parse.GetValue(_csvQuote),
        NullString = parse.GetValue(_csvNull),
        Strict = parse.GetValue(_csvStrict) is { } strict ? strict == "true" : null,
    };
}
