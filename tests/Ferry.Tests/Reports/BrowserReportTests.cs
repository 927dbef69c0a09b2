using System.Text.Json;
using System.Text.RegularExpressions;
using Ferry.Journal;
using Ferry.Reports;
using Ferry.Tests.Infrastructure;
using Ferry.Tests.Sqlite;
using Xunit.Abstractions;
using static Ferry.Tests.Reports.ReportRuns;

namespace Ferry.Tests.Reports;

/// <summary>Reports of real runs opened in headless Chromium; the screenshots stay under the test output folder.</summary>
public sealed partial class BrowserReportTests(ITestOutputHelper output)
{
    static readonly string Screenshots = Path.Combine(AppContext.BaseDirectory, "report-screenshots");

    [ChromiumFact]
    public async Task A_chinook_copy_with_a_reject_and_its_verify_with_a_difference_render_in_chromium()
    {
        using var file = SqliteTestFile.CopyOf("chinook.sqlite");
        await using var db = await TestCluster.CreateDatabaseAsync("report_chinook");
        var rejects = Directory.CreateTempSubdirectory("ferry-report-rejects-").FullName;
        Directory.CreateDirectory(Screenshots);
        var copyHtml = Path.Combine(Screenshots, "chinook-copy.html");
        var verifyHtml = Path.Combine(Screenshots, "chinook-verify.html");
        // numeric(3,2) holds no total of 10 or more: those invoices are rejected. The copy writes its own report; the
        // verify's is written from the journal afterwards (ferry report last).
        var copy = await CliRunner.RunAsync("copy", "sqlite:" + file.Path, "--to", db.Url, "--rejects", rejects, "--cast", "Invoice.Total=numeric(3,2)", "--verify", "--json", "--report", copyHtml);
        Assert.True(copy.ExitCode == 1, copy.ToString());
        await db.ExecuteAsync("UPDATE album SET title = 'changed after the copy' WHERE albumid = 5");
        var verify = await CliRunner.RunAsync("verify", "sqlite:" + file.Path, "--to", db.Url, "--json");
        Assert.True(verify.ExitCode == 1, verify.ToString());
        var report = await CliRunner.RunAsync("report", "last", "--html", verifyHtml, "--database", db.Url);
        Assert.True(report.ExitCode == 0, report.ToString());

        var copyDom = await OpenAsync("chinook-copy", copyHtml);
        foreach (var table in new[] { "public.album", "public.artist", "public.invoice", "public.invoiceline", "public.playlisttrack", "public.track" })
            Assert.Contains(table, copyDom, StringComparison.Ordinal);
        Assert.Contains("8,715", copyDom, StringComparison.Ordinal);
        Assert.Contains("<td>public.invoice</td><td>Invoice</td><td class=\"n\">412</td><td class=\"n\">348</td><td class=\"n bad\">64</td>", copyDom, StringComparison.Ordinal);
        Assert.Contains("<dt>rows rejected</dt><dd><span class=\"bad\">64</span>", copyDom, StringComparison.Ordinal);
        Assert.Contains("numeric(3,2)</td>", copyDom, StringComparison.Ordinal);

        var verifyDom = await OpenAsync("chinook-verify", verifyHtml);
        Assert.Contains("<td>public.album</td><td>Album</td><td><span class=\"badge problems\">different</span></td><td>content</td><td class=\"n\">347</td><td class=\"n\">347</td><td class=\"n\">1</td>", verifyDom, StringComparison.Ordinal);
        Assert.Contains("<td>changed</td><td><code>albumid=5</code></td>", verifyDom, StringComparison.Ordinal);
        Assert.Contains("<td>public.track</td><td>Track</td><td><span class=\"badge ok\">ok</span>", verifyDom, StringComparison.Ordinal);
        Directory.Delete(rejects, recursive: true);
    }

    [ChromiumFact]
    public async Task A_run_over_5000_tables_loads_in_chromium()
    {
        var dom = await RenderAsync("copy-5000-tables", Run("copy", LargeCopy(5000), RunOutcome.Problems, 1));

        Assert.Contains("<text x=\"0\" y=\"12\">public.t05000</text>", dom, StringComparison.Ordinal);
        Assert.Contains("<summary>4,751–5,000 of 5,000</summary>", dom, StringComparison.Ordinal);
        Assert.Contains("<code>id=7</code>", dom, StringComparison.Ordinal);
        Assert.Contains("</footer>", dom, StringComparison.Ordinal);
    }

    /// <summary>Writes the report, takes a laptop and a phone screenshot, and returns the DOM Chromium loaded.</summary>
    async Task<string> RenderAsync(string name, RunRecord run)
    {
        Directory.CreateDirectory(Screenshots);
        var html = Path.Combine(Screenshots, name + ".html");
        HtmlReport.WriteFile(run, html);
        return await OpenAsync(name, html);
    }

    /// <summary>Opens a report file: a laptop and a phone screenshot beside it, and the DOM Chromium loaded.</summary>
    async Task<string> OpenAsync(string name, string html)
    {
        var dom = await HeadlessChromium.DumpDomAsync(html);
        Assert.Contains("</footer>", dom, StringComparison.Ordinal);
        // No request left the page: nothing in it has a source or a link to anywhere.
        Assert.DoesNotMatch(Fetching(), dom);
        foreach (var (suffix, width, height) in new[] { ("laptop", 1366, 2200), ("phone", 390, 2200) })
        {
            var png = Path.Combine(Screenshots, $"{name}-{suffix}.png");
            File.Delete(png);
            await HeadlessChromium.ScreenshotAsync(html, png, width, height);
            Assert.True(new FileInfo(png).Length > 1000, png);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(png)[..4]);
            output.WriteLine($"screenshot: {png}");
        }

        output.WriteLine($"report: {html}");
        return dom;
    }

    [GeneratedRegex("""\b(src|href|srcset|action|data)\s*=\s*["']?\s*(https?:|//)""", RegexOptions.IgnoreCase)]
    private static partial Regex Fetching();
}
