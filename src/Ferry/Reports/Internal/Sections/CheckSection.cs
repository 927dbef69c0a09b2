using System.Text.Json;
using Ferry.Journal;

namespace Ferry.Reports.Internal.Sections;

/// <summary>A <c>check</c> run: its figures, then every expectation with its status, failing count and first failing keys.</summary>
internal sealed class CheckSection : IReportSection
{
    /// <summary>Failing keys shown per expectation; the JSON document holds up to <c>--max-samples</c>.</summary>
    const int KeysShown = 10;

    public bool Shows(string kind) => kind == "check";

    public void Write(HtmlWriter html, RunRecord run, JsonElement document)
    {
        var results = document.Items("results");
        int Count(string status) => results.Count(r => r.String("status") == status);
        html.Heading("check", "Expectations");
        html.Raw("<dl class=\"figures\">");
        html.Figure("expectations").Count(results.Length).FigureEnd();
        html.Figure("passed").Count(Count("passed")).FigureEnd();
        html.Figure("warned").Count(Count("warned")).FigureEnd();
        html.Figure("failed").Raw(Count("failed") > 0 ? "<span class=\"bad\">" : "<span>").Count(Count("failed")).Raw("</span>").FigureEnd();
        html.Figure("could not run").Raw(Count("error") > 0 ? "<span class=\"bad\">" : "<span>").Count(Count("error")).Raw("</span>").FigureEnd();
        if (document.Double("seconds") is { } seconds)
            html.Figure("time").Seconds(seconds).FigureEnd();
        html.Raw("</dl>\n");
        PagedTable.Write(
            html,
            $"All {results.Length:N0} expectations",
            results.Length,
            ["table", "expectation", "status", "#failing", "failing keys"],
            (h, i) => Row(h, results[i]),
            open: true);
    }

    static void Row(HtmlWriter html, JsonElement r)
    {
        var status = r.String("status") ?? "passed";
        var badge = status switch { "passed" => "ok", "warned" => "problems", _ => "failed" };
        html.Cell(r.String("table")).Cell(r.String("description") ?? $"{r.String("expectation")} {r.Join("columns")}")
            .Raw($"<td><span class=\"badge {badge}\">").Text(status).Raw("</span></td>")
            .CountCell(r.Long("failing") ?? 0)
            .Raw("<td>");
        if (r.String("message") is { } message && status != "passed")
            html.Raw("<p class=\"muted\">").Text(message).Raw("</p>");
        var shown = 0;
        foreach (var sample in r.Array("samples"))
        {
            if (shown++ == KeysShown)
                break;
            html.Raw("<code>").Text(sample.Field("key") is { } key ? JsonFields.Pairs(key) : JsonFields.Pairs(sample)).Raw("</code> ");
        }

        if ((r.Long("failing") ?? 0) > shown && shown > 0)
            html.Raw("…");
        html.Raw("</td>");
    }
}
