using System.Text.Json;
using Ferry.Journal;

namespace Ferry.Reports.Internal.Sections;

/// <summary>
/// Any kind of run no other section shows: its document as a tree of names and values, long lists collapsed.
/// </summary>
internal sealed class DocumentTreeSection : IReportSection
{
    /// <summary>Lists and objects longer than this start collapsed.</summary>
    const int OpenUpTo = 20;

    public bool Shows(string kind) => true;

    public void Write(HtmlWriter html, RunRecord run, JsonElement document)
    {
        html.Heading("document", "Details");
        html.Raw("<div class=\"tree\">");
        Value(html, document);
        html.Raw("</div>\n");
    }

    static void Value(HtmlWriter html, JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                Object(html, value);
                break;
            case JsonValueKind.Array:
                Array(html, value);
                break;
            case JsonValueKind.String:
                html.Raw("<span class=\"s\">").Text(value.GetString()).Raw("</span>");
                break;
            case JsonValueKind.Null:
                html.Raw("<span class=\"muted\">null</span>");
                break;
            default:
                html.Raw("<span class=\"n\">").Text(value.GetRawText()).Raw("</span>");
                break;
        }
    }

    static void Object(HtmlWriter html, JsonElement value)
    {
        var count = 0;
        foreach (var _ in value.EnumerateObject())
            count++;
        if (count == 0)
        {
            html.Raw("<span class=\"muted\">{}</span>");
            return;
        }

        Collapsible(html, count, count == 1 ? "1 field" : $"{count:N0} fields", () =>
        {
            html.Raw("<dl>");
            foreach (var member in value.EnumerateObject())
            {
                html.Element("dt", null, member.Name).Raw("<dd>");
                Value(html, member.Value);
                html.Raw("</dd>");
            }

            html.Raw("</dl>");
        });
    }

    static void Array(HtmlWriter html, JsonElement value)
    {
        var count = value.GetArrayLength();
        if (count == 0)
        {
            html.Raw("<span class=\"muted\">[]</span>");
            return;
        }

        Collapsible(html, count, count == 1 ? "1 item" : $"{count:N0} items", () =>
        {
            html.Raw("<ol start=\"0\">");
            foreach (var item in value.EnumerateArray())
            {
                html.Raw("<li>");
                Value(html, item);
                html.Raw("</li>");
            }

            html.Raw("</ol>");
        });
    }

    static void Collapsible(HtmlWriter html, int count, string summary, Action body)
    {
        if (count <= OpenUpTo)
        {
            body();
            return;
        }

        html.Raw("<details><summary>").Text(summary).Raw("</summary>");
        body();
        html.Raw("</details>");
    }
}
