namespace Ferry.Sources.DuckDb;

/// <summary>
/// The files of one CSV table and how each is read: files whose dialects (and columns) agree share one
/// <c>read_csv</c>; several such groups are combined by column name, as <c>union_by_name</c> would.
/// </summary>
internal sealed record CsvLayout(IReadOnlyList<CsvLayout.Group> Groups)
{
    /// <summary>Files read with one dialect.</summary>
    public sealed record Group(CsvDialect Dialect, IReadOnlyList<string> Files);

    public IReadOnlyList<string> Files => [.. Groups.SelectMany(g => g.Files)];

    /// <summary>The FROM clause reading every file.</summary>
    /// <param name="varcharColumns">Columns read as VARCHAR whatever their type (a --cast to text, a digits check).</param>
    /// <param name="storeRejects">Skip the lines DuckDB cannot read, listing them in the connection's reject_errors.</param>
    public string FromSql(IReadOnlySet<string> varcharColumns, bool storeRejects) => Groups.Count == 1
        ? Groups[0].Dialect.ReadCsv(Groups[0].Files, varcharColumns, storeRejects)
        : "(" + string.Join(" UNION ALL BY NAME ", Groups.Select(g => "SELECT * FROM " + g.Dialect.ReadCsv(g.Files, varcharColumns, storeRejects))) + ")";

    /// <summary>Groups files by their dialects' read_csv settings, in file order.</summary>
    public static CsvLayout Of(IEnumerable<(string File, CsvDialect Dialect)> files) => new(
        [.. files.GroupBy(f => f.Dialect.Settings(NoColumns), StringComparer.Ordinal)
            .Select(g => new Group(g.First().Dialect, [.. g.Select(f => f.File)]))]);

    /// <summary>An empty set of column names, case-insensitive as DuckDB's are.</summary>
    public static readonly IReadOnlySet<string> NoColumns = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
}
