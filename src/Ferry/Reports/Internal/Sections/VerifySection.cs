using System.Text.Json;
using Ferry.Journal;

namespace Ferry.Reports.Internal.Sections;

/// <summary>
/// A verification (a <c>verify</c> run, or the one a <c>copy --verify</c> embeds): its figures, each table that
/// differs with its differing keys (capped) and integrity problems, and every table's status (collapsed).
/// </summary>
internal sealed class VerifySection : IReportSection
{
    /// <summary>Differing keys shown per table; the rest are counted.</summary>
    internal const int KeysShown = 20;

    /// <summary>Tables detailed in full; any further ones that differ are in the full list.</summary>
    const int TablesDetailed = 100;

    const int SamplesShown = 3;

    public bool Shows(string kind) => kind == "verify";

    public void Write(HtmlWriter html, RunRecord run, JsonElement document) => WriteVerification(html, document, "Verification");

    public static void WriteVerification(HtmlWriter html, JsonElement verify, string title)
    {
        var tables = verify.Items("tables");
        var failing = 0;
        foreach (var t in tables)
        {
            if (t.Bool("ok") == false)
                failing++;
        }

        html.Heading("verify", title);
        if (verify.String("source") is { } source)
            html.Raw("<p class=\"route\">").Text(source).Raw(" ⇄ ").Text(verify.String("target")).Raw("</p>\n");
        html.Raw("<dl class=\"figures\">");
        html.Figure("tables").Count(tables.Length).FigureEnd();
        html.Figure("identical").Count(tables.Length - failing).FigureEnd();
        html.Figure("differ or have problems").Raw(failing > 0 ? "<span class=\"bad\">" : "<span>").Count(failing).Raw("</span>").FigureEnd();
        if (verify.Double("seconds") is { } seconds)
            html.Figure("time").Seconds(seconds).FigureEnd();
        html.Raw("</dl>\n");
        WriteFailing(html, tables, failing);
        html.Raw("<h3>Every table</h3>\n");
        PagedTable.Write(
            html,
            $"All {tables.Length:N0} tables",
            tables.Length,
            ["table", "source", "status", "compared", "#source rows", "#target rows", "#differences"],
            (h, i) => Row(h, tables[i]),
            open: tables.Length <= CopySection.ChartedTables);
    }

    static void Row(HtmlWriter html, JsonElement t)
    {
        var ok = t.Bool("ok") ?? true;
        html.Cell(t.String("target")).Cell(t.String("source"))
            .Raw(ok ? "<td><span class=\"badge ok\">" : "<td><span class=\"badge problems\">").Text(t.String("status") ?? (ok ? "ok" : "different")).Raw("</span></td>")
            .Cell(t.String("compared"))
            .CountCell(t.Long("source_rows") ?? 0)
            .Raw("<td class=\"n\">");
        if (t.Long("target_rows") is { } target)
            html.Count(target);
        else
            html.Raw("—");
        html.Raw("</td><td class=\"n\">").Raw(t.Bool("truncated") == true ? "≥ " : "").Count(t.Long("differences_total") ?? t.Length("differences")).Raw("</td>");
    }

    static void WriteFailing(HtmlWriter html, JsonElement[] tables, int failing)
    {
        if (failing == 0)
            return;
        html.Raw("<h3>Tables that differ or have problems</h3>\n");
        var detailed = 0;
        foreach (var t in tables)
        {
            if (t.Bool("ok") != false)
                continue;
            if (detailed++ == TablesDetailed)
            {
                html.Raw("<p class=\"muted\">… and ").Count(failing - TablesDetailed).Raw(" more tables: see every table's status below.</p>\n");
                break;
            }

            WriteFailingTable(html, t);
        }
    }

    static void WriteFailingTable(HtmlWriter html, JsonElement t)
    {
        html.Raw("<div class=\"problem\"><h4>").Text(t.String("target") ?? t.String("source")).Raw(" <span class=\"badge problems\">")
            .Text(t.String("status") ?? "different").Raw("</span></h4>\n<p class=\"muted\">source ").Count(t.Long("source_rows") ?? 0).Raw(" rows, target ");
        if (t.Long("target_rows") is { } targetRows)
            html.Count(targetRows).Raw(" rows");
        else
            html.Raw("missing");
        if (t.Long("source_rejected") is > 0 and var rejected)
            html.Raw("; ").Count(rejected).Raw(" source rows were rejected by the copy");
        html.Raw("</p>\n");
        var problems = t.Strings("problems");
        if (problems.Count > 0)
        {
            html.Raw("<ul class=\"bad\">");
            foreach (var p in problems)
                html.Element("li", null, p);
            html.Raw("</ul>\n");
        }

        WriteDifferences(html, t);
        WriteIntegrity(html, t);
        html.Raw("</div>\n");
    }

    static void WriteDifferences(HtmlWriter html, JsonElement t)
    {
        var listed = t.Length("differences");
        if (listed == 0)
            return;
        var keyColumns = t.Join("key");
        html.TableStart("difference", keyColumns.Length > 0 ? $"key ({keyColumns})" : "row");
        var shown = 0;
        foreach (var d in t.Array("differences"))
        {
            if (shown++ == KeysShown)
                break;
            html.Raw("<tr>").Cell(d.String("kind")).Raw("<td><code>");
            if (d.Field("key") is { } key)
                html.Text(JsonFields.Pairs(key));
            else
                html.Text(d.String("row")).Raw(d.Long("count") is > 1 and var n ? $" (×{n})" : "");
            html.Raw("</code></td></tr>\n");
        }

        html.TableEnd();
        var total = Math.Max(t.Long("differences_total") ?? listed, listed);
        if (total > KeysShown)
            html.Raw("<p class=\"muted\">… and ").Raw(t.Bool("truncated") == true ? "at least " : "").Count(total - Math.Min(listed, KeysShown)).Raw(" more differing rows.</p>\n");
    }

    static void WriteIntegrity(HtmlWriter html, JsonElement t)
    {
        foreach (var p in t.Array("integrity"))
        {
            var kind = p.String("kind") ?? "integrity";
            html.Raw("<p><span class=\"badge problems\">").Text(kind).Raw("</span> ").Count(p.Long("count") ?? 0).Raw(" rows: ");
            html.Text(kind == "orphans"
                ? $"{p.Join("columns")} with no match in {p.String("references")}"
                : $"duplicated values of {p.Join("columns")}");
            html.Raw(" (<code>").Text(p.String("constraint")).Raw("</code>)</p>\n");
            var shown = 0;
            html.Raw("<ul class=\"samples\">");
            foreach (var sample in p.Array("sample"))
            {
                if (shown++ == SamplesShown)
                    break;
                html.Raw("<li><code>").Text(JsonFields.Pairs(sample)).Raw("</code></li>");
            }

            html.Raw("</ul>\n");
        }
    }
}
