using Ferry.Schema;

namespace Ferry.Sources;

/// <summary>
/// Attaches <see cref="SourceOptions.Filters"/> (<c>--where 'table: condition'</c>) to the discovered tables they name, each
/// checked by its engine before anything is written: one rule for every source.
/// </summary>
internal static class SourceFilters
{
    /// <summary>
    /// Sets each named table's <see cref="TableModel.SourceFilter"/>. A table named <c>schema.name</c> or <c>name</c> (exactly;
    /// when none is, ignoring case) among <paramref name="model"/>'s tables.
    /// </summary>
    /// <param name="model">The discovered tables (those selected).</param>
    /// <param name="options">Its filters (source table → condition) and the transform's origins of those it gave.</param>
    /// <param name="description">The source, as errors name it.</param>
    /// <param name="engineRefusal">The engine's message for a condition it cannot run on a table; null when it runs.</param>
    public static void Attach(SourceModel model, SourceOptions options, string description, Func<TableModel, string, string?> engineRefusal)
    {
        foreach (var (named, condition) in options.Filters)
        {
            // A transform's where: is named by its file's line and key, a --where by the option.
            var origin = options.Origins.Filter(named);
            var what = origin ?? $"--where '{named}: …'";
            var table = Find(model.Tables, named, what, description);
            SqlCondition.Check(condition, what);
            if (engineRefusal(table, condition) is { } refusal)
                throw new FerryException($"{origin ?? $"--where '{named}: {condition}'"}: {description} cannot read table {table.QualifiedSourceName} with it: {SqlCondition.EngineMessage(refusal)}. Nothing was written.", FailureKind.Configuration);
            table.SourceFilter = condition;
            table.Applied.Add($"Rows read WHERE ({condition}) ({(origin is null ? "--where" : "the transform's where")}); those it leaves out are counted as filtered.");
        }
    }

    static TableModel Find(IReadOnlyList<TableModel> tables, string named, string what, string description)
    {
        foreach (var comparison in (ReadOnlySpan<StringComparison>)[StringComparison.Ordinal, StringComparison.OrdinalIgnoreCase])
        {
            var matches = tables.Where(t => string.Equals(t.QualifiedSourceName, named, comparison)).ToList();
            if (matches.Count == 0)
                matches = tables.Where(t => string.Equals(t.SourceName, named, comparison)).ToList();
            if (matches.Count > 1)
                throw new FerryException($"{what}: tables of several schemas are named '{named}' ({string.Join(", ", matches.Select(t => t.QualifiedSourceName))}); write schema.table.", FailureKind.Configuration);
            if (matches.Count == 1)
                return matches[0];
        }

        throw new FerryException($"{what}: {description} has no table '{named}' among those copied. Its tables are: {string.Join(", ", tables.Select(t => t.QualifiedSourceName))}. Nothing was written.", FailureKind.Configuration);
    }
}
