using System.Globalization;
using System.Text;

namespace Ferry.Schema;

/// <summary>How source names become PostgreSQL names (<c>--names</c>).</summary>
public enum NamingRule
{
    /// <summary><c>InvoiceLine</c> → <c>invoiceline</c> (the default: what unquoted SQL would mean anyway).</summary>
    Lower,

    /// <summary>Kept exactly, quoted where needed: <c>InvoiceLine</c> → <c>"InvoiceLine"</c>.</summary>
    Preserve,

    /// <summary><c>InvoiceLine</c> → <c>invoice_line</c>, <c>HTTPServer</c> → <c>http_server</c>, <c>Unit Price</c> → <c>unit_price</c>.</summary>
    Snake,
}

public static class Naming
{
    /// <summary>The target name for a source name under a rule (before the 63-byte check, which the planner does).</summary>
    public static string Apply(this NamingRule rule, string sourceName) => rule switch
    {
        NamingRule.Lower => sourceName.ToLowerInvariant(),
        NamingRule.Preserve => sourceName,
        NamingRule.Snake => ToSnake(sourceName),
        _ => throw new ArgumentOutOfRangeException(nameof(rule)),
    };

    /// <summary>
    /// A column's target name: the rule's, or <c>column_N</c> (N its 1-based position) for an empty name, which no
    /// PostgreSQL identifier can be (a name of spaces can, quoted). The planner and verify both name columns by it.
    /// </summary>
    public static string ColumnName(this NamingRule rule, string sourceName, int position) =>
        sourceName.Length == 0 ? UnnamedColumn(position) : rule.Apply(sourceName);

    /// <summary>The name an unnamed column gets: <c>column_3</c>.</summary>
    public static string UnnamedColumn(int position) => "column_" + position.ToString(CultureInfo.InvariantCulture);

    public static NamingRule Parse(string text) => text.ToLowerInvariant() switch
    {
        "lower" => NamingRule.Lower,
        "preserve" => NamingRule.Preserve,
        "snake" => NamingRule.Snake,
        _ => throw new FerryException($"--names '{text}' is not one of lower, preserve, snake."),
    };

    static string ToSnake(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                var previous = i > 0 ? name[i - 1] : '\0';
                var next = i + 1 < name.Length ? name[i + 1] : '\0';
                // A word starts at an upper-case letter after a lower-case one or a digit, or at the last
                // capital of an acronym that is followed by a lower-case letter (HTTPServer → http_server).
                if (sb.Length > 0 && sb[^1] != '_' &&
                    (char.IsLower(previous) || char.IsDigit(previous) || (char.IsUpper(previous) && char.IsLower(next))))
                    sb.Append('_');
                sb.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != '_')
            {
                sb.Append('_'); // Spaces, dashes and dots become one underscore.
            }
        }

        while (sb.Length > 1 && sb[^1] == '_')
            sb.Length--;
        return sb.Length == 0 ? name.ToLowerInvariant() : sb.ToString();
    }
}
