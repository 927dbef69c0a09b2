namespace Ferry.Sources.DuckDb;

/// <summary>CSV reading options (<c>csv:GLOB</c>); anything left null is DuckDB's sniffer's choice.</summary>
public sealed record CsvOptions : IEngineOptions
{
    public bool? Header { get; init; }

    public string? Delimiter { get; init; }

    public string? Quote { get; init; }

    /// <summary>The text that means NULL (e.g. <c>NA</c>, <c>\N</c>).</summary>
    public string? NullString { get; init; }

    /// <summary>
    /// False reads files DuckDB's strict parser refuses (mixed CRLF and LF line ends); DuckDB then also drops the
    /// extra fields of a line that has too many and may join lines at a stray quote. Null or true: strict.
    /// </summary>
    public bool? Strict { get; init; }
}
