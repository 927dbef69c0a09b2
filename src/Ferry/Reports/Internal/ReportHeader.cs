using Ferry.Journal;

namespace Ferry.Reports.Internal;

/// <summary>The report's head: what ran, against which target, where, by whom, when, for how long, and how it ended.</summary>
internal static class ReportHeader
{
    public static void Write(HtmlWriter html, RunRecord run)
    {
        var outcome = RunRecord.Name(run.Outcome);
        html.Raw("<header><h1>ferry ").Text(run.Kind).Raw(" <span class=\"badge ").Raw(outcome).Raw("\">").Raw(outcome).Raw("</span></h1>\n")
            .Raw("<pre class=\"command\"><code>").Text(run.Command).Raw("</code></pre>\n<dl class=\"facts\">");
        html.Figure("run").Raw("#").Count(run.Id).FigureEnd();
        if (run.Target is not null)
            html.Figure("target").Raw("<code>").Text(run.Target).Raw("</code>").FigureEnd();
        if (run.Environment is not null)
            html.Figure("environment").Text(run.Environment).FigureEnd();
        if (run.ClientUser is not null || run.ClientHost is not null)
            html.Figure("by").Text(run.ClientUser is null ? run.ClientHost : run.ClientHost is null ? run.ClientUser : $"{run.ClientUser}@{run.ClientHost}").FigureEnd();
        html.Figure("started").Utc(run.StartedAt).FigureEnd();
        if (run.EndedAt is { } ended)
            html.Figure("ended").Utc(ended).FigureEnd();
        if (run.Seconds is { } seconds)
            html.Figure("took").Seconds(seconds).FigureEnd();
        html.Figure("outcome").Raw("<span class=\"badge ").Raw(outcome).Raw("\">").Raw(outcome).Raw("</span>").FigureEnd();
        if (run.ExitCode is { } exit)
            html.Figure("exit code").Count(exit).FigureEnd();
        html.Figure("ferry").Text(run.Version).FigureEnd();
        html.Raw("</dl>\n");
        if (!string.IsNullOrEmpty(run.Summary))
            html.Raw("<details class=\"summary\"><summary>The summary it printed</summary><pre>").Text(run.Summary).Raw("</pre></details>\n");
        html.Raw("</header>\n");
    }
}
