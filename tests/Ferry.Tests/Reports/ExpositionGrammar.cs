using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ferry.Tests.Reports;

/// <summary>
/// Prometheus' text exposition format (0.0.4), checked line by line as its parser reads it (promtool is not
/// installed here): HELP and TYPE once per family and before its samples, a family's samples together, valid
/// names, label values with only <c>\\</c>, <c>\"</c> and <c>\n</c> escapes, values Go's ParseFloat reads, no
/// series twice, the last line ended. Returns the samples, their label values unescaped.
/// </summary>
public static partial class ExpositionGrammar
{
    public sealed record Series(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    static readonly string[] Types = ["counter", "gauge", "histogram", "summary", "untyped"];

    public static List<Series> Parse(string text)
    {
        Assert.True(text.Length == 0 || text.EndsWith('\n'), "the last line is not ended");
        Assert.DoesNotContain('\r', text);
        var help = new HashSet<string>(StringComparer.Ordinal);
        var types = new HashSet<string>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal); // families whose samples ended
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var series = new List<Series>();
        string? current = null;
        var number = 0;
        foreach (var line in text.Split('\n')[..^1])
        {
            number++;
            var where = $"line {number}: {line}";
            if (line.Length == 0)
                continue;
            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[1] is "HELP" or "TYPE")
                {
                    var name = parts[2];
                    Assert.True(MetricName().IsMatch(name), "bad metric name, " + where);
                    Assert.False(done.Contains(name) || series.Any(s => s.Name == name), "HELP or TYPE after the family's samples, " + where);
                    if (parts[1] == "HELP")
                    {
                        Assert.True(help.Add(name), "a second HELP, " + where);
                        Unescape(parts.Length > 3 ? parts[3] : "", quotes: false, where);
                    }
                    else
                    {
                        Assert.True(types.Add(name), "a second TYPE, " + where);
                        Assert.True(parts.Length == 4 && Types.Contains(parts[3]), "bad type, " + where);
                    }
                }

                continue;
            }

            var sample = Sample(line, where);
            Assert.True(types.Contains(sample.Name), "a sample without a TYPE before it, " + where);
            if (current != sample.Name)
            {
                if (current is not null)
                    done.Add(current);
                Assert.False(done.Contains(sample.Name), "the family's samples are not together, " + where);
                current = sample.Name;
            }

            var key = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
            Assert.True(seen.Add(key), "a series twice, " + where);
            series.Add(sample);
        }

        return series;
    }

    static Series Sample(string line, string where)
    {
        var i = 0;
        while (i < line.Length && line[i] is not ('{' or ' '))
            i++;
        var name = line[..i];
        Assert.True(MetricName().IsMatch(name), "bad metric name, " + where);
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var equals = line.IndexOf('=', i);
                Assert.True(equals > i, "no label name, " + where);
                var label = line[i..equals];
                Assert.True(LabelName().IsMatch(label) && !label.StartsWith("__", StringComparison.Ordinal), "bad label name, " + where);
                Assert.True(line[equals + 1] == '"', "label value not quoted, " + where);
                var end = equals + 2;
                while (line[end] != '"')
                    end += line[end] == '\\' ? 2 : 1;
                Assert.True(labels.TryAdd(label, Unescape(line[(equals + 2)..end], quotes: true, where)), "a label twice, " + where);
                i = end + 1;
                if (line[i] == ',')
                    i++;
                else
                    Assert.True(line[i] == '}', "labels not separated by commas, " + where);
            }

            i++;
        }

        Assert.True(i < line.Length && line[i] == ' ', "no space before the value, " + where);
        var fields = line[(i + 1)..].Split(' ');
        Assert.True(fields.Length is 1 or 2, "extra fields, " + where);
        var value = fields[0] switch
        {
            "NaN" => double.NaN,
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            var text => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : throw new Xunit.Sdk.XunitException("bad value, " + where),
        };
        if (fields.Length == 2)
            Assert.True(long.TryParse(fields[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _), "bad timestamp, " + where);
        return new Series(name, labels, value);
    }

    static string Unescape(string text, bool quotes, string where)
    {
        var result = new StringBuilder();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\')
            {
                Assert.False(quotes && text[i] == '"', "an unescaped quote, " + where);
                result.Append(text[i]);
                continue;
            }

            Assert.True(i + 1 < text.Length, "a lone backslash at the end, " + where);
            result.Append(text[++i] switch
            {
                '\\' => '\\',
                'n' => '\n',
                '"' when quotes => '"',
                var c => throw new Xunit.Sdk.XunitException($"escape \\{c} is not in the format, " + where),
            });
        }

        return result.ToString();
    }
}
