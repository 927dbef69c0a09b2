using System.Text.Json;

namespace Ferry.Reports.Internal.Sections;

/// <summary>
/// A copy's phases (discover, create, load, keys, …) as a Gantt strip. A phase without <c>started</c> (an older
/// run) is placed after the one before it.
/// </summary>
internal static class PhaseTimeline
{
    public static void Write(HtmlWriter html, JsonElement document, double? runSeconds)
    {
        var phases = new List<Bar>(document.Length("phases"));
        var next = 0.0;
        foreach (var p in document.Array("phases"))
        {
            var seconds = Math.Max(p.Double("seconds") ?? 0, 0);
            var started = p.Double("started") is { } s && s >= 0 ? s : next;
            phases.Add(new Bar(p.String("phase") ?? "?", seconds, started));
            next = started + seconds;
        }

        if (phases.Count == 0)
            return;
        var total = document.Double("seconds") ?? runSeconds ?? 0;
        html.Heading("phases", "Phases");
        BarChart.WriteTimeline(html, "Phases on the run's time line (from its start)", phases, total);
    }
}
