using System.Globalization;
using System.Text;

namespace Ferry.Reports.Metrics;

/// <summary>A label of a sample: its name and value.</summary>
internal readonly record struct Label(string Name, string Value);

/// <summary>One sample of a metric family: its labels and value.</summary>
internal readonly struct Sample(double value, params Label[] labels)
{
    public double Value { get; } = value;

    public IReadOnlyList<Label> Labels { get; } = labels;
}

/// <summary>
/// Prometheus' text exposition format (version 0.0.4): each family once, its <c># HELP</c> and <c># TYPE</c> then
/// its samples together; label values and help text escaped as the format requires. Names are checked here, so a
/// metric added with an invalid name, twice, or with one label set twice fails in the tests, not in the collector.
/// </summary>
internal sealed class Exposition
{
    readonly StringBuilder _text = new();
    readonly HashSet<string> _families = new(StringComparer.Ordinal);

    /// <summary>Writes a gauge family; one without samples is left out.</summary>
    public void Gauge(string name, string help, IEnumerable<Sample> samples) => Family(name, "gauge", help, samples);

    /// <summary>Writes a gauge family of one sample without labels.</summary>
    public void Gauge(string name, string help, double value) => Gauge(name, help, [new Sample(value)]);

    void Family(string name, string type, string help, IEnumerable<Sample> samples)
    {
        if (!IsMetricName(name))
            throw new ArgumentException($"'{name}' is not a valid Prometheus metric name.", nameof(name));
        if (!_families.Add(name))
            throw new InvalidOperationException($"The metric family {name} is written twice.");
        var written = new HashSet<string>(StringComparer.Ordinal);
        var lines = new StringBuilder();
        foreach (var sample in samples)
        {
            var start = lines.Length;
            lines.Append(name);
            if (sample.Labels.Count > 0)
            {
                lines.Append('{');
                for (var i = 0; i < sample.Labels.Count; i++)
                {
                    var (label, value) = sample.Labels[i];
                    if (!IsLabelName(label))
                        throw new ArgumentException($"'{label}' is not a valid Prometheus label name (of {name}).", nameof(samples));
                    lines.Append(i == 0 ? "" : ",").Append(label).Append("=\"");
                    AppendEscaped(lines, value, quotes: true);
                    lines.Append('"');
                }

                lines.Append('}');
            }

            if (!written.Add(lines.ToString(start, lines.Length - start)))
                throw new InvalidOperationException($"{lines.ToString(start, lines.Length - start)} is written twice.");
            lines.Append(' ').Append(Number(sample.Value)).Append('\n');
        }

        if (lines.Length == 0)
            return;
        _text.Append("# HELP ").Append(name).Append(' ');
        AppendEscaped(_text, help, quotes: false);
        _text.Append('\n').Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n').Append(lines);
    }

    public override string ToString() => _text.ToString();

    /// <summary>Backslash and newline escaped (and the double quote, in a label value); nothing else is.</summary>
    static void AppendEscaped(StringBuilder text, string value, bool quotes)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '"' when quotes => text.Append("\\\""),
                _ => text.Append(c),
            };
        }
    }

    /// <summary>A value as Go's ParseFloat reads it: NaN, +Inf, -Inf, else the shortest round-trip digits.</summary>
    internal static string Number(double value) => value switch
    {
        double.NaN => "NaN",
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary><c>[a-zA-Z_:][a-zA-Z0-9_:]*</c>.</summary>
    internal static bool IsMetricName(string name) => IsName(name, colons: true);

    /// <summary><c>[a-zA-Z_][a-zA-Z0-9_]*</c>, not starting with <c>__</c> (reserved).</summary>
    internal static bool IsLabelName(string name) => IsName(name, colons: false) && !name.StartsWith("__", StringComparison.Ordinal);

    static bool IsName(string name, bool colons)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
            return false;
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || (colons && c == ':')))
                return false;
        }

        return true;
    }
}
