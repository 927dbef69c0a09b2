using System.Globalization;
using Ferry.Project;
using Ferry.Schema;
using YamlDotNet.RepresentationModel;

namespace Ferry.Transforms.Spec;

/// <summary>Reads a table's <c>columns:</c> and <c>add:</c> (see <see cref="TransformReader"/>).</summary>
internal static class ColumnTransformReader
{
    internal static readonly string[] ColumnKeys = ["hash", "cost", "normalize", "validate", "region", "invalid", "map", "unmapped", "default", "type", "drop", "rename"];

    internal static readonly string[] AddKeys = ["json", "drop"];

    /// <summary>The hash algorithms, validations and normalizations a transform may name.</summary>
    internal static readonly string[] Hashes = ["bcrypt"];

    internal static readonly string[] Validations = ["email", "phone", "ip"];

    internal static readonly string[] Normalizations = ["lower", "upper", "trim", "lower_trim", "e164"];

    /// <summary>bcrypt's work factors.</summary>
    const int MinCost = 4, MaxCost = 31;

    public static IReadOnlyList<ColumnTransform> Columns(YamlMap? map)
    {
        if (map is null)
            return [];
        var columns = new List<ColumnTransform>();
        foreach (var (name, node, line) in map.Entries)
        {
            if (name.Trim().Length == 0)
                throw TransformReader.Problem(map, line, $"a column in {map.Where} has an empty name.");
            columns.Add(Column(YamlMap.Of(node, map.File, map.Path(name), ColumnKeys), name, line));
        }

        var kept = columns.Where(c => !c.Drop && c.Rename is null).Select(c => c.Column).ToHashSet(StringComparer.Ordinal);
        var renamed = new Dictionary<string, ColumnTransform>(StringComparer.Ordinal);
        foreach (var column in columns.Where(c => c.Rename is not null))
        {
            if (renamed.TryGetValue(column.Rename!, out var other))
                throw Refused(column, $"both {other.Column} (line {other.Origin.Line}) and {column.Column} are renamed to '{column.Rename}'.");
            if (kept.Contains(column.Rename!))
                throw Refused(column, $"{column.Column} is renamed to '{column.Rename}', which the column {column.Rename} keeps (rename or drop that one too).");
            renamed[column.Rename!] = column;
        }

        return columns;
    }

    static ColumnTransform Column(YamlMap map, string name, int line)
    {
        var drop = map.Boolean("drop") ?? false;
        if (drop && map.Entries.FirstOrDefault(e => e.Key != "drop") is { Key: not null } other && other.Value is not null)
            throw TransformReader.Problem(map, other.Line, $"{map.Path(other.Key)}: the column is dropped (drop: true), so it takes no {other.Key}.");
        var hash = Word(map, "hash", Hashes);
        var validate = Word(map, "validate", Validations);
        var mapped = Mapping(map);
        var column = new ColumnTransform(name, new ProjectValue(name, map.File, line, map.Where))
        {
            Drop = drop,
            Rename = TransformReader.NonEmpty(map, "rename")?.Text,
            Hash = hash,
            Cost = Cost(map),
            Normalize = Word(map, "normalize", Normalizations),
            Validate = validate,
            Region = Region(map),
            Invalid = Policy(map, "invalid"),
            Map = mapped,
            Unmapped = Policy(map, "unmapped"),
            Default = map.Text("default")?.Text,
            Type = TypeText(map),
        };
        Requires(map, "cost", hash is not null, "hash: bcrypt (a cost is the hash's work factor)");
        Requires(map, "invalid", validate is not null, "validate: (what is invalid is what the validation refuses)");
        Requires(map, "region", validate == "phone", "validate: phone (the region phone numbers are read in)");
        Requires(map, "unmapped", mapped is not null, "map: (what a value the map lacks becomes)");
        Requires(map, "default", mapped is not null, "map: (the value a value the map lacks becomes)");
        if (map.Node("unmapped") is not null && map.Node("default") is { } given)
            throw map.Problem(given, $"{map.Path("default")} and {map.Path("unmapped")} contradict each other: a value the map lacks either becomes the default or follows unmapped. Keep one.");
        if (column.EnumName is not null)
            EnumChecks(map, column);
        return column;
    }

    static void Requires(YamlMap map, string key, bool present, string what)
    {
        if (!present && map.Node(key) is { } node)
            throw map.Problem(node, $"{map.Path(key)} needs {what}.");
    }

    /// <summary>One of <paramref name="known"/>, with the nearest suggested for another.</summary>
    static string? Word(YamlMap map, string key, string[] known)
    {
        if (TransformReader.NonEmpty(map, key) is not { } value)
            return null;
        if (known.Contains(value.Text))
            return value.Text;
        var nearest = YamlMap.Nearest(value.Text, known);
        throw map.Problem(map.Node(key)!, $"{value.Key}: '{value.Text}' is not known{(nearest is null ? "" : $": did you mean '{nearest}'?")} Known: {string.Join(", ", known)}.");
    }

    static int? Cost(YamlMap map) =>
        map.Text("cost") is not { } value ? null
        : int.TryParse(value.Text, NumberStyles.None, CultureInfo.InvariantCulture, out var cost) && cost is >= MinCost and <= MaxCost ? cost
        : throw map.Problem(map.Node("cost")!, $"{value.Key} must be a whole number from {MinCost} to {MaxCost} (bcrypt's work factor), not '{value.Text}'.");

    static string? Region(YamlMap map) =>
        TransformReader.NonEmpty(map, "region") is not { } value ? null
        : value.Text.Length == 2 && value.Text.All(char.IsAsciiLetter) ? value.Text.ToUpperInvariant()
        : throw map.Problem(map.Node("region")!, $"{value.Key} must be a two-letter region code (US, GB, DE), not '{value.Text}'.");

    static TransformPolicy? Policy(YamlMap map, string key) =>
        TransformReader.NonEmpty(map, key) is not { } value ? null
        : value.Text switch
        {
            "reject" => TransformPolicy.Reject,
            "null" => TransformPolicy.Null,
            "keep" => TransformPolicy.Keep,
            _ => throw map.Problem(map.Node(key)!, $"{value.Key} must be reject, null or keep, not '{value.Text}'."),
        };

    static IReadOnlyList<KeyValuePair<string, string>>? Mapping(YamlMap map)
    {
        if (map.Node("map") is not { } node)
            return null;
        if (node is not YamlMappingNode mapping)
            throw map.Problem(node, $"{map.Path("map")} must be a mapping of old value to new value ({{ admin: ADMIN, user: MEMBER }}), not {(node is YamlSequenceNode ? "a list" : $"the value '{((YamlScalarNode)node).Value}'")}.");
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { } from } || value is not YamlScalarNode { Value: var to })
                throw map.Problem(key, $"{map.Path("map")} maps a value to a value; this entry maps {(key is YamlScalarNode ? "to" : "from")} a list or a mapping.");
            pairs.Add(new(from, to ?? ""));
        }

        return pairs.Count > 0 ? pairs : throw map.Problem(node, $"{map.Path("map")} is empty: map at least one value.");
    }

    /// <summary>The type as written: the column's steps decide which types they give (checked when the copy is planned).</summary>
    static string? TypeText(YamlMap map)
    {
        if (TransformReader.NonEmpty(map, "type") is not { } value)
            return null;
        var text = value.Text.Trim();
        if (!text.StartsWith("enum(", StringComparison.OrdinalIgnoreCase))
            return text;
        var name = text.EndsWith(')') ? text[5..^1].Trim() : "";
        var parts = name.Split('.');
        if (parts.Length > 2 || parts.Any(p => p.Length == 0))
            throw map.Problem(map.Node("type")!, $"{value.Key}: write enum(name) or enum(schema.name), the PostgreSQL enum type to create, not '{text}'.");
        if (parts.FirstOrDefault(Identifiers.IsTooLong) is { } longName)
            throw map.Problem(map.Node("type")!, $"{value.Key}: '{longName}' is longer than PostgreSQL's 63 bytes: give the enum a shorter name.");
        return "enum(" + name + ")";
    }

    /// <summary>An enum's labels are the map's values: each must be one, so no value may leave the map otherwise.</summary>
    static void EnumChecks(YamlMap map, ColumnTransform column)
    {
        var type = map.Node("type")!;
        var key = map.Path("type");
        if (column.Map is null)
            throw map.Problem(type, $"{key}: enum({column.EnumName}) takes its labels from map: give the column a map: of old values to the labels.");
        if (column.Unmapped == TransformPolicy.Keep)
            throw map.Problem(type, $"{key}: enum({column.EnumName}) cannot take unmapped: keep (a value the map lacks is not one of its labels); give unmapped: reject or null, or default: a label.");
        if (column.Hash is not null)
            throw map.Problem(type, $"{key}: enum({column.EnumName}) takes the mapped values, which hash: would replace; hash the column or type it as an enum, not both.");
        var labels = column.Map.Select(p => p.Value).Append(column.Default ?? "");
        if (labels.FirstOrDefault(Identifiers.IsTooLong) is { } label)
            throw map.Problem(type, $"{key}: '{label}' is longer than the 63 bytes PostgreSQL allows an enum label: map to a shorter one, or leave type out.");
    }

    public static IReadOnlyList<AddedColumn> Added(YamlMap? map, IReadOnlyList<ColumnTransform> columns)
    {
        if (map is null)
            return [];
        var added = new List<AddedColumn>();
        foreach (var (name, node, line) in map.Entries)
        {
            var entry = YamlMap.Of(node, map.File, map.Path(name), AddKeys);
            var json = TransformReader.Names(entry, "json")
                ?? throw TransformReader.Problem(map, line, $"{entry.Where} says nothing to add: give json: [columns…], the columns folded into it.");
            var clash = columns.FirstOrDefault(c => (c.Rename ?? c.Column) == name && !c.Drop);
            if (clash is not null)
                throw TransformReader.Problem(map, line, $"{entry.Where}: the table already has a column named '{name}' ({clash.Origin.Key}, line {clash.Origin.Line}). Name the added column otherwise.");
            if (added.FirstOrDefault(a => a.Name == name) is { } twice)
                throw TransformReader.Problem(map, line, $"{entry.Where}: '{name}' is added twice (line {twice.Origin.Line}).");
            added.Add(new AddedColumn(name, new ProjectValue(name, map.File, line, entry.Where), json, entry.Boolean("drop") ?? false));
        }

        return added;
    }

    static FerryException Refused(ColumnTransform column, string message) =>
        new($"{column.Origin.File}, line {column.Origin.Line}: {column.Origin.Key}: {message}", FailureKind.Configuration);
}
