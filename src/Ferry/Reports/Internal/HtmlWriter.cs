using System.Globalization;

namespace Ferry.Reports.Internal;

/// <summary>
/// Writes HTML to a <see cref="TextWriter"/>: markup written as given (<see cref="Raw"/>), everything else escaped
/// (<see cref="Text(string?)"/>), numbers formatted without allocating.
/// </summary>
internal sealed class HtmlWriter(TextWriter writer)
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Markup Ferry wrote itself: never anything read from a document or a record.</summary>
    public HtmlWriter Raw(string markup)
    {
        writer.Write(markup);
        return this;
    }

    /// <summary>Text as text: <c>&amp; &lt; &gt; " '</c> escaped, control characters replaced (valid in elements and attributes, HTML and SVG).</summary>
    public HtmlWriter Text(string? text)
    {
        if (string.IsNullOrEmpty(text))
            return this;
        var span = text.AsSpan();
        var start = 0;
        for (var i = 0; i < span.Length; i++)
        {
            var escaped = Escape(span[i]);
            if (escaped is null)
                continue;
            writer.Write(span[start..i]);
            writer.Write(escaped);
            start = i + 1;
        }

        writer.Write(span[start..]);
        return this;
    }

    /// <summary>Text cut to <paramref name="max"/> characters (an ellipsis marks the cut).</summary>
    public HtmlWriter Text(string? text, int max)
    {
        if (text is null || text.Length <= max)
            return Text(text);
        var cut = char.IsHighSurrogate(text[max - 2]) ? max - 2 : max - 1;
        return Text(text[..cut]).Raw("…");
    }

    static string? Escape(char c) => c switch
    {
        '&' => "&amp;",
        '<' => "&lt;",
        '>' => "&gt;",
        '"' => "&quot;",
        '\'' => "&#39;",
        '\t' or '\n' or '\r' => null,
        < ' ' or '\u007f' => "\uFFFD",
        _ => null,
    };

    /// <summary>A count with thousands separators: 1,234,567.</summary>
    public HtmlWriter Count(long value) => Format(value, "N0");

    /// <summary>A number with up to <paramref name="decimals"/> decimals, without separators (for SVG attributes).</summary>
    public HtmlWriter Number(double value, int decimals = 2)
    {
        Span<char> buffer = stackalloc char[32];
        var format = decimals switch { 0 => "0", 1 => "0.#", 2 => "0.##", _ => "0.###" };
        if (!double.IsFinite(value))
            value = 0;
        value.TryFormat(buffer, out var written, format, Invariant);
        writer.Write(buffer[..written]);
        return this;
    }

    /// <summary>A duration in seconds for a person: <c>0.042 s</c>, <c>4.2 s</c>, <c>12.3 s</c>, <c>4 min 05 s</c>, <c>2 h 03 min</c>.</summary>
    public HtmlWriter Seconds(double seconds)
    {
        if (!double.IsFinite(seconds) || seconds < 0)
            seconds = 0;
        if (seconds < 1)
            return Number(seconds, 3).Raw(" s");
        if (seconds < 10)
            return Number(seconds).Raw(" s");
        if (seconds < 60)
            return Number(seconds, 1).Raw(" s");
        var whole = (long)Math.Round(seconds);
        if (whole < 3600)
            return Format(whole / 60, "0").Raw(" min ").Format(whole % 60, "00").Raw(" s");
        return Format(whole / 3600, "0").Raw(" h ").Format(whole / 60 % 60, "00").Raw(" min");
    }

    /// <summary>A UTC time: <c>2026-12-07 03:42:51 UTC</c>.</summary>
    public HtmlWriter Utc(DateTimeOffset time)
    {
        Span<char> buffer = stackalloc char[32];
        time.UtcDateTime.TryFormat(buffer, out var written, "yyyy-MM-dd HH:mm:ss", Invariant);
        writer.Write(buffer[..written]);
        return Raw(" UTC");
    }

    HtmlWriter Format(long value, string format)
    {
        Span<char> buffer = stackalloc char[32];
        value.TryFormat(buffer, out var written, format, Invariant);
        writer.Write(buffer[..written]);
        return this;
    }

    /// <summary><c>&lt;tag class="…"&gt;text&lt;/tag&gt;</c>, the text escaped.</summary>
    public HtmlWriter Element(string tag, string? cssClass, string? text)
    {
        writer.Write('<');
        writer.Write(tag);
        if (cssClass is not null)
        {
            writer.Write(" class=\"");
            writer.Write(cssClass);
            writer.Write('"');
        }

        writer.Write('>');
        Text(text);
        writer.Write("</");
        writer.Write(tag);
        writer.Write('>');
        return this;
    }

    /// <summary>A table cell holding text.</summary>
    public HtmlWriter Cell(string? text) => Element("td", null, text);

    /// <summary>A right-aligned table cell holding a count.</summary>
    public HtmlWriter CountCell(long value) => Raw("<td class=\"n\">").Count(value).Raw("</td>");

    /// <summary>A section heading with an anchor id (ids are Ferry's own words, never a document's).</summary>
    public HtmlWriter Heading(string id, string title) =>
        Raw("<h2 id=\"").Raw(id).Raw("\">").Text(title).Raw("</h2>\n");

    /// <summary>A table's opening: its scrolling box and header row.</summary>
    public HtmlWriter TableStart(params string[] headers)
    {
        Raw("<div class=\"scroll\"><table><thead><tr>");
        foreach (var header in headers)
        {
            var numeric = header.StartsWith('#');
            Raw(numeric ? "<th class=\"n\">" : "<th>").Text(numeric ? header[1..] : header).Raw("</th>");
        }

        return Raw("</tr></thead><tbody>\n");
    }

    public HtmlWriter TableEnd() => Raw("</tbody></table></div>\n");

    /// <summary>Opens one figure of a <c>&lt;dl class="figures"&gt;</c>; the caller writes the value, then <see cref="FigureEnd"/>.</summary>
    public HtmlWriter Figure(string label) => Raw("<div><dt>").Text(label).Raw("</dt><dd>");

    public HtmlWriter FigureEnd() => Raw("</dd></div>");

    /// <summary>A list of messages (warnings, failures) under a heading; nothing when there are none.</summary>
    public HtmlWriter Messages(string id, string title, string cssClass, IReadOnlyList<string> messages)
    {
        if (messages.Count == 0)
            return this;
        Heading(id, title).Raw("<ul class=\"").Raw(cssClass).Raw("\">");
        foreach (var message in messages)
            Element("li", null, message);
        return Raw("</ul>\n");
    }
}
