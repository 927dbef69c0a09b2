namespace Ferry.Reports.Internal;

/// <summary>
/// A long table collapsed under one summary and split into pages of <see cref="PageSize"/> rows, each collapsed too,
/// so a browser lays out only what a reader opens.
/// </summary>
internal static class PagedTable
{
    public const int PageSize = 250;

    public static void Write(HtmlWriter html, string summary, int count, string[] headers, Action<HtmlWriter, int> row, bool open = false)
    {
        if (count == 0)
            return;
        html.Raw(open ? "<details class=\"all\" open><summary>" : "<details class=\"all\"><summary>").Text(summary).Raw("</summary>\n");
        if (count <= PageSize)
        {
            Rows(html, 0, count, headers, row);
        }
        else
        {
            for (var start = 0; start < count; start += PageSize)
            {
                var end = Math.Min(start + PageSize, count);
                html.Raw("<details class=\"page\"><summary>").Count(start + 1).Raw("–").Count(end).Raw(" of ").Count(count).Raw("</summary>\n");
                Rows(html, start, end, headers, row);
                html.Raw("</details>\n");
            }
        }

        html.Raw("</details>\n");
    }

    static void Rows(HtmlWriter html, int start, int end, string[] headers, Action<HtmlWriter, int> row)
    {
        html.TableStart(headers);
        for (var i = start; i < end; i++)
        {
            html.Raw("<tr>");
            row(html, i);
            html.Raw("</tr>\n");
        }

        html.TableEnd();
    }
}
