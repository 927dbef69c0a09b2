using System.Text.Json;

namespace Ferry.Reports.Metrics;

/// <summary>A check's figures (<c>ferry check</c>'s document): expectations by status, and each one's failing rows.</summary>
internal static class CheckMetrics
{
    /// <summary>The statuses an expectation can have; each is written, 0 when none has it, so an alert can watch it.</summary>
    static readonly string[] Statuses = ["passed", "warned", "failed", "error"];

    /// <summary>Where a compared expectation's failure comes from (<c>--compare</c>); each is written, 0 when none has it.</summary>
    static readonly string[] Comparisons = ["introduced", "pre-existing", "resolved", "none", "unknown"];

    public static void Write(Exposition text, JsonElement document)
    {
        var results = document.Array("results").Where(r => r.Text("table") is not null && r.Text("status") is not null).ToList();
        var counts = results.CountBy(r => r.Text("status")!, StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
        text.Gauge(
            "ferry_check_expectations",
            "Expectations checked, by status: passed, warned (failed with severity warn), failed (severity error), error (could not run).",
            Statuses.Concat(counts.Keys.Except(Statuses, StringComparer.Ordinal).Order(StringComparer.Ordinal)).Select(s => new Sample(counts.GetValueOrDefault(s), new Label("status", s))));
        text.Gauge(
            "ferry_check_failing_rows",
            "Rows failing an expectation (rows: how far the count is outside; fresh: 1 when stale); absent for one that could not run.",
            results.Where(r => r.Text("status") != "error").Samples(
                r => r.Number("failing"),
                r => [new("table", r.Text("table")!), new("expectation", r.Text("description") ?? r.Text("expectation") ?? ""), new("stage", r.Text("stage") ?? "after")]));
        if (results.Any(r => r.Text("comparison") is not null))
        {
            var compared = results.CountBy(r => r.Text("comparison") ?? "", StringComparer.Ordinal).ToDictionary(StringComparer.Ordinal);
            text.Gauge(
                "ferry_check_compared",
                "Under --compare, expectations by where their failure comes from: introduced (the target alone fails it), pre-existing (both), resolved (the source alone), none, unknown (a side could not run it).",
                Comparisons.Select(c => new Sample(compared.GetValueOrDefault(c), new Label("comparison", c))));
        }

        if (document.Number("seconds") is { } seconds)
            text.Gauge("ferry_check_seconds", "Seconds the check took.", seconds);
    }
}
