using System.Text.Json;
using Ferry.Journal;

namespace Ferry.Reports.Internal.Sections;

/// <summary>
/// A <c>check</c> run: its figures, then every expectation with its status, failing count and first failing keys; under
/// <c>--compare</c>, the source compared with, how many failures the target introduced, and each result's side in the source.
/// </summary>
internal sealed class CheckSection : IReportSection
{
    /// <summary>Failing keys shown per expectation; the JSON document holds up to <c>--max-samples</c>.</summary>
    const int KeysShown = 10;

    public bool Shows(string kind) => kind == "check";

    public void Write(HtmlWriter html, RunRecord run, JsonElement document) => WriteExpectations(html, document, "Expectations");

    /// <summary>A check's document (<c>ferry check --json</c>'s, or the <c>check</c> member of a gated copy's or migration's).</summary>
    public static void WriteExpectations(HtmlWriter html, JsonElement document, string title)
    {
        var results = document.Items("results");
        int Count(string status) => results.Count(r => r.String("status") == status);
        var compared = results.Any(r => r.Field("source") is not null);
        html.Heading("check", title);
        html.Raw("<dl class=\"figures\">");
        if (document.String("source") is { } source)
            html.Figure(compared ? "compared with" : "checked on").Text(source).FigureEnd();
        html.Figure("expectations").Count(results.Length).FigureEnd();
        html.Figure("passed").Count(Count("passed")).FigureEnd();
        html.Figure("warned").Count(Count("warned")).FigureEnd();
        html.Figure("failed").Raw(Count("failed") > 0 ? "<span class=\"bad\">" : "<span>").Count(Count("failed")).Raw("</span>").FigureEnd();
        if (compared)
        {
            var introduced = results.Count(r => r.Bool("introduced") == true);
            html.Figure("introduced").Raw(introduced > 0 ? "<span class=\"bad\">" : "<span>").Count(introduced).Raw("</span>").FigureEnd();
            html.Figure("pre-existing").Count(results.Count(r => r.String("comparison") == "pre-existing")).FigureEnd();
        }

        html.Figure("could not run").Raw(Count("error") > 0 ? "<span class=\"bad\">" : "<span>").Count(Count("error")).Raw("</span>").FigureEnd();
        if (document.Double("seconds") is { } seconds)
            html.Figure("time").Seconds(seconds).FigureEnd();
        html.Raw("</dl>\n");
        PagedTable.Write(
            html,
            $"All {results.Length:N0} expectations",
            results.Length,
            compared ? ["table", "expectation", "status", "#failing", "failing keys", "in the source"] : ["table", "expectation", "status", "#failing", "failing keys"],
            (h, i) => Row(h, results[i], compared),
            open: true);
    }

    static void Row(HtmlWriter html, JsonElement r, bool compared)
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
        if (compared)
            InSource(html, r);
    }

    /// <summary>The source's side: introduced (a badge), pre-existing or resolved with the source's failing count, else its status.</summary>
    static void InSource(HtmlWriter html, JsonElement r)
    {
        html.Raw("<td>");
        if (r.Field("source") is { } source)
        {
            var failing = source.Long("failing") ?? 0;
            switch (r.String("comparison"))
            {
                case "introduced":
                    html.Raw("<span class=\"badge failed\">introduced</span>");
                    break;
                case "pre-existing" or "resolved":
                    html.Text($"{r.String("comparison")} ({failing.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} failing)");
                    break;
                default:
                    html.Text(source.String("status"));
                    break;
            }

            if (source.String("message") is { } message && source.String("status") != "passed")
                html.Raw("<p class=\"muted\">").Text(message).Raw("</p>");
        }

        html.Raw("</td>");
    }
}
