using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Ferry.Journal;
using Ferry.Reports;
using Ferry.Reports.Internal.Sections;
using static Ferry.Tests.Reports.ReportRuns;

namespace Ferry.Tests.Reports;

public sealed partial class HtmlReportTests
{
    [Fact]
    public void Copy_report_shows_the_header_tables_rejects_orphans_and_the_verify_difference()
    {
        var html = Html(Run("copy", ReportDocuments.CopyVerified(), RunOutcome.Problems, 1, "ferry copy sqlite:chinook.sqlite --verify --json"));

        Assert.Contains("<span class=\"badge problems\">problems</span>", html, StringComparison.Ordinal);
        Assert.Contains("ferry copy sqlite:chinook.sqlite --verify --json", html, StringComparison.Ordinal);
        Assert.Contains("postgres://app@db.internal:5432/shop", html, StringComparison.Ordinal);
        Assert.Contains("alice@build-7", html, StringComparison.Ordinal);
        Assert.Contains("2026-12-07 03:40:00 UTC", html, StringComparison.Ordinal);
        Assert.Contains("<dt>took</dt><dd>1 min 16 s</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>exit code</dt><dd>1</dd>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>environment</dt><dd>staging</dd>", html, StringComparison.Ordinal);
        // Every table, in the charts and the list; the largest first.
        foreach (var table in new[] { "public.playlisttrack", "public.track", "public.invoice", "public.mediatype" })
            Assert.Contains(table, html, StringComparison.Ordinal);
        Assert.True(html.IndexOf(">public.playlisttrack<", StringComparison.Ordinal) < html.IndexOf(">public.track<", StringComparison.Ordinal));
        Assert.Contains("8,715", html, StringComparison.Ordinal);
        Assert.Contains("<dt>rows rejected</dt><dd><span class=\"bad\">64</span>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>throughput</dt><dd>", html, StringComparison.Ordinal);
        // An older document (rows_rejected only): the rejecting table and the folder of reject files.
        Assert.Contains("<td>public.invoice</td><td>Invoice</td><td class=\"n\">64</td>", html, StringComparison.Ordinal);
        Assert.Contains("<code>/tmp/r19/rej</code>", html, StringComparison.Ordinal);
        Assert.Contains("invoiceline_invoiceid_fkey", html, StringComparison.Ordinal);
        Assert.Contains("SQLite enforces foreign keys only when", html, StringComparison.Ordinal);
        // The verification it embeds: album 5 and artist 3 differ, invoiceline has orphans.
        Assert.Contains("Verification after the copy", html, StringComparison.Ordinal);
        Assert.Contains("<td>changed</td><td><code>albumid=5</code>", html, StringComparison.Ordinal);
        Assert.Contains("<code>artistid=3</code>", html, StringComparison.Ordinal);
        Assert.Contains("invoiceid with no match in public.invoice(invoiceid)", html, StringComparison.Ordinal);
        Assert.Equal(2, Count(html, "<svg "));
        Assert.EndsWith("</html>\n", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Copy_report_shows_phases_rejects_by_reason_with_samples_and_the_mapping()
    {
        var document = JsonNode.Parse(ReportDocuments.CopyVerified())!.AsObject();
        document["phases"] = JsonNode.Parse("""
            [{"phase":"discover","started":0,"seconds":0.05},{"phase":"load","started":0.1,"seconds":0.5},{"phase":"keys","seconds":0.2}]
            """);
        var invoice = document["tables"]!.AsArray().Single(t => (string?)t!["source"] == "Invoice")!;
        invoice["rejects"] = JsonNode.Parse("""
            [{"column":"Total","reason":"does not fit numeric(3,2)","rows":60,"samples":[{"key":{"invoiceid":"5"},"value":"13.86"},{"key":{"invoiceid":"12"},"value":"13.87"}]},
             {"column":"BillingState","reason":"not UTF-8","rows":4,"samples":[{"key":{"invoiceid":"9"},"value":null}]}]
            """);
        document["tables"]!.AsArray().Single(t => (string?)t!["source"] == "Track")!["rejects"] = JsonNode.Parse("""
            [{"column":"Name","reason":"not UTF-8","rows":3}]
            """);
        document["tables"]!.AsArray().Single(t => (string?)t!["source"] == "Track")!["rows_filtered"] = 120;
        document["mapping"] = JsonNode.Parse("""
            [{"table":"Invoice","column":"Total","source_type":"NUMERIC(10,2)","target_type":"numeric(3,2)","rule":"--cast","notes":"from the command line"},
             {"table":"Invoice","column":"Note","source_type":"","target_type":"text","rule":"no declared type","notes":""}]
            """);

        var html = Html(Run("copy", document.ToJsonString(), RunOutcome.Problems, 1));

        // Charted by reason whatever the table and column (4 + 3 rows not UTF-8), listed by table and column.
        Assert.Contains("<g><title>does not fit numeric(3,2): 60</title>", html, StringComparison.Ordinal);
        Assert.Contains("<g><title>not UTF-8: 7</title>", html, StringComparison.Ordinal);
        Assert.Contains("<td>public.track</td><td>Name</td><td>not UTF-8</td><td class=\"n\">3</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>public.invoice</td><td>Total</td><td>does not fit numeric(3,2)</td><td class=\"n\">60</td>", html, StringComparison.Ordinal);
        Assert.Contains("invoiceid=5 → <code>13.86</code>", html, StringComparison.Ordinal);
        Assert.Contains("invoiceid=9 → <code>NULL</code>", html, StringComparison.Ordinal);
        Assert.Contains("<td>NUMERIC(10,2)</td><td>numeric(3,2)</td><td>--cast</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>Note</td><td>(none)</td>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>rows filtered</dt><dd>120</dd>", html, StringComparison.Ordinal);
        // The Gantt strip on the run's time line (0.921 s): load starts at 0.1 s; keys, without a start, follows load.
        Assert.Contains("<text x=\"0\" y=\"40\">load</text>", html, StringComparison.Ordinal);
        Assert.Contains("x=\"10.86%\"", html, StringComparison.Ordinal);
        Assert.Contains("x=\"65.15%\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_report_shows_each_status_the_counts_the_differing_keys_and_integrity_problems()
    {
        var html = Html(Run("verify", ReportDocuments.Verify, RunOutcome.Problems, 1));

        Assert.Contains("<dt>differ or have problems</dt><dd><span class=\"bad\">3</span>", html, StringComparison.Ordinal);
        Assert.Contains("<td>public.album</td><td>Album</td><td><span class=\"badge problems\">different</span></td><td>content</td><td class=\"n\">347</td><td class=\"n\">347</td><td class=\"n\">1</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>public.track</td><td>Track</td><td><span class=\"badge ok\">ok</span></td><td>content</td><td class=\"n\">3,503</td><td class=\"n\">3,503</td>", html, StringComparison.Ordinal);
        Assert.Contains("<th>key (albumid)</th>", html, StringComparison.Ordinal);
        Assert.Contains("<code>albumid=5</code>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"badge problems\">orphans</span> 868 rows", html, StringComparison.Ordinal);
        Assert.Contains("<code>invoicelineid=22, invoiceid=5</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_report_caps_the_differing_keys_of_a_table()
    {
        var differences = string.Join(",", Enumerable.Range(1, 25).Select(i => $$"""{"key":{"id":{{i}}},"kind":"missing"}"""));
        var html = Html(Run("verify", $$"""
            {"ok":false,"tables":[{"source":"t","target":"public.t","source_rows":1000,"target_rows":900,"ok":false,"status":"different",
              "key":["id"],"differences":[{{differences}}],"differences_total":100,"truncated":true}]}
            """, RunOutcome.Problems, 1));

        Assert.Contains("<code>id=20</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<code>id=21</code>", html, StringComparison.Ordinal);
        Assert.Contains("… and at least 80 more differing rows.", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"n\">≥ 100</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Migrate_report_shows_the_applied_versions_and_the_failure_where_it_happened()
    {
        var html = Html(Run("migrate up", ReportDocuments.MigrateUpFailed, RunOutcome.Problems, 1));

        Assert.Contains("<code>public.schema_migrations</code>", html, StringComparison.Ordinal);
        Assert.Contains("<code>/tmp/r19/m/migrations/002_add_email.up.sql:3:1</code>", html, StringComparison.Ordinal);
        Assert.Contains("42P01: relation &quot;nosuch&quot; does not exist", html, StringComparison.Ordinal);
        Assert.Contains("<text x=\"0\" y=\"12\">001 create_users</text>", html, StringComparison.Ordinal);
        Assert.Contains("<td>001</td><td>create_users</td><td>versioned</td><td>001_create_users.up.sql</td><td>yes</td><td class=\"n\">5</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<b>Detail:</b>", html, StringComparison.Ordinal);

        var withHint = JsonNode.Parse(ReportDocuments.MigrateUpFailed)!;
        withHint["error"]!["detail"] = "Key (id)=(1) already exists.";
        withHint["error"]!["hint"] = "Drop the duplicate first.";
        html = Html(Run("migrate up", withHint.ToJsonString(), RunOutcome.Problems, 1));
        Assert.Contains("<p><b>Detail:</b> Key (id)=(1) already exists.</p>", html, StringComparison.Ordinal);
        Assert.Contains("<p><b>Hint:</b> Drop the duplicate first.</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Migrate_down_repair_and_baseline_reports_say_what_they_did()
    {
        var down = Html(Run("migrate down", ReportDocuments.MigrateUp.Replace(".up.sql", ".down.sql", StringComparison.Ordinal)));
        Assert.Contains("<dt>reverted</dt><dd>1</dd>", down, StringComparison.Ordinal);
        Assert.Contains("002_add_email.down.sql", down, StringComparison.Ordinal);

        var repair = Html(Run("migrate repair", ReportDocuments.MigrateRepair));
        Assert.Contains("Nothing to repair", repair, StringComparison.Ordinal);
        repair = Html(Run("migrate repair", """{"history_table":"public.schema_migrations","actions":[{"version":"003","name":"x","action":"failed entry removed"}]}"""));
        Assert.Contains("<td>003</td><td>x</td><td>failed entry removed</td>", repair, StringComparison.Ordinal);

        var baseline = Html(Run("migrate baseline", """{"history_table":"public.schema_migrations","baseline":"007"}"""));
        Assert.Contains("<dt>baselined at version</dt><dd>007</dd>", baseline, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_kind_of_run_shows_its_document_as_a_tree()
    {
        var html = Html(Run("sync", """{"ok":true,"checks":[{"name":"row counts","passed":3}],"empty":{},"none":null}"""));

        Assert.Contains("<dt>checks</dt><dd><ol start=\"0\"><li><dl><dt>name</dt><dd><span class=\"s\">row counts</span></dd><dt>passed</dt><dd><span class=\"n\">3</span>", html, StringComparison.Ordinal);
        Assert.Contains("<dt>none</dt><dd><span class=\"muted\">null</span>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_and_values_from_the_record_and_the_document_render_as_text()
    {
        const string Evil = "<script>alert(1)</script>";
        var document = $$$"""
            {"source":"sqlite:{{{Evil}}}","tables":[
              {"source":"{{{Evil}}}","target":"{{{Evil}}}","rows_written":5,"rows_rejected":1,"seconds":1,
               "rejects":[{"column":"a\"b","reason":"{{{Evil}}}","rows":1,"samples":[{"key":{"{{{Evil}}}":"x'y"},"value":"</td><img src=x onerror=alert(2)>"}]}]},
              {"source":"a\"b","target":"a\"b","rows_written":3,"seconds":2}],
             "warnings":["{{{Evil}}}"],"failures":["&amp; stays as written"],
             "mapping":[{"table":"{{{Evil}}}","column":"a\"b","source_type":"{{{Evil}}}","target_type":"text","rule":"r","notes":"{{{Evil}}}"}],
             "phases":[{"phase":"{{{Evil}}}","started":0,"seconds":1}],
             "verify":{"tables":[{"source":"{{{Evil}}}","target":"{{{Evil}}}","ok":false,"status":"{{{Evil}}}","key":["{{{Evil}}}"],
               "differences":[{"key":{"{{{Evil}}}":"{{{Evil}}}"},"kind":"{{{Evil}}}"}],"problems":["{{{Evil}}}"],
               "integrity":[{"kind":"{{{Evil}}}","constraint":"{{{Evil}}}","columns":["{{{Evil}}}"],"references":"{{{Evil}}}","count":1,"sample":[{"{{{Evil}}}":1}]}]}]}}
            """;
        var run = Run("copy", document, RunOutcome.Problems, 1, $"ferry copy '{Evil}' --to \"a\"b\"") with
        {
            Environment = Evil,
            ClientUser = Evil,
            ClientHost = "a\"b",
            Target = Evil,
            Version = Evil,
            Summary = Evil,
        };

        foreach (var html in new[] { Html(run), Html(run with { Kind = Evil }), Html(run with { Kind = "verify", Document = run.Document!.Value.GetProperty("verify") }) })
        {
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("a\"b", html, StringComparison.Ordinal);
            Assert.DoesNotContain("x'y", html, StringComparison.Ordinal);
            Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", html, StringComparison.Ordinal);
            // Every tag is Ferry's own: its attributes' values never hold a quote or angle bracket of the document's.
            foreach (Match tag in Tag().Matches(html))
                Assert.Matches("^<[a-zA-Z0-9]+( [a-z-]+(=\"[^\"<>]*\")?)*/?>$", tag.Value);
        }

        var escaped = Html(run);
        Assert.Contains("a&quot;b", escaped, StringComparison.Ordinal);
        Assert.Contains("&amp;amp; stays as written", escaped, StringComparison.Ordinal);
        Assert.Contains("<text x=\"0\" y=\"12\">&lt;script&gt;alert(1)&lt;/script&gt;</text>", escaped, StringComparison.Ordinal);
    }

    [Fact]
    public void Rejects_are_charted_by_the_most_common_reasons()
    {
        var tables = string.Join(",", Enumerable.Range(1, 40).Select(i =>
            $$"""{"target":"t{{i}}","rows_rejected":{{i}},"rejects":[{"column":"c","reason":"reason {{i}}","rows":{{i}}}]}"""));
        var html = Html(Run("copy", $$"""{"tables":[{{tables}}]}"""));

        Assert.Contains("Rejected rows by reason, the 30 most common of 40", html, StringComparison.Ordinal);
        Assert.Contains("<g><title>reason 40: 40</title>", html, StringComparison.Ordinal);
        Assert.Contains("<g><title>reason 11: 11</title>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<g><title>reason 10: 10</title>", html, StringComparison.Ordinal);
        Assert.Contains("<td>t10</td><td>c</td><td>reason 10</td><td class=\"n\">10</td>", html, StringComparison.Ordinal);
        Assert.Contains("<p>820 rows rejected.</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mapping_counts_columns_by_type_and_lists_the_first_columns()
    {
        var columns = string.Join(",", Enumerable.Range(0, MappingTable.ColumnsListed + 2).Select(i =>
            $$"""{"table":"t","column":"c{{i}}","source_type":"{{(i % 2 == 0 ? "INTEGER" : "TEXT")}}","target_type":"{{(i % 2 == 0 ? "bigint" : "text")}}","rule":"by name"}"""));
        var html = Html(Run("copy", $$"""{"tables":[],"mapping":[{{columns}}]}"""));

        Assert.Contains("<td>INTEGER</td><td>bigint</td><td>by name</td><td class=\"n\">2,501</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>TEXT</td><td>text</td><td>by name</td><td class=\"n\">2,501</td>", html, StringComparison.Ordinal);
        Assert.Contains("Each column: the first 5,000 of 5,002", html, StringComparison.Ordinal);
        Assert.Contains("<td>c4999</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<td>c5000</td>", html, StringComparison.Ordinal);
        Assert.Contains("2 more columns are not listed", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_long_name_is_cut_in_a_chart_between_characters_and_kept_whole_in_its_tooltip()
    {
        var name = string.Concat(Enumerable.Repeat("😀", 30));
        var html = Html(Run("copy", $$"""{"tables":[{"source":"s","target":"{{name}}","rows_written":1,"seconds":1}]}"""));

        Assert.Contains($"<g><title>{name}: 1</title>", html, StringComparison.Ordinal);
        Assert.Contains($">{string.Concat(Enumerable.Repeat("😀", 21))}…</text>", html, StringComparison.Ordinal);
        _ = new System.Text.UTF8Encoding(false, throwOnInvalidBytes: true).GetBytes(html);
    }

    [Theory]
    [InlineData("copy", "{}")]
    [InlineData("copy", """{"tables":"not a list","phases":[{}],"mapping":[1,null],"verify":[],"orphans":[{}],"warnings":[null,3]}""")]
    [InlineData("copy", """{"tables":[{},{"rows_written":"many","seconds":null,"rejects":[{"samples":[{}]}]}],"seconds":0}""")]
    [InlineData("copy", """{"tables":[{"source":"a","rows_rejected":3}],"verify":{"tables":[{}, {"ok":false}]}}""")]
    [InlineData("verify", """{"tables":[{"ok":false,"differences":[{}, {"row":"(1,x)","count":2}],"integrity":[{}]}]}""")]
    [InlineData("verify", "[]")]
    [InlineData("migrate up", """{"steps":[{}],"error":{}}""")]
    [InlineData("migrate up", """{"steps":[{"name":"x","execution_ms":1.5}],"error":"text","dry_run":true,"sql":"SELECT 1;"}""")]
    [InlineData("migrate repair", """{"actions":[{}]}""")]
    [InlineData("migrate baseline", "{}")]
    [InlineData("sync", """[1,"a",{"b":[]}]""")]
    [InlineData("copy", null)]
    public void A_document_missing_fields_renders_what_it_has(string kind, string? document)
    {
        var html = Html(Run(kind, document, RunOutcome.Failed, 2));

        Assert.Contains("<span class=\"badge failed\">failed</span>", html, StringComparison.Ordinal);
        Assert.EndsWith("</footer>\n</main></body></html>\n", html, StringComparison.Ordinal);
        if (document is null)
            Assert.Contains("This run has no document: it ended before making one.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_running_run_has_no_end_and_no_duration()
    {
        var html = Html(Run("copy", (string?)null, RunOutcome.Running) with { EndedAt = null, ExitCode = null, Summary = null });

        Assert.Contains("<span class=\"badge running\">running</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<dt>took</dt>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<dt>exit code</dt>", html, StringComparison.Ordinal);
        Assert.Contains("This run has no document: it has not ended.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_over_5000_tables_charts_the_largest_and_pages_the_rest()
    {
        var html = Html(Run("copy", LargeCopy(5000), RunOutcome.Problems, 1));

        // Two charts of 30 tables, the largest (the last) first; every table in pages of 250 rows.
        Assert.Equal(30, Count(html, "<rect class=\"bar\" "));
        Assert.Equal(30, Count(html, "<rect class=\"bar alt\" "));
        Assert.Contains("<text x=\"0\" y=\"12\">public.t05000</text>", html, StringComparison.Ordinal);
        Assert.Contains("Rows written, the 30 largest of 5,000 tables", html, StringComparison.Ordinal);
        Assert.Equal(3 * 20, Count(html, "<details class=\"page\">"));
        Assert.Equal(3 * 5000, Count(html, "<td>public.t0"));
        Assert.Contains("<summary>4,751–5,000 of 5,000</summary>", html, StringComparison.Ordinal);
        Assert.Contains("<code>id=7</code>", html, StringComparison.Ordinal);
        Assert.Contains("<td>public.t00001</td><td>id</td><td>INTEGER</td><td>bigint</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_is_written_whole_beside_the_old_one_and_replaces_it()
    {
        var directory = Directory.CreateTempSubdirectory("ferry-report-").FullName;
        try
        {
            var path = Path.Combine(directory, "run.html");
            File.WriteAllText(path, "old");
            HtmlReport.WriteFile(Run("verify", ReportDocuments.Verify, RunOutcome.Problems, 1), path);

            Assert.Equal([path], Directory.GetFiles(directory));
            var html = File.ReadAllText(path);
            Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
            Assert.Contains("public.album", html, StringComparison.Ordinal);

            var missing = Path.Combine(directory, "no-such-folder", "run.html");
            var error = Assert.Throws<FerryException>(() => HtmlReport.WriteFile(Run("verify", ReportDocuments.Verify), missing));
            Assert.Contains(Path.Combine(directory, "no-such-folder"), error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void The_page_fetches_nothing()
    {
        var html = Html(Run("copy", LargeCopy(40), RunOutcome.Problems, 1));

        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">", html, StringComparison.Ordinal);
        Assert.DoesNotMatch("(src|href)=", html);
        Assert.DoesNotContain("http:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
    }

    static int Count(string text, string part) => Regex.Matches(text, Regex.Escape(part)).Count;

    [GeneratedRegex("<[^!/][^>]*>")]
    private static partial Regex Tag();
}
