using System.Text.Json;
using Ferry.Journal;

namespace Ferry.Reports.Internal.Sections;

/// <summary>
/// <c>migrate up|down|repair|baseline</c>: the migrations applied or reverted with their times as bars, the one that
/// failed with file:line:column and PostgreSQL's message, detail and hint, repair's actions, the baseline.
/// </summary>
internal sealed class MigrationSection : IReportSection
{
    const int Charted = 40;

    public bool Shows(string kind) => kind.StartsWith("migrate", StringComparison.Ordinal);

    public void Write(HtmlWriter html, RunRecord run, JsonElement document)
    {
        html.Heading("migrations", "Migrations");
        html.Raw("<dl class=\"figures\">");
        if (document.String("history_table") is { } history)
            html.Figure("history table").Raw("<code>").Text(history).Raw("</code>").FigureEnd();
        if (document.HasArray("steps"))
            html.Figure(run.Kind == "migrate down" ? "reverted" : "applied").Count(document.Length("steps")).FigureEnd();
        if (document.Bool("dry_run") == true)
            html.Figure("dry run").Raw("yes: nothing was changed").FigureEnd();
        if (document.String("baseline") is { } baseline)
            html.Figure("baselined at version").Text(baseline).FigureEnd();
        html.Raw("</dl>\n");
        WriteError(html, document);
        WriteSteps(html, document);
        WriteRepair(html, document);
        if (document.String("sql") is { Length: > 0 } sql)
            html.Raw("<details><summary>The SQL, in order</summary><pre>").Text(sql).Raw("</pre></details>\n");
        if (document.Field("check") is { ValueKind: JsonValueKind.Object } check)
            CheckSection.WriteExpectations(html, check, "Expectations (--expect)");
    }

    static void WriteError(HtmlWriter html, JsonElement document)
    {
        if (document.Field("error") is not { ValueKind: JsonValueKind.Object } error)
            return;
        html.Raw("<div class=\"problem\"><h3>Failed</h3><p><code>").Text(error.String("file"));
        if (error.Long("line") is { } line)
        {
            html.Raw(":").Count(line);
            if (error.Long("column") is { } column)
                html.Raw(":").Count(column);
        }

        html.Raw("</code></p>\n<p class=\"bad\">").Text(error.String("message")).Raw("</p>\n");
        if (error.String("detail") is { } detail)
            html.Raw("<p><b>Detail:</b> ").Text(detail).Raw("</p>\n");
        if (error.String("hint") is { } hint)
            html.Raw("<p><b>Hint:</b> ").Text(hint).Raw("</p>\n");
        html.Raw("<p class=\"muted\">The migrations listed below completed before it.</p></div>\n");
    }

    static void WriteSteps(HtmlWriter html, JsonElement document)
    {
        var steps = document.Items("steps");
        var count = steps.Length;
        if (count == 0)
            return;
        var bars = new List<Bar>(count);
        foreach (var s in steps)
        {
            if (s.Long("execution_ms") is { } ms)
                bars.Add(new Bar(Label(s), ms));
        }

        if (bars.Count > Charted)
        {
            bars.Sort(static (a, b) => b.Value.CompareTo(a.Value));
            bars.RemoveRange(Charted, bars.Count - Charted);
        }

        if (bars.Count > 0)
            BarChart.Write(html, bars.Count < count ? $"Milliseconds, the {Charted} slowest" : "Milliseconds each, in the order they ran", bars, static (h, v) => h.Count((long)v).Raw(" ms"));
        PagedTable.Write(
            html,
            count == 1 ? "1 migration" : $"{count:N0} migrations",
            count,
            ["version", "name", "kind", "file", "transaction", "#ms"],
            (h, i) =>
            {
                var s = steps[i];
                h.Cell(s.String("version")).Cell(s.String("name")).Cell(s.String("kind")).Cell(s.String("file"))
                    .Cell(s.Bool("transactional") switch { true => "yes", false => "no", null => "" })
                    .Raw("<td class=\"n\">");
                if (s.Long("execution_ms") is { } ms)
                    h.Count(ms);
                h.Raw("</td>");
            },
            open: true);
    }

    static string Label(JsonElement step) =>
        step.String("version") is { } version ? $"{version} {step.String("name")}" : step.String("name") ?? step.String("file") ?? "?";

    static void WriteRepair(HtmlWriter html, JsonElement document)
    {
        if (!document.HasArray("actions"))
            return;
        var count = document.Length("actions");
        html.Raw("<h3>Repairs</h3>\n");
        if (count == 0)
        {
            html.Raw("<p>Nothing to repair: the history agreed with the folder.</p>\n");
            return;
        }

        html.TableStart("version", "name", "action");
        foreach (var a in document.Array("actions"))
            html.Raw("<tr>").Cell(a.String("version") ?? "R").Cell(a.String("name")).Cell(a.String("action")).Raw("</tr>\n");
        html.TableEnd();
    }
}
