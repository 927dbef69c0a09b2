using System.Text.Json;

namespace Ferry.Reports.Internal.Sections;

/// <summary>
/// The type mapping a copy used: how many columns each (source type, target type, rule) mapped, then each column's
/// source type, target type and the rule that chose it (the first <see cref="ColumnsListed"/>, collapsed).
/// </summary>
internal static class MappingTable
{
    /// <summary>Columns listed one by one; a page holding more would grow with the schema, not with what a reader needs.</summary>
    internal const int ColumnsListed = 5000;

    public static void Write(HtmlWriter html, JsonElement document)
    {
        var rows = document.Items("mapping");
        if (rows.Length == 0)
            return;
        html.Heading("mapping", "Type mapping");
        WriteByRule(html, rows);
        var listed = Math.Min(rows.Length, ColumnsListed);
        PagedTable.Write(
            html,
            listed < rows.Length ? $"Each column: the first {listed:N0} of {rows.Length:N0}" : $"Each column: {rows.Length:N0}",
            listed,
            ["table", "column", "source type", "target type", "rule", "notes"],
            (h, i) =>
            {
                var r = rows[i];
                h.Cell(r.String("table")).Cell(r.String("column")).Cell(SourceType(r))
                    .Cell(r.String("target_type")).Cell(r.String("rule")).Cell(r.String("notes"));
            });
        if (listed < rows.Length)
            html.Raw("<p class=\"muted\">").Count(rows.Length - listed).Raw(rows.Length - listed == 1 ? " more column is" : " more columns are")
                .Raw(" not listed: <code>ferry copy --dry-run</code> with the same options prints every one.</p>\n");
    }

    static void WriteByRule(HtmlWriter html, JsonElement[] rows)
    {
        var counts = new Dictionary<(string Source, string Target, string Rule), int>();
        foreach (var r in rows)
        {
            var key = (SourceType(r), r.String("target_type") ?? "", r.String("rule") ?? "");
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        var groups = counts.ToList();
        groups.Sort(static (a, b) => b.Value != a.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key.Source, b.Key.Source));
        PagedTable.Write(
            html,
            groups.Count == 1 ? "By type: 1 mapping" : $"By type: {groups.Count:N0} mappings",
            groups.Count,
            ["source type", "target type", "rule", "#columns"],
            (h, i) => h.Cell(groups[i].Key.Source).Cell(groups[i].Key.Target).Cell(groups[i].Key.Rule).CountCell(groups[i].Value),
            open: true);
    }

    static string SourceType(JsonElement row) => row.String("source_type") is { Length: > 0 } type ? type : "(none)";
}
