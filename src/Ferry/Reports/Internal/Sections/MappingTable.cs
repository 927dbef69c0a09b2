using System.Text.Json;

namespace Ferry.Reports.Internal.Sections;

/// <summary>The type mapping a copy used: each column's source type, target type and the rule that chose it.</summary>
internal static class MappingTable
{
    public static void Write(HtmlWriter html, JsonElement document)
    {
        var rows = document.Items("mapping");
        var count = rows.Length;
        if (count == 0)
            return;
        html.Heading("mapping", "Type mapping");
        PagedTable.Write(
            html,
            $"{count:N0} columns",
            count,
            ["table", "column", "source type", "target type", "rule", "notes"],
            (h, i) =>
            {
                var r = rows[i];
                var source = r.String("source_type");
                h.Cell(r.String("table")).Cell(r.String("column")).Cell(string.IsNullOrEmpty(source) ? "(none)" : source)
                    .Cell(r.String("target_type")).Cell(r.String("rule")).Cell(r.String("notes"));
            });
    }
}
