namespace Ferry.Reports.Internal;

/// <summary>One bar: its label and its value (and, for a Gantt strip, where it starts).</summary>
internal readonly record struct Bar(string Label, double Value, double Start = 0);

/// <summary>
/// Horizontal bars as inline SVG. Widths and positions are percentages of the chart's own width and text sits in
/// CSS pixels, so a chart narrows with the page without its text shrinking (no viewBox scaling).
/// </summary>
internal static class BarChart
{
    const int RowHeight = 28;
    const int LabelChars = 44;

    /// <summary>
    /// Bars from zero, longest first as given; <paramref name="value"/> writes a bar's figure (right-aligned on the
    /// label's line).
    /// </summary>
    public static void Write(HtmlWriter html, string title, IReadOnlyList<Bar> bars, Action<HtmlWriter, double> value, string barClass = "bar")
    {
        var max = 0.0;
        foreach (var bar in bars)
            max = Math.Max(max, bar.Value);
        Open(html, title, bars.Count);
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var width = max > 0 ? Math.Max(bar.Value / max * 100, bar.Value > 0 ? 0.3 : 0) : 0;
            Row(html, i, bar, 0, width, value, barClass);
        }

        html.Raw("</svg></figure>\n");
    }

    /// <summary>
    /// A Gantt strip: each bar starts at <see cref="Bar.Start"/> and lasts <see cref="Bar.Value"/> on one time axis
    /// from zero to <paramref name="total"/> (the longer of the run and the last bar's end).
    /// </summary>
    public static void WriteTimeline(HtmlWriter html, string title, IReadOnlyList<Bar> bars, double total)
    {
        foreach (var bar in bars)
            total = Math.Max(total, bar.Start + bar.Value);
        Open(html, title, bars.Count);
        for (var i = 0; i < bars.Count; i++)
        {
            var bar = bars[i];
            var x = total > 0 ? bar.Start / total * 100 : 0;
            var width = total > 0 ? Math.Max(bar.Value / total * 100, 0.4) : 0;
            Row(html, i, bar, Math.Min(x, 99.6), Math.Min(width, 100 - Math.Min(x, 99.6)), static (h, v) => h.Seconds(v), "bar phase" + (i % 4));
        }

        html.Raw("</svg></figure>\n");
    }

    static void Open(HtmlWriter html, string title, int count) =>
        html.Raw("<figure class=\"chart\"><figcaption>").Text(title).Raw("</figcaption><svg role=\"img\" width=\"100%\" height=\"")
            .Number(count * RowHeight + 4, 0).Raw("\"><title>").Text(title).Raw("</title>");

    static void Row(HtmlWriter html, int index, Bar bar, double x, double width, Action<HtmlWriter, double> value, string barClass)
    {
        var top = index * RowHeight;
        html.Raw("<g><title>").Text(bar.Label).Raw(": ");
        value(html, bar.Value);
        html.Raw("</title><text x=\"0\" y=\"").Number(top + 12, 0).Raw("\">").Text(bar.Label, LabelChars).Raw("</text>")
            .Raw("<text class=\"v\" x=\"100%\" y=\"").Number(top + 12, 0).Raw("\" text-anchor=\"end\">");
        value(html, bar.Value);
        html.Raw("</text><rect class=\"track\" x=\"0\" y=\"").Number(top + 16, 0).Raw("\" width=\"100%\" height=\"8\" rx=\"2\"/>")
            .Raw("<rect class=\"").Raw(barClass).Raw("\" x=\"").Number(x, 2).Raw("%\" y=\"").Number(top + 16, 0)
            .Raw("\" width=\"").Number(width, 2).Raw("%\" height=\"8\" rx=\"2\"/></g>\n");
    }
}
