using System.Text.Json;
using Ferry.Journal;

namespace Ferry.Reports.Internal;

/// <summary>
/// The part of a report that shows one kind of run's document. Each reads the document tolerantly: a field a run
/// of an older version did not write is skipped. Registered in <see cref="ReportSections"/>.
/// </summary>
internal interface IReportSection
{
    /// <summary>Whether this section shows runs of <paramref name="kind"/> (<c>copy</c>, <c>migrate up</c>, …).</summary>
    bool Shows(string kind);

    void Write(HtmlWriter html, RunRecord run, JsonElement document);
}
