using System.Text.Json;

namespace Ferry.Reports.Internal.Sections;

/// <summary>
/// Rejected rows by reason with a few sample rows (each table's <c>rejects</c>); from an older run that has only
/// counts, each table's <c>rows_rejected</c>. Either way, where the reject files are.
/// </summary>
internal static class CopyRejects
{
    const int SamplesShown = 3;

    readonly record struct Reason(string Table, JsonElement Entry, long Rows);

    public static void Write(HtmlWriter html, JsonElement document, CopySection.CopiedTable[] tables)
    {
        var reasons = Reasons(document);
        long rejected = 0;
        foreach (var t in tables)
            rejected += t.Rejected;
        if (rejected == 0 && reasons.Count == 0)
            return;
        html.Heading("rejects", "Rejected rows");
        html.Raw("<p>").Count(rejected).Raw(rejected == 1 ? " row" : " rows").Raw(" rejected");
        if (document.String("rejects_dir") is { } directory)
            html.Raw("; each is in <code>").Text(directory).Raw("</code>, one <code>&lt;table&gt;.jsonl</code> file per table");
        html.Raw(".</p>\n");
        if (reasons.Count > 0)
            WriteReasons(html, reasons);
        else
            WriteCounts(html, tables);
    }

    static List<Reason> Reasons(JsonElement document)
    {
        var reasons = new List<Reason>();
        foreach (var t in document.Array("tables"))
        {
            var table = t.String("target") ?? t.String("source") ?? "";
            foreach (var entry in t.Array("rejects"))
                reasons.Add(new Reason(table, entry, entry.Long("rows") ?? 0));
        }

        reasons.Sort(static (a, b) => b.Rows.CompareTo(a.Rows));
        return reasons;
    }

    static void WriteReasons(HtmlWriter html, List<Reason> reasons)
    {
        var byReason = ByReason(reasons);
        if (byReason.Length > 1)
        {
            var charted = byReason.Length > CopySection.ChartedTables ? byReason[..CopySection.ChartedTables] : byReason;
            var title = charted.Length < byReason.Length ? $"Rejected rows by reason, the {charted.Length} most common of {byReason.Length:N0}" : "Rejected rows by reason";
            BarChart.Write(html, title, charted, static (h, v) => h.Count((long)v), "bar bad");
        }
        else
        {
            html.Raw("<p>Every rejected row for one reason: <b>").Text(byReason[0].Label).Raw("</b>.</p>\n");
        }

        PagedTable.Write(
            html,
            reasons.Count == 1 ? "1 table and column" : $"By table and column: {reasons.Count:N0}",
            reasons.Count,
            ["table", "column", "reason", "#rows", "sample rows (key → value)"],
            (h, i) =>
            {
                var r = reasons[i];
                h.Cell(r.Table).Cell(r.Entry.String("column")).Cell(r.Entry.String("reason")).CountCell(r.Rows).Raw("<td><ul class=\"samples\">");
                var shown = 0;
                foreach (var sample in r.Entry.Array("samples"))
                {
                    if (shown++ == SamplesShown)
                        break;
                    h.Raw("<li>");
                    if (sample.Field("key") is { } key)
                        h.Text(JsonFields.Pairs(key)).Raw(" → ");
                    h.Raw("<code>").Text(sample.Field("value") is { } value ? JsonFields.Scalar(value) : "NULL").Raw("</code></li>");
                }

                h.Raw("</ul></td>");
            },
            open: true);
    }

    /// <summary>Rows rejected for each reason, whatever the table and column, the most common first.</summary>
    static Bar[] ByReason(List<Reason> reasons)
    {
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var r in reasons)
        {
            var reason = r.Entry.String("reason") ?? "(no reason given)";
            rows[reason] = rows.GetValueOrDefault(reason) + r.Rows;
        }

        var bars = rows.Select(static r => new Bar(r.Key, r.Value)).ToList();
        bars.Sort(static (a, b) => b.Value.CompareTo(a.Value));
        return [.. bars];
    }

    static void WriteCounts(HtmlWriter html, CopySection.CopiedTable[] tables)
    {
        var rejecting = Array.FindAll(tables, static t => t.Rejected > 0);
        Array.Sort(rejecting, static (a, b) => b.Rejected.CompareTo(a.Rejected));
        PagedTable.Write(
            html,
            rejecting.Length == 1 ? "1 table" : $"{rejecting.Length:N0} tables",
            rejecting.Length,
            ["table", "source", "#rows rejected"],
            (h, i) => h.Cell(rejecting[i].Name).Cell(rejecting[i].Source).CountCell(rejecting[i].Rejected),
            open: true);
    }
}
