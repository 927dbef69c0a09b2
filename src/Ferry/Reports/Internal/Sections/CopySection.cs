using System.Text.Json;
using Ferry.Journal;

namespace Ferry.Reports.Internal.Sections;

/// <summary>
/// A copy: its figures and throughput, the largest tables charted by rows and by seconds, the phase timeline,
/// rejects, failures, orphans and warnings, every table (collapsed), the type mapping, and its verification.
/// </summary>
internal sealed class CopySection : IReportSection
{
    /// <summary>How many tables each chart shows; every table is in the full list below.</summary>
    internal const int ChartedTables = 30;

    internal readonly record struct CopiedTable(string Name, string Source, long Read, long Written, long Rejected, double Seconds, bool Resumed);

    public bool Shows(string kind) => kind == "copy";

    public void Write(HtmlWriter html, RunRecord run, JsonElement document)
    {
        var tables = Tables(document);
        WriteFigures(html, run, document, tables);
        WriteCharts(html, tables);
        PhaseTimeline.Write(html, document, run.Seconds);
        html.Messages("transforms", "Transform", "plain", [.. document.Array("transforms").Select(t => $"{t.String("table")}: {string.Join("; ", t.Strings("changes"))}")]);
        CopyRejects.Write(html, document, tables);
        html.Messages("failures", "Failures", "bad", document.Strings("failures"));
        WriteOrphans(html, document);
        html.Messages("warnings", "Warnings", "warn", document.Strings("warnings"));
        html.Messages("notes", "Notes", "muted", document.Strings("notes"));
        WriteAllTables(html, tables);
        MappingTable.Write(html, document);
        if (document.Field("verify") is { ValueKind: JsonValueKind.Object } verify)
            VerifySection.WriteVerification(html, verify, "Verification after the copy");
        if (document.Field("check") is { ValueKind: JsonValueKind.Object } check)
            CheckSection.WriteExpectations(html, check, "Expectations after the copy");
    }

    static CopiedTable[] Tables(JsonElement document)
    {
        var tables = new CopiedTable[document.Length("tables")];
        var i = 0;
        foreach (var t in document.Array("tables"))
        {
            var source = t.String("source") ?? "";
            tables[i++] = new CopiedTable(
                t.String("target") ?? source,
                source,
                t.Long("rows_read") ?? 0,
                t.Long("rows_written") ?? 0,
                t.Long("rows_rejected") ?? 0,
                t.Double("seconds") ?? 0,
                t.Bool("resumed") ?? false);
        }

        return tables;
    }

    static void WriteFigures(HtmlWriter html, RunRecord run, JsonElement document, CopiedTable[] tables)
    {
        long read = 0, written = 0, rejected = 0;
        foreach (var t in tables)
        {
            read += t.Read;
            written += t.Written;
            rejected += t.Rejected;
        }

        var seconds = document.Double("seconds") ?? run.Seconds;
        html.Heading("copy", "Copy");
        html.Raw("<p class=\"route\">").Text(document.String("source")).Raw(" → ").Text(document.String("target") ?? run.Target).Raw("</p>\n");
        html.Raw("<dl class=\"figures\">");
        html.Figure("tables").Count(tables.Length).FigureEnd();
        html.Figure("rows read").Count(read).FigureEnd();
        html.Figure("rows written").Count(written).FigureEnd();
        html.Figure("rows rejected").Raw(rejected > 0 ? "<span class=\"bad\">" : "<span>").Count(rejected).Raw("</span>").FigureEnd();
        // Rows a filter left in the source: read = written + rejected + filtered.
        if (document.Array("tables").Sum(t => t.Long("rows_filtered") ?? 0) is var filtered and > 0)
            html.Figure("rows filtered").Count(filtered).FigureEnd();
        if (seconds is { } s)
        {
            html.Figure("time").Seconds(s).FigureEnd();
            if (s > 0)
                html.Figure("throughput").Count((long)Math.Round(written / s)).Raw(" rows/s").FigureEnd();
        }

        html.Raw("</dl>\n");
    }

    static void WriteCharts(HtmlWriter html, CopiedTable[] tables)
    {
        if (tables.Length == 0)
            return;
        var byRows = Top(tables, static (a, b) => b.Written.CompareTo(a.Written), static t => t.Written);
        var bySeconds = Top(tables, static (a, b) => b.Seconds.CompareTo(a.Seconds), static t => t.Seconds);
        var which = tables.Length > ChartedTables ? $"the {ChartedTables} largest of {tables.Length:N0} tables" : "each table";
        html.Heading("tables-charts", "Tables");
        html.Raw("<div class=\"charts\">");
        BarChart.Write(html, "Rows written, " + which, byRows, static (h, v) => h.Count((long)v));
        BarChart.Write(html, "Seconds, " + which.Replace("largest", "slowest", StringComparison.Ordinal), bySeconds, static (h, v) => h.Seconds(v), "bar alt");
        html.Raw("</div>\n");
    }

    static Bar[] Top(CopiedTable[] tables, Comparison<CopiedTable> order, Func<CopiedTable, double> value)
    {
        var sorted = (CopiedTable[])tables.Clone();
        Array.Sort(sorted, order);
        var bars = new Bar[Math.Min(ChartedTables, sorted.Length)];
        for (var i = 0; i < bars.Length; i++)
            bars[i] = new Bar(sorted[i].Name, value(sorted[i]));
        return bars;
    }

    static void WriteOrphans(HtmlWriter html, JsonElement document)
    {
        if (document.Length("orphans") == 0)
            return;
        html.Heading("orphans", "Foreign keys with orphans");
        html.Raw("<p>These constraints stay NOT VALID: the rows below have no parent.</p>");
        html.TableStart("table", "constraint", "columns", "references", "#rows", "keys (first)");
        foreach (var o in document.Array("orphans"))
        {
            html.Raw("<tr>").Cell(o.String("table")).Cell(o.String("constraint")).Cell(o.Join("columns"))
                .Cell(o.String("referenced_table")).CountCell(o.Long("rows") ?? 0).Cell(o.Join("keys", "; ")).Raw("</tr>\n");
        }

        html.TableEnd();
    }

    static void WriteAllTables(HtmlWriter html, CopiedTable[] tables)
    {
        if (tables.Length == 0)
            return;
        var sorted = (CopiedTable[])tables.Clone();
        Array.Sort(sorted, static (a, b) => b.Written.CompareTo(a.Written));
        html.Heading("all-tables", "Every table");
        PagedTable.Write(
            html,
            $"All {tables.Length:N0} tables, the largest first",
            sorted.Length,
            ["table", "source", "#rows read", "#written", "#rejected", "#seconds", "#rows/s"],
            (h, i) =>
            {
                var t = sorted[i];
                h.Raw("<td>").Text(t.Name).Raw(t.Resumed ? " <span class=\"muted\">(earlier run)</span></td>" : "</td>").Cell(t.Source)
                    .CountCell(t.Read).CountCell(t.Written)
                    .Raw(t.Rejected > 0 ? "<td class=\"n bad\">" : "<td class=\"n\">").Count(t.Rejected).Raw("</td>")
                    .Raw("<td class=\"n\">").Number(t.Seconds, 3).Raw("</td><td class=\"n\">");
                if (t.Seconds > 0)
                    h.Count((long)Math.Round(t.Written / t.Seconds));
                h.Raw("</td>");
            },
            open: tables.Length <= ChartedTables);
    }
}
