using Ferry.Transforms.Spec;

namespace Ferry.Transforms;

/// <summary>
/// Where a transform file names each table, column and row filter that it put into the options (<c>transform.yml, line 3
/// (transform.users.columns.email)</c>), so that a refusal at planning (a table or column the source lacks, a <c>where</c>
/// the engine rejects) names the file's line and key rather than an option the user never wrote.
/// </summary>
public sealed class TransformOrigins
{
    readonly Dictionary<string, string> _tables = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> _columns = new(StringComparer.Ordinal);
    readonly Dictionary<string, string> _filters = new(StringComparer.Ordinal);

    /// <summary>No transform: every refusal names the option.</summary>
    public static TransformOrigins None { get; } = new();

    TransformOrigins() { }

    /// <summary>
    /// The origins of <paramref name="spec"/>'s tables, columns and filters, keyed as the options key them (source
    /// <c>table</c>, <c>table.column</c>); a filter <paramref name="givenFilters"/> already holds (<c>--where</c>) is not the file's.
    /// </summary>
    public static TransformOrigins Of(TransformSpec spec, IReadOnlyDictionary<string, string> givenFilters)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(givenFilters);
        var origins = new TransformOrigins();
        foreach (var table in spec.Tables.Where(t => !t.IsDerived))
        {
            var name = table.Table.Qualified;
            origins._tables[name] = table.Origin.Origin;
            foreach (var column in table.Columns)
                origins._columns[$"{name}.{column.Column}"] = column.Origin.Origin;
            if (table.Where is { } where && !givenFilters.ContainsKey(name))
                origins._filters[name] = where.Origin;
        }

        return origins;
    }

    /// <summary>Where the file names the source table <paramref name="table"/> (as the options key it); null when it does not.</summary>
    public string? Table(string table) => _tables.GetValueOrDefault(table);

    /// <summary>Where the file names <paramref name="column"/> (<c>table.column</c>, as the options key it); null when it does not.</summary>
    public string? Column(string column) => _columns.GetValueOrDefault(column);

    /// <summary>Where the file gives the <c>where:</c> of <paramref name="table"/>; null when the filter is not the file's.</summary>
    public string? Filter(string table) => _filters.GetValueOrDefault(table);
}
