using System.Text;
using Ferry.Journal;
using Ferry.Reports.Internal;

namespace Ferry.Reports;

/// <summary>
/// A journaled run as one self-contained HTML document: inline CSS and SVG charts, no script, nothing fetched (a
/// Content-Security-Policy forbids it), readable offline, on a phone and on paper. Every name and value from the
/// record and its document is escaped.
/// </summary>
public static class HtmlReport
{
    static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>Writes the report of <paramref name="run"/> to <paramref name="writer"/>.</summary>
    public static void Write(RunRecord run, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(writer);
        var html = new HtmlWriter(writer);
        html.Raw("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
            .Raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n")
            .Raw("<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n")
            .Raw("<meta name=\"generator\" content=\"ferry ").Text(run.Version).Raw("\">\n")
            .Raw("<title>ferry ").Text(run.Kind).Raw(" #").Count(run.Id).Raw(": ").Raw(RunRecord.Name(run.Outcome)).Raw("</title>\n<style>")
            .Raw(ReportStyle.Css).Raw("</style></head>\n<body><main>\n");
        ReportHeader.Write(html, run);
        if (run.Document is { ValueKind: System.Text.Json.JsonValueKind.Object or System.Text.Json.JsonValueKind.Array } document)
            ReportSections.For(run.Kind).Write(html, run, document);
        else
            html.Raw("<p class=\"muted\">This run has no document: it ")
                .Raw(run.EndedAt is null ? "has not ended." : "ended before making one.").Raw(" What it printed, if anything, is above.</p>\n");
        html.Raw("<footer>Written by ferry ").Text(run.Version).Raw(" from run #").Count(run.Id).Raw(" of the target's journal.</footer>\n</main></body></html>\n");
    }

    /// <summary>
    /// Writes the report to <paramref name="path"/>: to a temporary file beside it, then renamed over it, so a
    /// reader never sees half a report (Ferry.Internal.AtomicFile).
    /// </summary>
    public static void WriteFile(RunRecord run, string path)
    {
        ArgumentNullException.ThrowIfNull(run);
        Ferry.Internal.AtomicFile.Write(path, "report", "report.html", FailureKind.Configuration, stream =>
        {
            using var writer = new StreamWriter(stream, Utf8, 1 << 16, leaveOpen: true);
            Write(run, writer);
        });
    }
}
