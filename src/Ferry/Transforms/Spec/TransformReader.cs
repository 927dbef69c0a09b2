using Ferry.Project;
using YamlDotNet.RepresentationModel;

namespace Ferry.Transforms.Spec;

/// <summary>
/// Reads a <c>transform</c> section's tables strictly, as the rest of the project file is read: an unknown key, a
/// value of the wrong shape or keys that contradict each other are refused naming the file, the line and the key.
/// Values are taken as written (no <c>${VAR}</c>): SQL and bcrypt hashes hold <c>$</c>.
/// </summary>
internal static class TransformReader
{
    internal static readonly string[] TableKeys = ["rename", "schema", "where", "columns", "add", "query", "primary_key"];

    /// <summary>The section's tables; an absent section is an empty transform.</summary>
    public static TransformSpec Read(YamlMap? section)
    {
        if (section is null)
            return TransformSpec.Empty;
        var tables = new List<TableTransform>();
        foreach (var (key, node, line) in section.Entries)
        {
            var name = SourceTableName.Parse(key, out var problem)
                ?? throw Problem(section, line, $"'{key}' in {Where(section)} is not a table name: {problem}.");
            if (tables.FirstOrDefault(t => t.Table.Qualified == name.Qualified) is { } twice)
                throw Problem(section, line, $"{section.Path(key)} names the table {name} again (line {twice.Origin.Line}).");
            tables.Add(Table(section, key, name, node, line));
        }

        return new TransformSpec(tables);
    }

    static TableTransform Table(YamlMap section, string key, SourceTableName name, YamlNode node, int line)
    {
        var map = YamlMap.Of(node, section.File, section.Path(key), TableKeys);
        var origin = new ProjectValue(key, section.File, line, map.Where);
        var query = NonEmpty(map, "query");
        if (query is not null)
        {
            if (new[] { "where", "columns", "add", "rename" }.FirstOrDefault(k => map.Node(k) is not null) is { } mixed)
            {
                throw map.Problem(map.Node(mixed)!, $"{map.Path(mixed)}: {map.Where} is a derived table (it has a query), which takes no {mixed}: " +
                    "its query gives its rows, columns and names. Transform a source table under its own name instead.");
            }
        }
        else if (map.Node("primary_key") is { } key2)
        {
            throw map.Problem(key2, $"{map.Path("primary_key")} is for a derived table (one with a query); a source table keeps its own primary key.");
        }

        if (name.Schema is not null && query is not null)
            throw map.Problem(node, $"{map.Where}: a derived table is named by its target name alone; give its schema with schema:.");
        var columns = ColumnTransformReader.Columns(map.Map("columns", []));
        return new TableTransform(name, origin)
        {
            Rename = NonEmpty(map, "rename")?.Text,
            Schema = NonEmpty(map, "schema")?.Text,
            Where = NonEmpty(map, "where"),
            Query = query,
            PrimaryKey = Names(map, "primary_key") ?? [],
            Columns = columns,
            Add = ColumnTransformReader.Added(map.Map("add", []), columns),
        };
    }

    /// <summary>A text value that must not be empty when given.</summary>
    internal static ProjectValue? NonEmpty(YamlMap map, string key) =>
        map.Text(key) is not { } value ? null
        : value.Text.Trim().Length > 0 ? value
        : throw map.Problem(map.Node(key)!, $"{value.Key} is empty: give a value, or leave the key out.");

    /// <summary>A list of names (<c>[day]</c>, <c>[utm_source, referrer]</c>): not empty, no name twice.</summary>
    internal static IReadOnlyList<string>? Names(YamlMap map, string key)
    {
        if (map.Node(key) is not { } node)
            return null;
        if (node is not YamlSequenceNode list)
            throw map.Problem(node, $"{map.Path(key)} must be a list of column names ([a, b]), not {(node is YamlMappingNode ? "a mapping" : $"the value '{((YamlScalarNode)node).Value}'")}.");
        var names = new List<string>();
        foreach (var item in list.Children)
        {
            if (item is not YamlScalarNode { Value: { } name } || name.Trim().Length == 0)
                throw map.Problem(item, $"{map.Path(key)} must list column names; this item is not one.");
            if (names.Contains(name))
                throw map.Problem(item, $"{map.Path(key)} names the column '{name}' twice.");
            names.Add(name);
        }

        return names.Count > 0 ? names : throw map.Problem(node, $"{map.Path(key)} is empty: name at least one column.");
    }

    internal static FerryException Problem(YamlMap map, int line, string message) =>
        new($"{map.File}, line {line}: {message}", FailureKind.Configuration);

    static string Where(YamlMap map) => map.Where.Length == 0 ? "the file" : map.Where;
}
