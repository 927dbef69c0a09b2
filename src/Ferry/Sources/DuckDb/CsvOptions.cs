namespace Ferry.Sources.DuckDb;

/// <summary>CSV reading options (<c>csv:GLOB</c>); anything left null is DuckDB's sniffer's choice.</summary>
public sealed record CsvOptions
{
    public bool? Header { get; init; }

    public string? Delimiter { get; init; }

    public string? Quote { get; init; }

    /// <summary>The text that means NULL (e.g. <c>NA</c>, <c>\N</c>).</summary>
    public string? NullString { get; init; }
}
