using YamlDotNet.RepresentationModel;

namespace Ferry.Project;

/// <summary>
/// One mapping of the project file, read strictly: every key must be one its section knows; an unknown key is
/// refused naming the file, the line, where it is and the nearest known key (<c>migration:</c> → <c>migrations</c>).
/// </summary>
internal sealed class YamlMap
{
    readonly YamlMappingNode _node;
    readonly string _file;
    readonly string _where;

    YamlMap(YamlMappingNode node, string file, string where)
    {
        _node = node;
        _file = file;
        _where = where;
    }

    /// <summary>The mapping <paramref name="node"/> is (<paramref name="where"/> names it in errors: <c>environments.prod</c>), or why it is not one.</summary>
    public static YamlMap Of(YamlNode node, string file, string where, IReadOnlyCollection<string> known)
    {
        if (node is not YamlMappingNode mapping)
            throw new FerryException($"{file}, line {Line(node)}: {where} must be a mapping of keys (key: value), not {Describe(node)}.", FailureKind.Configuration);
        var map = new YamlMap(mapping, file, where);
        map.RefuseUnknown(known);
        return map;
    }

    /// <summary>The file's first document; null when it has none. Not YAML: refused naming the file and the line.</summary>
    public static YamlNode? ReadDocument(string file)
    {
        var stream = new YamlStream();
        try
        {
            using var reader = new StreamReader(file);
            stream.Load(reader);
        }
        catch (YamlDotNet.Core.YamlException e)
        {
            throw new FerryException($"{file}, line {e.Start.Line}: not valid YAML: {e.Message}", FailureKind.Configuration, e);
        }

        return stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
    }

    /// <summary>
    /// A file of one section (<c>--transform FILE</c>, <c>--expect FILE</c>): its top level is <paramref name="key"/> alone
    /// (as <c>ferry.yml</c> writes the section) or directly the section's content. A missing or empty file is refused naming it.
    /// </summary>
    public static YamlMap SectionFile(string path, string key, string what, string empty)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!System.IO.File.Exists(full))
            throw new FerryException($"{what} {full} does not exist.", FailureKind.Configuration);
        if (ReadDocument(full) is not { } root || root is YamlScalarNode { Value: null or "" })
            throw new FerryException($"{full} is empty: {empty}.", FailureKind.Configuration);
        if (root is YamlMappingNode mapping && mapping.Children.Keys.Any(k => k is YamlScalarNode { Value: var name } && name == key))
            return Of(root, full, "", [key]).Map(key, [])!;
        return Of(root, full, "", []);
    }

    public string File => _file;

    public string Where => _where;

    /// <summary>The keys, in the file's order, with their value nodes.</summary>
    public IEnumerable<(string Key, YamlNode Value, int Line)> Entries =>
        _node.Children.Select(c => (((YamlScalarNode)c.Key).Value ?? "", c.Value, Line(c.Key)));

    public YamlNode? Node(string key) =>
        _node.Children.FirstOrDefault(c => c.Key is YamlScalarNode { Value: var k } && k == key).Value;

    /// <summary>A text value (a scalar), with its line; null when the key is absent.</summary>
    public ProjectValue? Text(string key)
    {
        if (Node(key) is not { } node)
            return null;
        if (node is not YamlScalarNode scalar)
            throw Problem(node, $"{Path(key)} must be a single value, not {Describe(node)}.");
        return new ProjectValue(scalar.Value ?? "", _file, Line(node), Path(key));
    }

    public bool? Boolean(string key)
    {
        if (Text(key) is not { } value)
            return null;
        return value.Text switch
        {
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => throw Problem(Node(key)!, $"{Path(key)} must be true or false, not '{value.Text}'."),
        };
    }

    /// <summary>A number of seconds, 0 or more (<c>lock_timeout: 10</c>); null when the key is absent.</summary>
    public double? Seconds(string key) =>
        Text(key) is not { } value ? null
        : double.TryParse(value.Text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 0 ? seconds
        : throw Problem(Node(key)!, $"{value.Key} must be a number of seconds, 0 or more, not '{value.Text}'.");

    /// <summary>A whole number, 1 or more (<c>jobs: 4</c>); null when the key is absent.</summary>
    public int? Count(string key) =>
        Text(key) is not { } value ? null
        : int.TryParse(value.Text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
        : throw Problem(Node(key)!, $"{value.Key} must be a whole number, 1 or more, not '{value.Text}'.");

    public YamlMap? Map(string key, IReadOnlyCollection<string> known) =>
        Node(key) is { } node ? Of(node, _file, Path(key), known) : null;

    public string Path(string key) => _where.Length == 0 ? key : _where + "." + key;

    public FerryException Problem(YamlNode node, string message) =>
        new($"{_file}, line {Line(node)}: {message}", FailureKind.Configuration);

    void RefuseUnknown(IReadOnlyCollection<string> known)
    {
        foreach (var (key, node) in _node.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
                throw Problem(key, $"a key in {(_where.Length == 0 ? "the file" : _where)} must be a name, not {Describe(key)}.");
            if (known.Count > 0 && !known.Contains(name))
            {
                var nearest = Nearest(name, known);
                throw Problem(key, $"unknown key '{name}' in {(_where.Length == 0 ? "the file" : _where)}" +
                    (nearest is null ? "" : $": did you mean '{nearest}'?") + $" Known keys: {string.Join(", ", known)}.");
            }
        }
    }

    /// <summary>The known key nearest to <paramref name="name"/> by edit distance, when near enough to be a typo.</summary>
    internal static string? Nearest(string name, IEnumerable<string> known) =>
        known.Select(k => (Key: k, Distance: Distance(name.ToLowerInvariant(), k)))
            .Where(k => k.Distance <= Math.Max(2, k.Key.Length / 3))
            .OrderBy(k => k.Distance)
            .Select(k => k.Key)
            .FirstOrDefault();

    static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }

        return previous[b.Length];
    }

    public static int Line(YamlNode node) => (int)node.Start.Line;

    static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode { Value: var v } => $"the value '{v}'",
        _ => "something else",
    };
}
