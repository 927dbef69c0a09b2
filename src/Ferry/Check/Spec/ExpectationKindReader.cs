using System.Globalization;
using Ferry.Project;
using Ferry.Transforms.Spec;
using Ferry.Transforms.Steps;
using YamlDotNet.RepresentationModel;

namespace Ferry.Check.Spec;

/// <summary>
/// Reads one key of a table's expectations (<c>unique: [[a, b]]</c>) into one expectation per thing it checks: a
/// column, a set of unique columns, a query. Each takes the table's severity unless its long form gives its own
/// (<c>unique: { columns: [a], severity: warn }</c>, <c>fresh: { updated_at: { within: 6h, severity: warn } }</c>).
/// </summary>
internal static class ExpectationKindReader
{
    internal static readonly string[] Formats = ["email", "phone", "ip", "uuid"];

    public static IEnumerable<Expectation> Read(YamlMap table, string kind, YamlNode node, CheckSeverity severity) => kind switch
    {
        "rows" => [Rows(table, node, severity)],
        "unique" => Unique(table, node, severity),
        "not_null" => NotNull(table, node, severity),
        "values" => PerColumn(table, kind, node, severity, ["in", "severity"], "in", Values),
        "range" => PerColumn(table, kind, node, severity, ["min", "max", "severity"], null, Range),
        "match" => PerColumn(table, kind, node, severity, ["format", "regex", "region", "severity"], null, Match),
        "references" => PerColumn(table, kind, node, severity, ["to", "severity"], "to", References),
        "fresh" => PerColumn(table, kind, node, severity, ["within", "severity"], "within", Fresh),
        _ => Sql(table, node, severity),
    };

    public static CheckSeverity Severity(YamlMap map, string key, YamlNode node) => Scalar(map, node, map.Path(key)) switch
    {
        "error" => CheckSeverity.Error,
        "warn" => CheckSeverity.Warn,
        var other => throw map.Problem(node, $"{map.Path(key)} must be error or warn, not '{other}'."),
    };

    static RowsExpectation Rows(YamlMap table, YamlNode node, CheckSeverity severity)
    {
        var path = table.Path("rows");
        if (node is not YamlMappingNode)
            return Exactly(table, node, path) with { Severity = severity, File = table.File, Line = YamlMap.Line(node) };
        var map = YamlMap.Of(node, table.File, path, ["min", "max", "exactly", "severity"]);
        var own = map.Node("severity") is { } s ? Severity(map, "severity", s) : severity;
        if (map.Node("exactly") is { } exactly)
        {
            if (map.Node("min") is not null || map.Node("max") is not null)
                throw map.Problem(exactly, $"{map.Path("exactly")} gives the count: leave min and max out, or leave exactly out.");
            return Exactly(map, exactly, map.Path("exactly")) with { Severity = own, File = table.File, Line = YamlMap.Line(node) };
        }

        var min = map.Node("min") is { } minNode ? Count(map, minNode, map.Path("min")) : (long?)null;
        var max = map.Node("max") is { } maxNode ? Count(map, maxNode, map.Path("max")) : (long?)null;
        if (min is null && max is null)
            throw map.Problem(node, $"{path} needs min, max or exactly (or write rows: 72, or rows: source).");
        if (min > max)
            throw map.Problem(node, $"{path}: min {min} is more than max {max}.");
        return new RowsExpectation(min, max, false) { Severity = own, File = table.File, Line = YamlMap.Line(node) };
    }

    static RowsExpectation Exactly(YamlMap map, YamlNode node, string path)
    {
        if (node is YamlScalarNode { Value: "source" })
            return new RowsExpectation(null, null, true) { Severity = CheckSeverity.Error, File = map.File, Line = YamlMap.Line(node) };
        var n = Count(map, node, path);
        return new RowsExpectation(n, n, false) { Severity = CheckSeverity.Error, File = map.File, Line = YamlMap.Line(node) };
    }

    static long Count(YamlMap map, YamlNode node, string path) =>
        long.TryParse(Scalar(map, node, path), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n
        : throw map.Problem(node, $"{path} must be a whole number of rows, 0 or more{(path.EndsWith("rows", StringComparison.Ordinal) || path.EndsWith("exactly", StringComparison.Ordinal) ? ", or source" : "")}, not '{Scalar(map, node, path)}'.");

    static IEnumerable<Expectation> Unique(YamlMap table, YamlNode node, CheckSeverity severity)
    {
        var (list, own) = Listed(table, "unique", node, severity);
        foreach (var item in list.Children)
        {
            IReadOnlyList<string> columns = item is YamlSequenceNode composite
                ? Names(table, composite, table.Path("unique"))
                : [Scalar(table, item, table.Path("unique"))];
            yield return new UniqueExpectation(columns) { Severity = own, File = table.File, Line = YamlMap.Line(item) };
        }
    }

    static IEnumerable<Expectation> NotNull(YamlMap table, YamlNode node, CheckSeverity severity)
    {
        var (list, own) = Listed(table, "not_null", node, severity);
        var names = Names(table, list, table.Path("not_null"));
        return names.Select((name, i) => new NotNullExpectation(name) { Severity = own, File = table.File, Line = YamlMap.Line(list.Children[i]) });
    }

    /// <summary>A list (<c>[a, b]</c>), or its long form <c>{ columns: [a, b], severity: warn }</c>.</summary>
    static (YamlSequenceNode List, CheckSeverity Severity) Listed(YamlMap table, string kind, YamlNode node, CheckSeverity severity)
    {
        var path = table.Path(kind);
        if (node is YamlMappingNode)
        {
            var map = YamlMap.Of(node, table.File, path, ["columns", "severity"]);
            var columns = map.Node("columns") ?? throw map.Problem(node, $"{path} needs columns: the list of columns.");
            return (List(map, columns, map.Path("columns")), map.Node("severity") is { } s ? Severity(map, "severity", s) : severity);
        }

        return (List(table, node, path), severity);
    }

    static YamlSequenceNode List(YamlMap map, YamlNode node, string path) =>
        node is YamlSequenceNode { Children.Count: > 0 } list ? list
        : node is YamlSequenceNode ? throw map.Problem(node, $"{path} is empty: name at least one column.")
        : throw map.Problem(node, $"{path} must be a list of columns ([a, b]; [[a, b]] for a composite), not {Describe(node)}.");

    static List<string> Names(YamlMap map, YamlSequenceNode list, string path)
    {
        var names = new List<string>();
        foreach (var item in list.Children)
        {
            var name = Scalar(map, item, path);
            if (names.Contains(name))
                throw map.Problem(item, $"{path} names the column '{name}' twice.");
            names.Add(name);
        }

        return names.Count > 0 ? names : throw map.Problem(list, $"{path} is empty: name at least one column.");
    }

    /// <summary>
    /// A mapping of columns to what each must hold: the short form (<c>updated_at: 6h</c>) or a mapping of
    /// <paramref name="keys"/> (<c>updated_at: { within: 6h, severity: warn }</c>), whose <paramref name="shortKey"/> is the short form's value.
    /// </summary>
    static IEnumerable<Expectation> PerColumn(
        YamlMap table, string kind, YamlNode node, CheckSeverity severity, string[] keys, string? shortKey, Func<Place, YamlNode?, YamlMap?, Expectation> read)
    {
        var map = YamlMap.Of(node, table.File, table.Path(kind), []);
        if (!map.Entries.Any())
            throw map.Problem(node, $"{map.Where} is empty: name at least one column.");
        foreach (var (column, value, line) in map.Entries)
        {
            var place = new Place(map, column, map.Path(column), line, severity);
            if (value is YamlMappingNode)
            {
                var options = YamlMap.Of(value, table.File, place.Path, keys);
                if (options.Node("severity") is { } s)
                    place = place with { Severity = Severity(options, "severity", s) };
                var shortValue = shortKey is null ? null : options.Node(shortKey) ?? throw options.Problem(value, $"{place.Path} needs {shortKey}.");
                yield return read(place, shortValue, options);
            }
            else
            {
                yield return read(place, value, null);
            }
        }
    }

    /// <summary>Where a column's expectation is written, and the severity it takes.</summary>
    internal sealed record Place(YamlMap Map, string Column, string Path, int Line, CheckSeverity Severity)
    {
        public T Of<T>(T expectation) where T : Expectation => expectation with { Severity = Severity, File = Map.File, Line = Line };
    }

    static Expectation Values(Place place, YamlNode? node, YamlMap? options)
    {
        var list = node as YamlSequenceNode ?? throw place.Map.Problem(node!, $"{place.Path} must be a list of the values allowed ([a, b]), not {Describe(node!)}.");
        var values = list.Children.Select(v => Scalar(place.Map, v, place.Path)).ToList();
        return values.Count > 0
            ? place.Of(new ValuesExpectation(place.Column, values))
            : throw place.Map.Problem(list, $"{place.Path} is empty: list the values allowed.");
    }

    static Expectation Range(Place place, YamlNode? node, YamlMap? options)
    {
        if (options is null)
            throw place.Map.Problem(node!, $"{place.Path} must be a mapping with min, max or both ({{ min: 0, max: 5000 }}), not {Describe(node!)}.");
        var min = options.Text("min")?.Text;
        var max = options.Text("max")?.Text;
        if (min is null && max is null)
            throw place.Map.Problem(options.Node("severity") ?? place.Map.Node(place.Column)!, $"{place.Path} needs min, max or both.");
        if (Number(min) is { } low && Number(max) is { } high && low > high)
            throw place.Map.Problem(place.Map.Node(place.Column)!, $"{place.Path}: min {min} is more than max {max}.");
        return place.Of(new RangeExpectation(place.Column, min, max));
    }

    static decimal? Number(string? text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) ? n : null;

    static Expectation Match(Place place, YamlNode? node, YamlMap? options)
    {
        if (options is null)
        {
            var text = Scalar(place.Map, node!, place.Path);
            if (text == "phone")
                throw place.Map.Problem(node!, $"{place.Path}: phone needs the region its numbers are read in: write {{ format: phone, region: US }}.");
            return place.Of(Formats.Contains(text)
                ? new MatchExpectation(place.Column, Format(text))
                : new MatchExpectation(place.Column, MatchFormat.Regex, text));
        }

        var format = options.Text("format");
        var regex = options.Text("regex");
        var region = options.Text("region");
        if ((format is null) == (regex is null))
            throw place.Map.Problem(place.Map.Node(place.Column)!, $"{place.Path} needs format ({string.Join(", ", Formats)}) or regex, one of them.");
        if (regex is not null)
        {
            return region is null
                ? place.Of(new MatchExpectation(place.Column, MatchFormat.Regex, regex.Text))
                : throw place.Map.Problem(options.Node("region")!, $"{region.Key} is for format: phone.");
        }

        if (!Formats.Contains(format!.Text))
        {
            throw place.Map.Problem(options.Node("format")!, $"{format.Key} must be one of {string.Join(", ", Formats)}, not '{format.Text}'" +
                (YamlMap.Nearest(format.Text, Formats) is { } near ? $": did you mean '{near}'?" : " (a regular expression goes in regex:).") + "");
        }

        if ((format.Text == "phone") != (region is not null))
        {
            throw place.Map.Problem(options.Node("region") ?? options.Node("format")!, format.Text == "phone"
                ? $"{place.Path}: phone needs the region its numbers are read in (region: US, an ISO 3166 two-letter code)."
                : $"{region!.Key} is for format: phone.");
        }

        if (region is not null)
        {
            try
            {
                _ = new ValidatePhoneStep(region.Text, ValuePolicy.Reject, e164: false);
            }
            catch (FerryException e)
            {
                throw place.Map.Problem(options.Node("region")!, $"{region.Key}: {e.Message}");
            }
        }

        return place.Of(new MatchExpectation(place.Column, Format(format.Text), null, region?.Text.Trim().ToUpperInvariant()));
    }

    static MatchFormat Format(string name) => name switch
    {
        "email" => MatchFormat.Email,
        "phone" => MatchFormat.Phone,
        "ip" => MatchFormat.Ip,
        _ => MatchFormat.Uuid,
    };

    static Expectation References(Place place, YamlNode? node, YamlMap? options)
    {
        var text = Scalar(place.Map, node!, place.Path);
        var dot = LastUnquotedDot(text);
        var table = dot > 0 ? SourceTableName.Parse(text[..dot], out _) : null;
        var column = dot > 0 ? Unquoted(text[(dot + 1)..]) : null;
        if (table is null || string.IsNullOrWhiteSpace(column))
            throw place.Map.Problem(node!, $"{place.Path} must name the column it refers to as table.column or schema.table.column (users.id), not '{text}'.");
        return place.Of(new ReferencesExpectation(place.Column, table, column));
    }

    static int LastUnquotedDot(string text)
    {
        var quoted = false;
        var last = -1;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"')
                quoted = !quoted;
            else if (text[i] == '.' && !quoted)
                last = i;
        }

        return last;
    }

    static string Unquoted(string part) =>
        part.Length >= 2 && part[0] == '"' && part[^1] == '"' ? part[1..^1].Replace("\"\"", "\"", StringComparison.Ordinal) : part.Trim();

    static Expectation Fresh(Place place, YamlNode? node, YamlMap? options)
    {
        var text = Scalar(place.Map, node!, place.Path);
        var match = System.Text.RegularExpressions.Regex.Match(text, @"^\s*(\d+(?:\.\d+)?)\s*(s|m|h|d|w)\s*$");
        if (!match.Success || double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) <= 0)
            throw place.Map.Problem(node!, $"{place.Path} must be a duration such as 30m, 6h or 2d (s, m, h, d or w), not '{text}'.");
        var amount = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        var within = match.Groups[2].Value switch
        {
            "s" => TimeSpan.FromSeconds(amount),
            "m" => TimeSpan.FromMinutes(amount),
            "h" => TimeSpan.FromHours(amount),
            "d" => TimeSpan.FromDays(amount),
            _ => TimeSpan.FromDays(amount * 7),
        };
        return place.Of(new FreshExpectation(place.Column, within, text.Trim()));
    }

    static IEnumerable<Expectation> Sql(YamlMap table, YamlNode node, CheckSeverity severity)
    {
        var path = table.Path("sql");
        IEnumerable<YamlNode> items = node switch
        {
            YamlSequenceNode { Children.Count: > 0 } list => list.Children,
            YamlScalarNode => [node],
            _ => throw table.Problem(node, $"{path} must be a list of queries that must return no rows, not {Describe(node)}."),
        };
        foreach (var item in items)
        {
            var own = severity;
            var queryNode = item;
            if (item is YamlMappingNode)
            {
                var map = YamlMap.Of(item, table.File, path, ["query", "severity"]);
                queryNode = map.Node("query") ?? throw map.Problem(item, $"{path} needs query: the SQL that must return no rows.");
                if (map.Node("severity") is { } s)
                    own = Severity(map, "severity", s);
            }

            var query = Scalar(table, queryNode, path).Trim().TrimEnd(';').Trim();
            yield return query.Length > 0
                ? new SqlExpectation(query) { Severity = own, File = table.File, Line = YamlMap.Line(item) }
                : throw table.Problem(queryNode, $"{path} holds an empty query.");
        }
    }

    static string Scalar(YamlMap map, YamlNode node, string path) =>
        node is YamlScalarNode { Value: { } value } && value.Trim().Length > 0 ? value
        : throw map.Problem(node, $"{path} must be a single value here, not {Describe(node)}.");

    static string Describe(YamlNode node) => node switch
    {
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        YamlScalarNode { Value: null or "" } => "nothing",
        YamlScalarNode { Value: var v } => $"the value '{v}'",
        _ => "something else",
    };
}
