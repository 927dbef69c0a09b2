namespace Ferry.Schema;

/// <summary>
/// A compatibility view (<c>--compat-views</c>): under a renamed table's source schema and name, its columns under
/// their source names, over the copied table, so that queries written for the old names keep working.
/// </summary>
public sealed record CompatView(PlannedTable Table, string Schema, string Name)
{
    /// <summary><c>schema.name</c>, quoted where needed, for SQL.</summary>
    public string QualifiedName => Identifiers.Qualify(Schema, Name);

    /// <summary><c>schema.name</c>, unquoted, for people.</summary>
    public string DisplayName => Schema + "." + Name;

    /// <summary>The view for every table of the plan whose schema, name or a column's name changed (a source with schemas).</summary>
    internal static List<CompatView> For(IReadOnlyList<PlannedTable> tables, string source)
    {
        var views = new List<CompatView>();
        foreach (var table in tables)
        {
            if (table.Source.SourceSchema is not { } schema)
                throw new FerryException($"--compat-views: {source} has no schemas; compatibility views keep a PostgreSQL source's schema, table and column names.");
            var renamed = schema != table.TargetSchema || table.Source.SourceName != table.TargetName || table.Columns.Any(c => c.SourceName != c.TargetName);
            if (!renamed)
                continue;
            if (tables.FirstOrDefault(t => t.TargetSchema == schema && t.TargetName == table.Source.SourceName) is { } taken)
            {
                throw new FerryException(
                    $"--compat-views: the view {schema}.{table.Source.SourceName} for the old names of {table.DisplayName} would take the name of the copied table {taken.DisplayName}. " +
                    "Nothing was written. Map the schema to another (--schema-map) so the old names stay free for the views.");
            }

            views.Add(new CompatView(table, schema, table.Source.SourceName));
        }

        return views;
    }
}
