using Ferry.Schema;

namespace Ferry.Sources;

/// <summary>The rules every engine's derived tables (<see cref="SourceOptions.DerivedTables"/>) share: checks, names, keys.</summary>
internal static class DerivedTables
{
    /// <summary>
    /// Refuses a derived table whose query would not stay one statement inside parentheses, or whose name a source table
    /// (or another derived table) has; returns what its table is read from: <c>(query) AS "name"</c>, quoted by <paramref name="quote"/>.
    /// </summary>
    public static string Check(SourceModel model, DerivedTable derived, string description, Func<string, string> quote)
    {
        if (string.IsNullOrWhiteSpace(derived.Name))
            throw new FerryException($"A derived table of {description} has no name.", FailureKind.Configuration);
        SqlCondition.Check(derived.Query, $"Derived table '{derived.Name}' (query)");
        if (model.Tables.FirstOrDefault(t => string.Equals(t.SourceName, derived.Name, StringComparison.OrdinalIgnoreCase)) is { } taken)
            throw new FerryException($"Derived table '{derived.Name}': {description} has a table {taken.QualifiedSourceName} of that name; give the derived table another.", FailureKind.Configuration);
        return $"({derived.Query}) AS {quote(derived.Name)}";
    }

    /// <summary>The refusal of a query the engine cannot run, naming the derived table and the engine's message.</summary>
    public static FerryException Refused(DerivedTable derived, string description, string message) =>
        new($"Derived table '{derived.Name}': {description} cannot run its query: {SqlCondition.EngineMessage(message)}. Nothing was written.", FailureKind.Configuration);

    /// <summary>
    /// Names the table (<paramref name="names"/> gives its target name), marks it derived and gives it its primary key; a key
    /// column the query does not return is refused, naming it and those it returns.
    /// </summary>
    public static TableModel Complete(TableModel table, DerivedTable derived, NamingRule names)
    {
        var missing = derived.PrimaryKey.Where(k => !table.Columns.Any(c => c.SourceName == k)).ToList();
        if (missing.Count > 0)
        {
            throw new FerryException(
                $"Derived table '{derived.Name}': primary_key names {string.Join(", ", missing.Select(m => $"'{m}'"))}, which its query does not return. It returns: {string.Join(", ", table.Columns.Select(c => c.SourceName))}.",
                FailureKind.Configuration);
        }

        var derivedTable = new TableModel
        {
            SourceSchema = table.SourceSchema,
            SourceName = derived.Name,
            TargetName = names.Apply(derived.Name),
            TargetSchema = table.TargetSchema,
            Columns = table.Columns,
            Notes = table.Notes,
            Applied = [$"Derived table: read from the source's query ({derived.Query}), in one piece."],
            SourceQuery = derived.Query,
            EstimatedRows = table.EstimatedRows,
            SourceState = table.SourceState,
            BinaryValues = table.BinaryValues,
        };
        if (derived.PrimaryKey.Count > 0)
        {
            foreach (var column in derived.PrimaryKey)
                derivedTable.Column(column).NotNull = true;
            derivedTable.PrimaryKey = new KeyModel(null, derived.PrimaryKey); // source names: the planner gives their target names
        }

        return derivedTable;
    }
}
